// Fingerprints of the plugin and rules folders, for the rules watch.
#include "runtime/folder_fingerprint.hpp"

#include <algorithm>

namespace telpolicy {

Fingerprint fingerprint_of(const EngineOptions& options) {
    Fingerprint stamps;
    const auto add_folder = [&](const std::filesystem::path& dir) {
        std::error_code error;
        for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
            const std::string name = it->path().filename().string();
            // Editors' swap and backup files come and go while one types; they are never rules.
            if (name.empty() || name.front() == '.' || name.back() == '~') continue;
            std::error_code stat_error;
            if (!it->is_regular_file(stat_error)) continue;
            FileStamp stamp{it->path(), std::filesystem::file_size(it->path(), stat_error), 0};
            stamp.time = std::filesystem::last_write_time(it->path(), stat_error).time_since_epoch().count();
            stamps.push_back(std::move(stamp));
        }
    };
    for (const auto& dir : options.plugin_dirs) add_folder(dir);
    for (const auto& dir : options.rules_dirs) add_folder(dir);
    std::sort(stamps.begin(), stamps.end(), [](const FileStamp& a, const FileStamp& b) { return a.path < b.path; });
    return stamps;
}

}  // namespace telpolicy
