// Checks a YAML text before it becomes nodes: that it is UTF-8 text (not Latin-1, not binary) whose
// quotes close where they should, the limits on nesting and aliases, so that a hostile rules file (a
// "billion laughs", an alias inside its own anchor) is refused cheaply, and keys given twice in one
// mapping, which the nodes would silently reduce to one (a second `rules:` section
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
    std::string code;  // text.encoding, yaml.syntax, yaml.duplicate_key or yaml.limit (Diagnostic::code)
};

// Checks the bytes, then reads the events of the first document only (all that YAML::Load reads), never building nodes.
// A syntax error is reported where it starts (policy/yaml_syntax.hpp), not where the parser gave up.
std::optional<YamlTextProblem> precheck_yaml(std::string_view text, const Limits& limits);

}  // namespace telpolicy
