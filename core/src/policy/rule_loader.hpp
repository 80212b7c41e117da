// Reads a rules file (YAML), checks it, and compiles it into a RuleSet; every problem found is
// reported with file:line:column and what was expected.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/checked.hpp>
#include <telpolicy/diagnostic.hpp>
#include <telpolicy/limits.hpp>
#include "policy/rule_set.hpp"

namespace telpolicy {

// A compiled rule set (`value`), or the errors that refused it, with warnings either way.
struct RuleLoadResult : Checked<RuleSet> {
    std::string digest;  // load_rules_file: the fingerprint of the very bytes read (text/fingerprint.hpp)
};

// `display_name` is the file name used in diagnostics. A file over one of `limits` is refused with
// the reason.
RuleLoadResult load_rules_text(std::string_view yaml_text, const std::string& display_name,
                               const Limits& limits = {});
// The one place a rules file is read: its size bounded, then its bytes compiled and fingerprinted.
RuleLoadResult load_rules_file(const std::filesystem::path& path, const Limits& limits = {});

}  // namespace telpolicy
