// Where the command finds plugins and rules when no --plugins/--rules is given.
#pragma once

#include <filesystem>
#include <vector>

namespace telpolicy::cli {

// TELPOLICY_PLUGIN_PATH (colon-separated) if set, else the plugin folder beside the executable in
// the same layout for the build tree and an installed copy (bin/ and lib/telpolicy/plugins/).
std::vector<std::filesystem::path> default_plugin_dirs();
// TELPOLICY_RULES_PATH if set, else share/telpolicy/rules/ beside the executable.
std::vector<std::filesystem::path> default_rules_dirs();

}  // namespace telpolicy::cli
