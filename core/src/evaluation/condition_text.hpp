// A rule's conditions in words, part by part, for diagrams and explanations.
#pragma once

#include <string>
#include <vector>

#include <telpolicy/request.hpp>

#include "evaluation/evaluator.hpp"
#include "policy/rule_set.hpp"

namespace telpolicy {

// What `part` of `when` asks, e.g. "number_type is user or unspecified", "count > 999".
std::string describe_part(const Vocabulary& words, const Condition& when, ConditionPart part);

// Every part `when` actually constrains, except the action, in checking order.
std::vector<std::string> describe_condition(const Vocabulary& words, const Condition& when);

// What `request` has for `part`, e.g. "toll_free", "1 number listed".
std::string request_side(const Request& request, ConditionPart part);

// "port_in or port_out"; "any action" for all of them.
std::string describe_actions(const Vocabulary& words, const std::optional<WordSet>& actions);

}  // namespace telpolicy
