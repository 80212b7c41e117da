// Loads several rules files at once, on the machine's cores: each file is independent of the
// others, and parsing YAML is most of what starting the engine costs (33 bundled countries).
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include <telpolicy/limits.hpp>

#include "policy/rule_loader.hpp"

namespace telpolicy {

// One result per path, in the same order; an absent path gives an absent result.
std::vector<std::optional<RuleLoadResult>> load_rules_files(const std::vector<std::optional<std::filesystem::path>>& paths,
                                                            const Limits& limits);

}  // namespace telpolicy
