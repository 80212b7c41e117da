// Where the command, and the Python module, find plugins and rules when no folder is given.
#pragma once

#include <filesystem>
#include <vector>

namespace telpolicy::cli {

// Both are relative to "the binary this code is linked into": the telpolicy executable, or the
// Python module's shared object. Each target that compiles default_paths.cpp defines
// TELPOLICY_PLUGIN_DIR_FROM_BIN and TELPOLICY_RULES_DIR_FROM_BIN, the folders relative to its own
// install folder, so that the same relative path works in the build tree (which has the installed
// layout) and in an installed copy.

// TELPOLICY_PLUGIN_PATH (colon-separated) if set, else the plugin folder relative to the binary
// (from bin/: lib/telpolicy/plugins/).
std::vector<std::filesystem::path> default_plugin_dirs();
// TELPOLICY_RULES_PATH if set, else the rules folder relative to the binary (share/telpolicy/rules/).
std::vector<std::filesystem::path> default_rules_dirs();

}  // namespace telpolicy::cli
