// Checks a YAML text before it becomes nodes: the limits on nesting and aliases, so that a hostile
// rules file (a "billion laughs", an alias inside its own anchor) is refused cheaply, and keys given
// twice in one mapping, which the nodes would silently reduce to one (a second `rules:` section
// appended to a file, `mailbox` twice in one `then`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/mark.h>

#include <telpolicy/limits.hpp>

namespace telpolicy {

struct YamlTextProblem {
    YAML::Mark mark;  // where the limit was crossed, or where the repeated key is
    std::string message;
};

// Reads the events of the first document only (all that YAML::Load reads), never building nodes.
// Syntax errors are not this check's business: it returns nothing for them, and the loader reports
// them with their position.
std::optional<YamlTextProblem> precheck_yaml(std::string_view text, const Limits& limits);

}  // namespace telpolicy
