// A rule set drawn as a decision diagram, in Graphviz DOT or Mermaid.
#pragma once

#include <string>

#include <telpolicy/authoring.hpp>

#include "policy/rule_set.hpp"

namespace telpolicy {

std::string draw_rule_graph(const RuleSet& rules, GraphFormat format);

}  // namespace telpolicy
