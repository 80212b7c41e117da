// Explanations: the same evaluation as decisions, plus a step per check and per rule.
#include "evaluation/explain.hpp"

#include <telpolicy/json_writer.hpp>

#include "evaluation/condition_text.hpp"
#include "evaluation/evaluator.hpp"
#include "request/number_classifier.hpp"
#include "text/text_excerpt.hpp"

namespace telpolicy {
namespace {

std::string location_of(const RuleSet& rules, SourceLocation where) {
    return rules.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

std::string outcome_name(TraceStep::Outcome outcome) {
    switch (outcome) {
        case TraceStep::Outcome::matched: return "matched";
        case TraceStep::Outcome::not_matched: return "not matched";
        case TraceStep::Outcome::not_reached: return "not reached";
    }
    return {};
}

// What a matched rule added, in a few words; a form or contact out of its dates at `as_of` is named
// as not given.
std::string summary_of(const RuleSet& rules, const Rule& rule, Instant as_of) {
    std::vector<std::string> parts;
    const auto out_of_dates = [as_of](const EffectivePeriod& period) {
        return period.contains(as_of) ? std::string() : " (not given: in effect " + period.describe() + ")";
    };
    for (std::size_t form : rule.then.forms) {
        parts.push_back("form " + rules.forms[form].form.id + out_of_dates(rules.forms[form].period));
    }
    for (std::size_t index : rule.then.contacts) {
        const Contact& contact = rules.contacts[index].contact;
        parts.push_back(std::string(to_string(contact.kind)) + " " + contact.address.value_or(contact.url.value_or(contact.name)) +
                        out_of_dates(rules.contacts[index].period));
    }
    for (const std::string& item : rule.then.requirements) parts.push_back("requires " + item);
    if (!rule.then.notes.empty()) parts.emplace_back("a note");
    for (const ViolationTemplate& violation : rule.then.violations) parts.push_back("denies " + violation.code);
    if (rule.final) parts.emplace_back("final: stops here");
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : "; ") + part;
    return out;
}

}  // namespace

void explain_rules(const RuleSet& rules, const Request& request, Decision& decision, std::vector<TraceStep>& trace) {
    EvaluationRecord record;
    evaluate_rules(rules, request, decision, &record);

    const std::string action = printable_excerpt(request.action);
    trace.push_back({rules.plugin + ".actions", location_of(rules, rules.actions_location),
                     record.answered ? TraceStep::Outcome::matched : TraceStep::Outcome::not_matched,
                     record.answered ? action + " is offered" : action + " is not offered: action.unsupported"});
    if (!record.answered) return;
    // The PIN checks' own violations say what they found; the trace names each one that spoke.
    for (const Violation& violation : decision.violations) {
        if (violation.rule.rfind(rules.plugin + ".pin.", 0) == 0) {
            trace.push_back({violation.rule, location_of(rules, rules.pin.location), TraceStep::Outcome::matched,
                             violation.code + ": " + violation.message});
        }
    }
    std::string stopper;
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
        const Rule& rule = rules.rules[i];
        TraceStep step{rule.id, location_of(rules, rule.location), TraceStep::Outcome::not_matched, {}};
        if (i >= record.rules_read.size()) {
            step.outcome = TraceStep::Outcome::not_reached;
            step.detail = "final rule '" + stopper + "' matched above it";
        } else if (record.rules_read[i] == ConditionPart::none) {
            step.outcome = TraceStep::Outcome::matched;
            step.detail = summary_of(rules, rule, record.words->as_of);
            if (rule.final) stopper = rule.id;
        } else if (record.rules_read[i] == ConditionPart::period) {
            // The instant decided for, as the decision gives it, rather than "now" of the request.
            step.detail = "out of its dates: " + describe_part(rules.words, rule.when, ConditionPart::period) +
                          "; decided for " + format_timestamp(record.words->as_of);
        } else {
            step.detail = "needs " + describe_part(rules.words, rule.when, record.rules_read[i]) + "; the request has " +
                          request_side(request, record.rules_read[i]);
        }
        trace.push_back(std::move(step));
    }
}

std::string to_json(const Explanation& explanation, int indent) {
    std::string out;
    JsonWriter w(out, indent);
    w.begin_object().key("decision");
    write_json(explanation.decision, w);
    w.key("trace").begin_array();
    for (const TraceStep& step : explanation.trace) {
        w.begin_object();
        w.key("rule").string(step.rule);
        w.key("location").string(step.location);
        w.key("outcome").string(outcome_name(step.outcome));
        w.key("detail").string(step.detail);
        w.end_object();
    }
    w.end_array().end_object();
    return out;
}

std::string to_text(const Explanation& explanation) {
    const Decision& decision = explanation.decision;
    std::string out = std::string(decision.allowed() ? "ALLOWED" : "REFUSED") + " " +
                      decision.country.value_or("(no country)") + " " +
                      decision.action.value_or("(no action)") + "\n";
    for (const Form& form : decision.forms) out += "  form: " + form.title + " (" + (form.version ? "v" + *form.version : "no version") + ", " +
                                                   form.locale.value_or("no locale") + (form.url ? "" : ", no link") + ")\n";
    for (const Contact& contact : decision.contacts) {
        out += "  " + std::string(to_string(contact.kind)) + ": " + contact.name;
        if (contact.address) out += " <" + *contact.address + ">";
        if (contact.url) out += " " + *contact.url;
        out += "\n";
    }
    for (const std::string& item : decision.requirements) out += "  requires: " + item + "\n";
    for (const Violation& violation : decision.violations) out += "  violation " + violation.code + ": " + violation.message + "\n";
    for (const std::string& note : decision.notes) out += "  note: " + note + "\n";
    if (!explanation.trace.empty()) out += "trace:\n";
    for (const TraceStep& step : explanation.trace) {
        const char* mark = step.outcome == TraceStep::Outcome::matched ? "+" : step.outcome == TraceStep::Outcome::not_reached ? "~" : "-";
        out += "  " + std::string(mark) + " " + step.rule + " (" + step.location + "): " + outcome_name(step.outcome) +
               (step.detail.empty() ? "" : ": " + step.detail) + "\n";
    }
    return out;
}

}  // namespace telpolicy
