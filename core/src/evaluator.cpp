// Rule evaluation: the PIN policy, then the rules top to bottom, each matching rule adding its
// outcome, until a matching rule marked final.
#include "evaluator.hpp"

#include <algorithm>

#include <telpolicy/violation_codes.hpp>

#include "locale_match.hpp"
#include "pin_check.hpp"

namespace telpolicy {
namespace {

template <typename T>
void append_unique(std::vector<T>& target, const T& value) {
    if (std::find(target.begin(), target.end(), value) == target.end()) target.push_back(value);
}

}  // namespace

bool condition_holds(const Condition& when, const Request& request) noexcept {
    if ((when.actions & bit(request.action)) == 0) return false;
    if ((when.number_types & bit(request.number_type)) == 0) return false;
    if (!when.countries.empty() &&
        std::find(when.countries.begin(), when.countries.end(), request.country) == when.countries.end()) {
        return false;
    }
    const std::uint64_t count = request.effective_count();
    if (count < when.count_min || count > when.count_max) return false;
    if (when.pin_is_set && *when.pin_is_set != request.pin_is_set) return false;
    if (when.numbers_given && *when.numbers_given != (request.numbers && !request.numbers->empty())) return false;
    return true;
}

void evaluate_rules(const RuleSet& rules, const Request& request, Decision& decision) {
    // A country without PINs answers PIN actions with pin.not_applicable, whatever it offers.
    const bool pin_action = request.action == Action::set_pin || request.action == Action::clear_pin;
    if ((rules.offered_actions & bit(request.action)) == 0 && !(pin_action && !rules.pin.used)) {
        std::string rule_id = rules.plugin + ".actions";
        decision.violations.push_back({std::string(violation_code::action_unsupported),
                                       "the rules for " + request.country + " do not offer " +
                                           std::string(to_string(request.action)),
                                       rule_id});
        decision.matched_rules.push_back(std::move(rule_id));
        return;
    }
    check_pin(rules, request, decision);

    std::vector<std::size_t> forms;
    for (const Rule& rule : rules.rules) {
        if (!condition_holds(rule.when, request)) continue;
        decision.matched_rules.push_back(rule.id);
        const Outcome& then = rule.then;
        for (std::size_t form : then.forms) append_unique(forms, form);
        // The first matching rule that names a mailbox decides it: earlier rules take precedence.
        if (then.mailbox && !decision.mailbox) decision.mailbox = rules.mailboxes[*then.mailbox].address;
        for (const std::string& item : then.requirements) append_unique(decision.requirements, item);
        for (const std::string& note : then.notes) append_unique(decision.notes, note);
        for (const ViolationTemplate& violation : then.violations) {
            decision.violations.push_back({violation.code, violation.message, rule.id});
        }
        if (rule.final) break;
    }
    for (std::size_t index : filter_by_locale(rules.forms, forms, request.locale)) {
        decision.forms.push_back(rules.forms[index].form);
    }
}

}  // namespace telpolicy
