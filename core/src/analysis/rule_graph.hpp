// A rule set drawn as a decision diagram: Graphviz DOT, Mermaid, or a picture (SVG).
#pragma once

#include <string>

#include <telpolicy/authoring.hpp>

#include "policy/rule_set.hpp"

namespace telpolicy {

std::string draw_rule_graph(const RuleSet& rules, GraphFormat format);

}  // namespace telpolicy
