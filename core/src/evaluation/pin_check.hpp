// The transfer PIN's format and lifecycle checks, driven by a country's PinPolicy.
#pragma once

#include <telpolicy/decision.hpp>
#include <telpolicy/pin_facts.hpp>
#include <telpolicy/request.hpp>

#include "evaluation/decision_builder.hpp"
#include "evaluation/request_words.hpp"
#include "policy/rule_set.hpp"

namespace telpolicy {

// Adds the PIN violations of `request` to `decision` (and the ids of the checks that found them to
// its matched rules). Messages describe the rule broken, never the PIN.
// `words` are the request's words in the rules' vocabulary (see resolve_words).
void check_pin(const RuleSet& rules, const Request& request, RequestWords words, DecisionBuilder& out);

// The verdicts of the plugin's native checks on `request`'s PIN, as check_pin runs them: only for a
// given PIN of the allowed characters, in a country that uses PINs.
std::vector<PinCheckVerdict> native_check_verdicts(const RuleSet& rules, const Request& request);

// True when every byte is allowed by `characters`: anything outside ASCII, such as the Arabic-Indic
// digit ٣, fails.
bool pin_characters_allowed(std::string_view pin, PinCharacters characters) noexcept;

// Length in Unicode code points, the unit people count in ("it has 5 digits").
std::size_t pin_length(std::string_view pin) noexcept;

}  // namespace telpolicy
