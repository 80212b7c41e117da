// Finds plugin libraries in directories and loads them through their one entry point.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <telpolicy/engine.hpp>
#include <telpolicy/plugin/plugin_api.h>

namespace spdlog {
class logger;
}

namespace telpolicy {

// A plugin whose library is loaded and whose descriptor passed every check. The library stays
// loaded for as long as this object lives: descriptor strings point into it.
struct PluginLibrary {
    boost::dll::shared_library library;
    const telpolicy_plugin_descriptor* descriptor{nullptr};
    std::filesystem::path path;
    std::vector<std::string> countries;
    std::vector<telpolicy_plugin_check> checks;  // API 1.1; empty for 1.0 plugins
};

struct PluginDiscovery {
    std::vector<PluginLibrary> plugins;
    std::vector<RefusedPlugin> refused;
};

// Loads every shared library found in `dirs`. Directories are taken in the order given and files
// in name order within each, so the result does not depend on the order files come off the disk.
// A library that check_plugin_trust() objects to is refused before it is loaded, unless
// `allow_untrusted`; a file that is not ELF is refused without being handed to the dynamic linker.
PluginDiscovery discover_plugins(const std::vector<std::filesystem::path>& dirs, spdlog::logger& log,
                                 bool allow_untrusted = false);

// Whether a plugin library may be loaded, judged as sudo judges what it runs, on the file that
// would be loaded: the library with every symbolic link resolved.
struct PluginTrust {
    std::filesystem::path real_path;  // what is loaded: the library's real path (empty if unresolvable)
    // Why it must not be loaded, naming the path and the permission; empty when it may be. Refused:
    // the file writable by group or others; its folder likewise (even sticky: anyone could add a
    // library to it); any folder above it up to the root writable by group or others without the
    // sticky bit (whoever may rename it may put another library in its place); any of them owned by
    // neither root nor the running user.
    std::string problem;
};
PluginTrust check_plugin_trust(const std::filesystem::path& library);

// Why a descriptor cannot be used, or an empty string when it can. Exposed for tests.
std::string descriptor_problem(const telpolicy_plugin_descriptor* descriptor);

}  // namespace telpolicy
