// Rule evaluation: the PIN policy, then the rules top to bottom, each matching rule adding its
// outcome, until a matching rule marked final.
#include "evaluator.hpp"

#include <algorithm>

#include <boost/container/small_vector.hpp>

#include <telpolicy/violation_codes.hpp>

#include "decision_builder.hpp"
#include "locale_match.hpp"
#include "message_template.hpp"
#include "pin_check.hpp"
#include "text_excerpt.hpp"

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
    if (name == "action") return std::string(to_string(request.action));
    if (name == "number_type") return request.number_type ? std::string(to_string(*request.number_type)) : "unspecified";
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

ConditionPart first_failing_part(const Condition& when, const Request& request,
                                 const std::vector<NumberFacts>& numbers) noexcept {
    if ((when.actions & bit(request.action)) == 0) return ConditionPart::action;
    if ((when.number_types & bit(request.number_type)) == 0) return ConditionPart::number_type;
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

void evaluate_rules(const RuleSet& rules, const Request& request, Decision& decision) {
    // Each number is parsed once per request, and only when some rule looks at numbers.
    const bool classify = rules.classifies_numbers && request.numbers && (rules.offered_actions & bit(request.action)) != 0;
    evaluate_rules(rules, request,
                   classify ? classify_numbers(*request.numbers, request.country) : std::vector<NumberFacts>{}, decision);
}

void evaluate_rules(const RuleSet& rules, const Request& request, const std::vector<NumberFacts>& numbers,
                    Decision& decision) {
    DecisionBuilder out(decision);
    // A country without PINs answers PIN actions with pin.not_applicable, whatever it offers.
    const bool pin_action = request.action == Action::set_pin || request.action == Action::clear_pin;
    if ((rules.offered_actions & bit(request.action)) == 0 && !(pin_action && !rules.pin.used)) {
        Violation& violation = out.add_violation(violation_code::action_unsupported, {});
        violation.rule.assign(rules.plugin).append(".actions");
        violation.message.assign("the rules for ")
            .append(request.country)
            .append(" do not offer ")
            .append(to_string(request.action));
        out.add_matched_rule(violation.rule);
        return;
    }
    check_pin(rules, request, out);

    // Forms and contacts are collected as catalogue indexes, each once, in order of first mention.
    boost::container::small_vector<std::size_t, 8> forms;
    boost::container::small_vector<std::size_t, 4> contacts;
    const auto fill = [&request](std::string_view name) { return request_value(name, request); };
    for (const Rule& rule : rules.rules) {
        if (!condition_holds(rule.when, request, numbers)) continue;
        out.add_matched_rule(rule.id);
        const Outcome& then = rule.then;
        for (std::size_t form : then.forms) {
            if (std::find(forms.begin(), forms.end(), form) == forms.end()) forms.push_back(form);
        }
        for (std::size_t contact : then.contacts) {
            if (std::find(contacts.begin(), contacts.end(), contact) == contacts.end()) contacts.push_back(contact);
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
