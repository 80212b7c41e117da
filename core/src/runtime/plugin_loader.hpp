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
// A library that trust_problem() objects to is refused before it is loaded, unless `allow_untrusted`.
PluginDiscovery discover_plugins(const std::vector<std::filesystem::path>& dirs, spdlog::logger& log,
                                 bool allow_untrusted = false);

// Why a plugin library must not be loaded, as sudo and osquery judge plugins: its folder or itself
// is writable by group or others, or belongs to neither root nor the running user. Empty when it
// may be loaded. Names the path and the permission.
std::string trust_problem(const std::filesystem::path& library);

// Why a descriptor cannot be used, or an empty string when it can. Exposed for tests.
std::string descriptor_problem(const telpolicy_plugin_descriptor* descriptor);

}  // namespace telpolicy
