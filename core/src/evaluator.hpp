// Decides a request against one country's rules.
#pragma once

#include <telpolicy/decision.hpp>
#include <telpolicy/request.hpp>

#include "rule_set.hpp"

namespace telpolicy {

// Fills `decision` (country, action and plugin already set by the caller) from `rules`.
void evaluate_rules(const RuleSet& rules, const Request& request, Decision& decision);

// Whether `when` holds for `request`; used by evaluation and by explanations.
bool condition_holds(const Condition& when, const Request& request) noexcept;

}  // namespace telpolicy
