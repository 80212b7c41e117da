// Traces the evaluation of a request against one country's rules, step by step.
#pragma once

#include <vector>

#include <telpolicy/explanation.hpp>
#include <telpolicy/request.hpp>

#include "rule_set.hpp"

namespace telpolicy {

// Evaluates `request` against `rules` into `explanation.decision` (country, action and plugin
// already set by the caller), and records every step in `explanation.trace`.
void explain_rules(const RuleSet& rules, const Request& request, Explanation& explanation);

}  // namespace telpolicy
