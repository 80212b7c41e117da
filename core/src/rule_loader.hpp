// Reads a rules file (YAML), checks it, and compiles it into a RuleSet; every problem found is
// reported with file:line:column and what was expected.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostic.hpp"
#include "rule_set.hpp"

namespace telpolicy {

struct RuleLoadResult {
    std::optional<RuleSet> rules;  // set only when there is no error (warnings allowed)
    std::vector<Diagnostic> diagnostics;
};

// `display_name` is the file name used in diagnostics.
RuleLoadResult load_rules_text(std::string_view yaml_text, const std::string& display_name);
RuleLoadResult load_rules_file(const std::filesystem::path& path);

}  // namespace telpolicy
