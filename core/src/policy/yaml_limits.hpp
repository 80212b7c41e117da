// Checks a YAML text against the limits on nesting and aliases before it becomes nodes, so that a
// hostile rules file (a "billion laughs", an alias inside its own anchor) is refused cheaply.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/mark.h>

#include <telpolicy/limits.hpp>

namespace telpolicy {

struct YamlLimitProblem {
    YAML::Mark mark;  // where the limit was crossed
    std::string message;
};

// Reads the events of the first document only (all that YAML::Load reads), never building nodes.
// Syntax errors are not this check's business: it returns nothing for them, and the loader reports
// them with their position.
std::optional<YamlLimitProblem> check_yaml_limits(std::string_view text, const Limits& limits);

}  // namespace telpolicy
