// Default plugin and rules folders, found relative to the running executable.
#include "default_paths.hpp"

#include <cstdlib>
#include <string_view>

#include <boost/dll/runtime_symbol_info.hpp>

namespace telpolicy::cli {
namespace {

std::vector<std::filesystem::path> split_path_list(std::string_view list) {
    std::vector<std::filesystem::path> dirs;
    while (!list.empty()) {
        const std::size_t colon = list.find(':');
        const std::string_view part = list.substr(0, colon);
        if (!part.empty()) dirs.emplace_back(part);
        if (colon == std::string_view::npos) break;
        list.remove_prefix(colon + 1);
    }
    return dirs;
}

std::filesystem::path executable_dir() {
    boost::dll::fs::error_code error;
    const auto location = boost::dll::program_location(error);
    if (error) return std::filesystem::current_path();
    return std::filesystem::path(location.string()).parent_path();
}

std::vector<std::filesystem::path> dirs_from(const char* variable, const char* relative_to_executable) {
    if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') {
        return split_path_list(value);
    }
    return {(executable_dir() / relative_to_executable).lexically_normal()};
}

}  // namespace

std::vector<std::filesystem::path> default_plugin_dirs() {
    return dirs_from("TELPOLICY_PLUGIN_PATH", TELPOLICY_PLUGIN_DIR_FROM_BIN);
}

std::vector<std::filesystem::path> default_rules_dirs() {
    return dirs_from("TELPOLICY_RULES_PATH", TELPOLICY_RULES_DIR_FROM_BIN);
}

}  // namespace telpolicy::cli
