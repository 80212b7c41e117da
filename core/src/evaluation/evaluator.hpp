// Decides a request against one country's rules.
#pragma once

#include <optional>
#include <vector>

#include <telpolicy/decision.hpp>
#include <telpolicy/request.hpp>

#include "request/number_classifier.hpp"
#include "evaluation/request_words.hpp"
#include "policy/rule_set.hpp"

namespace telpolicy {

// The request's words in `rules`' vocabulary, and the instant it is decided for (its `as_of`, or now
// when the rules are dated); nullopt when the rules do not know one of them (the country does not
// offer it).
std::optional<RequestWords> resolve_words(const RuleSet& rules, const Request& request) noexcept;

enum class ConditionPart;

// What one evaluation saw, for explanations: filled only when asked for, so that explaining a
// decision observes the very evaluation that made it.
struct EvaluationRecord {
    std::optional<RequestWords> words;  // nullopt: a word the country does not know
    bool answered{false};                // the action is offered, or answered by the PIN policy
    std::vector<NumberFacts> numbers;     // the request's numbers as classified
    // One entry per rule read, in order: the first part of its condition that failed (none: it
    // matched). Rules past a final rule that matched were not read.
    std::vector<ConditionPart> rules_read;
};

// Fills `decision` (country and plugin already set by the caller) from `rules`, its action included.
// A word the rules do not know is action.unsupported. With a `record`, notes what it saw there.
void evaluate_rules(const RuleSet& rules, const Request& request, Decision& decision, EvaluationRecord* record = nullptr);

// The same, with the request's words already resolved (the engine resolves them once, for its
// vocabulary check).
void evaluate_resolved(const RuleSet& rules, const Request& request, RequestWords words, Decision& decision,
                       EvaluationRecord* record = nullptr);

// The same, with the request's words resolved and its numbers already classified (the static
// analysis builds them).
void evaluate_rules(const RuleSet& rules, const Request& request, RequestWords words,
                    const std::vector<NumberFacts>& numbers, Decision& decision, EvaluationRecord* record = nullptr);

// Whether the country of `rules` offers the action `words.action`, or answers it with the PIN
// policy (a PIN action of a country without PINs is pin.not_applicable, whether offered or not).
bool action_is_answered(const RuleSet& rules, RequestWords words) noexcept;

// The parts of a rule's conditions, in the order they are checked.
enum class ConditionPart {
    none,  // every part holds
    period,  // the rule is not in effect at the request's instant
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
ConditionPart first_failing_part(const Condition& when, const Request& request, RequestWords words,
                                 const std::vector<NumberFacts>& numbers) noexcept;

inline bool condition_holds(const Condition& when, const Request& request, RequestWords words,
                            const std::vector<NumberFacts>& numbers) noexcept {
    return first_failing_part(when, request, words, numbers) == ConditionPart::none;
}

// Whether one classified number passes `filter`.
bool number_passes(const NumberFilter& filter, const NumberFacts& number) noexcept;

}  // namespace telpolicy
