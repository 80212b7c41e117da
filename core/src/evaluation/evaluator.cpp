// Rule evaluation: the PIN policy, then the rules top to bottom, each matching rule adding its
// outcome, until a matching rule marked final.
#include "evaluation/evaluator.hpp"

#include <algorithm>

#include <boost/container/small_vector.hpp>

#include <telpolicy/violation_codes.hpp>

#include "evaluation/decision_builder.hpp"
#include "evaluation/locale_match.hpp"
#include "text/message_template.hpp"
#include "evaluation/pin_check.hpp"
#include <telpolicy/suggestion.hpp>
#include "text/text_excerpt.hpp"

namespace telpolicy {
namespace {

// Past this many per-number violations from one rule, one more says how many were left out: a
// list of 10,000 bad numbers must not make a 10,000-entry decision.
constexpr std::size_t max_number_violations_per_rule = 20;

bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

std::string request_value(std::string_view name, const Request& request) {
    if (name == "country") return request.country;
    if (name == "action") return request.action;
    if (name == "number_type") return request.number_type.value_or("unspecified");
    if (name == "count") return std::to_string(request.effective_count());
    if (name == "listed") return std::to_string(request.numbers ? request.numbers->size() : 0);
    return "{" + std::string(name) + "}";
}

std::string number_value(std::string_view name, const Request& request, const std::vector<NumberFacts>& numbers,
                         std::size_t index) {
    const NumberFacts& facts = numbers[index];
    if (name == "number") return printable_excerpt((*request.numbers)[index]);
    if (name == "position") return std::to_string(index + 1);
    if (name == "region") return facts.region.empty() ? "an unknown region" : facts.region;
    if (name == "kind") return std::string(to_string(facts.kind));
    if (name == "problem") return facts.problem;
    if (name == "first_position") return facts.duplicate_of ? std::to_string(*facts.duplicate_of + 1) : "?";
    return request_value(name, request);
}

// A rule that looks at each number says its notes and denials once per number that it caught.
void add_per_number_outcome(const Rule& rule, const Request& request, const std::vector<NumberFacts>& numbers,
                            DecisionBuilder& out) {
    std::vector<std::size_t> caught;
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        if (number_passes(*rule.when.numbers.each, numbers[i])) caught.push_back(i);
    }
    const std::size_t listed = std::min(caught.size(), max_number_violations_per_rule);
    const std::string left_out =
        "and " + std::to_string(caught.size() - listed) + " more numbers with the same problem";
    const auto message_for = [&](const std::string& text, std::size_t index) {
        return fill_message(text, [&](std::string_view name) { return number_value(name, request, numbers, index); });
    };
    for (const std::string& note : rule.then.notes) {
        for (std::size_t k = 0; k < listed; ++k) out.add_note(message_for(note, caught[k]));
        if (caught.size() > listed) out.add_note_slot().assign(left_out);
    }
    for (const ViolationTemplate& violation : rule.then.violations) {
        for (std::size_t k = 0; k < listed; ++k) {
            out.add_violation(violation.code, message_for(violation.message, caught[k]), rule.id);
        }
        if (caught.size() > listed) out.add_violation(violation.code, left_out, rule.id);
    }
}

// The answer when the country does not offer the request's action or number type: which word, and
// what the country offers instead.
void add_unsupported(const RuleSet& rules, const Request& request, Decision& decision) {
    DecisionBuilder out(decision);
    const std::optional<std::size_t> action = rules.words.action(request.action);
    std::vector<std::string> offered;
    std::string message = "the rules for " + request.country + " do not offer ";
    if (!action || !action_is_answered(rules, RequestWords{*action, Vocabulary::unspecified_number_type})) {
        out.set_action(request.action);
        message += "the action '" + printable_excerpt(request.action) + "'";
        rules.offered_actions.for_each(rules.words.actions.size(),
                                       [&](std::size_t id) { offered.push_back(rules.words.actions[id]); });
        if (const auto guess = closest_word(request.action, {offered.begin(), offered.end()})) {
            message += "; did you mean '" + *guess + "'?";
        }
    } else {
        out.set_action(rules.words.actions[*action]);
        message += "the number type '" + printable_excerpt(*request.number_type) + "'";
        offered = rules.words.number_type_words();
        if (const auto guess = closest_word(*request.number_type, {offered.begin(), offered.end()})) {
            message += "; did you mean '" + *guess + "'?";
        }
        offered = rules.words.number_types;
    }
    std::string list;
    for (const std::string& word : offered) list += (list.empty() ? "" : ", ") + word;
    message += " (they offer: " + (list.empty() ? std::string("none") : list) + ")";
    const std::string rule = rules.plugin + ".actions";
    out.add_violation(violation_code::action_unsupported, message, rule);
    out.add_matched_rule(rule);
}

}  // namespace

bool number_passes(const NumberFilter& filter, const NumberFacts& number) noexcept {
    if (filter.valid && *filter.valid != number.valid) return false;
    if (filter.duplicate && *filter.duplicate != number.duplicate_of.has_value()) return false;
    const bool asks_about_facts = !filter.regions.empty() || !filter.regions_not.empty() ||
                                  filter.kinds != all_number_kinds_mask;
    if (asks_about_facts && !number.valid) return false;  // an invalid number has no region or kind
    if (!filter.regions.empty() && !contains(filter.regions, number.region)) return false;
    if (contains(filter.regions_not, number.region)) return false;
    return (filter.kinds & bit(number.kind)) != 0;
}

namespace {

// Inlined into the evaluation's loop over the rules; first_failing_part is the same for the others.
[[gnu::always_inline]] inline ConditionPart failing_part(const Condition& when, const Request& request,
                                                         RequestWords words,
                                                         const std::vector<NumberFacts>& numbers) noexcept {
    if (!when.period.contains(words.as_of)) return ConditionPart::period;
    if (when.actions && !when.actions->contains(words.action)) return ConditionPart::action;
    if (when.number_types && !when.number_types->contains(words.number_type)) return ConditionPart::number_type;
    if (!when.countries.empty() && !contains(when.countries, request.country)) return ConditionPart::country;
    const std::uint64_t count = request.effective_count();
    if (count < when.count_min || count > when.count_max) return ConditionPart::count;
    if (when.pin_is_set && *when.pin_is_set != request.pin_is_set) return ConditionPart::pin_is_set;
    const NumbersCondition& about_numbers = when.numbers;
    const bool listed = request.numbers && !request.numbers->empty();
    if (about_numbers.given && *about_numbers.given != listed) return ConditionPart::numbers_given;
    if (about_numbers.count_mismatch) {
        const bool mismatch = request.count && request.numbers && *request.count != request.numbers->size();
        if (*about_numbers.count_mismatch != mismatch) return ConditionPart::count_mismatch;
    }
    const auto passes = [](const NumberFilter& filter) {
        return [&filter](const NumberFacts& number) { return number_passes(filter, number); };
    };
    if (about_numbers.each && std::none_of(numbers.begin(), numbers.end(), passes(*about_numbers.each))) {
        return ConditionPart::numbers_each;
    }
    if (about_numbers.all && (numbers.empty() || !std::all_of(numbers.begin(), numbers.end(), passes(*about_numbers.all)))) {
        return ConditionPart::numbers_all;
    }
    return ConditionPart::none;
}

}  // namespace

ConditionPart first_failing_part(const Condition& when, const Request& request, RequestWords words,
                                 const std::vector<NumberFacts>& numbers) noexcept {
    return failing_part(when, request, words, numbers);
}

std::optional<RequestWords> resolve_words(const RuleSet& rules, const Request& request) noexcept {
    RequestWords words;
    // Undated rules decide alike at every instant: the clock is read only for rules that are dated.
    if (request.as_of) {
        words.as_of = *request.as_of;
    } else if (rules.dated()) {
        words.as_of = now();
    }
    const auto action = rules.words.action(request.action);
    if (!action) return std::nullopt;
    words.action = *action;
    if (request.number_type) {
        const auto type = rules.words.number_type(*request.number_type);
        if (!type) return std::nullopt;
        words.number_type = *type;
    }
    return words;
}

bool action_is_answered(const RuleSet& rules, RequestWords words) noexcept {
    if (rules.offered_actions.contains(words.action)) return true;
    return !rules.pin.used && (rules.pin.sets.contains(words.action) || rules.pin.clears.contains(words.action));
}

void evaluate_rules(const RuleSet& rules, const Request& request, Decision& decision, EvaluationRecord* record) {
    const std::optional<RequestWords> words = resolve_words(rules, request);
    if (record != nullptr) record->words = words;
    if (!words) {
        add_unsupported(rules, request, decision);
        return;
    }
    evaluate_resolved(rules, request, *words, decision, record);
}

void evaluate_resolved(const RuleSet& rules, const Request& request, RequestWords words, Decision& decision,
                       EvaluationRecord* record) {
    if (!action_is_answered(rules, words)) {  // no rule is read: its numbers are not parsed either
        if (record != nullptr) record->words = words;
        add_unsupported(rules, request, decision);
        return;
    }
    // Each number is parsed once per request, and only when some rule looks at numbers.
    const bool classify = rules.classifies_numbers && request.numbers;
    std::vector<NumberFacts> numbers =
        classify ? classify_numbers(*request.numbers, request.country) : std::vector<NumberFacts>{};
    if (record != nullptr) {
        record->numbers = std::move(numbers);
        evaluate_rules(rules, request, words, record->numbers, decision, record);
    } else {
        evaluate_rules(rules, request, words, numbers, decision, nullptr);
    }
}

void evaluate_rules(const RuleSet& rules, const Request& request, RequestWords words,
                    const std::vector<NumberFacts>& numbers, Decision& decision, EvaluationRecord* record) {
    if (record != nullptr) record->words = words;
    if (!action_is_answered(rules, words)) {
        add_unsupported(rules, request, decision);
        return;
    }
    if (record != nullptr) record->answered = true;
    DecisionBuilder out(decision);
    out.set_action(rules.words.actions[words.action]);
    out.set_as_of(request.as_of || rules.dated() ? std::optional<Instant>(words.as_of) : std::nullopt);
    check_pin(rules, request, words, out);

    // Forms and contacts are collected as catalogue indexes, each once, in order of first mention.
    boost::container::small_vector<std::size_t, 8> forms;
    boost::container::small_vector<std::size_t, 4> contacts;
    const auto fill = [&request](std::string_view name) { return request_value(name, request); };
    for (const Rule& rule : rules.rules) {
        const ConditionPart failed = failing_part(rule.when, request, words, numbers);
        if (record != nullptr) record->rules_read.push_back(failed);
        if (failed != ConditionPart::none) continue;
        out.add_matched_rule(rule.id);
        const Outcome& then = rule.then;
        // A form or contact out of its dates is not given, as if the rule did not name it.
        for (std::size_t form : then.forms) {
            if (rules.forms[form].period.contains(words.as_of) && std::find(forms.begin(), forms.end(), form) == forms.end()) {
                forms.push_back(form);
            }
        }
        for (std::size_t contact : then.contacts) {
            if (rules.contacts[contact].period.contains(words.as_of) &&
                std::find(contacts.begin(), contacts.end(), contact) == contacts.end()) {
                contacts.push_back(contact);
            }
        }
        for (const std::string& item : then.requirements) out.add_requirement(item);
        if (rule.when.numbers.each) {
            add_per_number_outcome(rule, request, numbers, out);
        } else {
            for (const std::string& note : then.notes) {
                // Notes without placeholders (the usual case) are compared as written, with no copy.
                if (note.find('{') == std::string::npos) {
                    out.add_note(note);
                } else {
                    out.add_note(fill_message(note, fill));
                }
            }
            for (const ViolationTemplate& violation : then.violations) {
                fill_message(violation.message, fill, out.add_violation(violation.code, rule.id).message);
            }
        }
        if (rule.final) break;
    }
    // The first mailbox among the contacts is the decision's mailbox: earlier rules take precedence.
    for (std::size_t contact : contacts) out.add_contact(rules.contacts[contact].contact);
    filter_by_locale(rules.forms, std::span<const std::size_t>(forms.data(), forms.size()), request.locale,
                     [&](std::size_t index) { out.add_form(rules.forms[index].form); });
}

}  // namespace telpolicy
