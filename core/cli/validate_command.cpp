// `telpolicy validate [FILE...]`: checks rules files without loading any plugin, and proves the
// static properties of each (shadowed rules, mailbox conflicts, gaps).
#include <algorithm>
#include <iostream>

#include <telpolicy/authoring.hpp>

#include "commands.hpp"
#include "diagnostics_output.hpp"

namespace telpolicy::cli {
namespace {

bool is_rules_file(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    const auto ends_with = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return (ends_with(".yaml") || ends_with(".yml")) && !ends_with(".tests.yaml") && !ends_with(".tests.yml");
}

}  // namespace

std::vector<std::filesystem::path> rules_files_in(const std::vector<std::filesystem::path>& dirs) {
    std::vector<std::filesystem::path> files;
    for (const auto& dir : dirs) {
        std::error_code error;
        for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
            if (it->is_regular_file(error) && is_rules_file(it->path())) files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

int run_validate(const ValidateOptions& options) {
    const std::vector<std::filesystem::path> files =
        options.files.empty() ? rules_files_in(options.rules_dirs)
                              : std::vector<std::filesystem::path>(options.files.begin(), options.files.end());
    if (files.empty()) {
        std::cerr << "telpolicy: no rules file to validate\n";
        return exit_bad_input;
    }
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::vector<CheckedFile> checked;
    for (const auto& file : files) {
        RulesCheck check = check_rules_file(file, options.limits);
        for (Diagnostic& diagnostic : check.diagnostics) {
            if (options.strict) diagnostic.severity = Severity::error;
            (diagnostic.severity == Severity::error ? errors : warnings) += 1;
        }
        if (check.loaded && check.diagnostics.empty()) {
            std::cerr << file.string() << ": ok (" << check.rule_count << " rules; " << check.requests_examined
                      << " requests examined)\n";
        }
        // The dates at which the file's decisions change, each proved like the rest above.
        for (const ScheduledChange& change : check.schedule) {
            std::string what;
            for (const std::string& item : change.changes) what += (what.empty() ? "" : "; ") + item;
            std::cerr << file.string() << ": decisions change at " << change.when << ": " << what << "\n";
        }
        checked.push_back({file, check.loaded, check.rule_count, check.requests_examined, std::move(check.diagnostics),
                           std::move(check.schedule)});
    }
    write_diagnostics(std::cout, options.format, checked);
    std::cerr << files.size() << (files.size() == 1 ? " file, " : " files, ") << errors
              << (errors == 1 ? " error, " : " errors, ") << warnings << (warnings == 1 ? " warning\n" : " warnings\n");
    return errors > 0 ? 1 : exit_ok;
}

}  // namespace telpolicy::cli
