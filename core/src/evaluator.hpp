// Decides a request against one country's rules.
#pragma once

#include <vector>

#include <telpolicy/decision.hpp>
#include <telpolicy/request.hpp>

#include "number_classifier.hpp"
#include "rule_set.hpp"

namespace telpolicy {

// Fills `decision` (country, action and plugin already set by the caller) from `rules`.
void evaluate_rules(const RuleSet& rules, const Request& request, Decision& decision);

// Whether `when` holds for `request`, whose numbers were classified into `numbers` (empty when the
// rules never look at numbers). Used by evaluation and by explanations.
bool condition_holds(const Condition& when, const Request& request, const std::vector<NumberFacts>& numbers) noexcept;

// Whether one classified number passes `filter`.
bool number_passes(const NumberFilter& filter, const NumberFacts& number) noexcept;

}  // namespace telpolicy
