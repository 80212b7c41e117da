// Traces the evaluation of a request against one country's rules, step by step.
#pragma once

#include <vector>

#include <telpolicy/explanation.hpp>
#include <telpolicy/request.hpp>

#include "policy/rule_set.hpp"

namespace telpolicy {

// Evaluates `request` against `rules` into `decision` (country, action and plugin already set by
// the caller), as evaluate_rules does, and records every step in `trace`.
void explain_rules(const RuleSet& rules, const Request& request, Decision& decision, std::vector<TraceStep>& trace);

}  // namespace telpolicy
