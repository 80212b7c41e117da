// Default plugin and rules folders, found relative to the binary this code is linked into.
#include "default_paths.hpp"

#include <cstdlib>
#include <string_view>

#include <dlfcn.h>
#include <link.h>

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

// An object of this file, so that the dynamic linker says which binary holds it.
const char located_object = 0;

// The folder of the executable or shared object that holds this code. Boost.DLL's
// this_line_location() asks dladdr(), which names the main program by argv[0] (relative, or a
// bare name found on PATH): so the link map tells the two apart (glibc gives the main program an
// empty name there), a shared object gives the path it was loaded from, and the executable is
// found as before, by the kernel's /proc/self/exe (Boost.DLL's program_location()).
std::filesystem::path binary_dir() {
    Dl_info info{};
    link_map* object = nullptr;
    if (dladdr1(&located_object, &info, reinterpret_cast<void**>(&object), RTLD_DL_LINKMAP) != 0 && object != nullptr &&
        object->l_name != nullptr && object->l_name[0] != '\0') {
        std::error_code error;
        const std::filesystem::path library = std::filesystem::absolute(object->l_name, error);
        if (!error) return library.parent_path();
    }
    boost::dll::fs::error_code error;
    const auto location = boost::dll::program_location(error);
    if (error) return std::filesystem::current_path();
    return std::filesystem::path(location.string()).parent_path();
}

std::vector<std::filesystem::path> dirs_from(const char* variable, const char* relative_to_binary) {
    if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') {
        return split_path_list(value);
    }
    return {(binary_dir() / relative_to_binary).lexically_normal()};
}

}  // namespace

std::vector<std::filesystem::path> default_plugin_dirs() {
    return dirs_from("TELPOLICY_PLUGIN_PATH", TELPOLICY_PLUGIN_DIR_FROM_BIN);
}

std::vector<std::filesystem::path> default_rules_dirs() {
    return dirs_from("TELPOLICY_RULES_PATH", TELPOLICY_RULES_DIR_FROM_BIN);
}

}  // namespace telpolicy::cli
