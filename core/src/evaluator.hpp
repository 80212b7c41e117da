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

// The same, with the request's numbers already classified (the static analysis builds them).
void evaluate_rules(const RuleSet& rules, const Request& request, const std::vector<NumberFacts>& numbers,
                    Decision& decision);

// The parts of a rule's conditions, in the order they are checked.
enum class ConditionPart {
    none,  // every part holds
    action,
    number_type,
    country,
    count,
    pin_is_set,
    numbers_given,
    count_mismatch,
    numbers_each,
    numbers_all,
};

// The first part of `when` that fails for `request`, whose numbers were classified into `numbers`
// (empty when the rules never look at numbers); ConditionPart::none when all hold.
ConditionPart first_failing_part(const Condition& when, const Request& request,
                                 const std::vector<NumberFacts>& numbers) noexcept;

inline bool condition_holds(const Condition& when, const Request& request,
                            const std::vector<NumberFacts>& numbers) noexcept {
    return first_failing_part(when, request, numbers) == ConditionPart::none;
}

// Whether one classified number passes `filter`.
bool number_passes(const NumberFilter& filter, const NumberFacts& number) noexcept;

}  // namespace telpolicy
