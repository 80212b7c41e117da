// Deciding a request in one snapshot: the country's rule set, or why there is none; the words no
// loaded plugin knows.
#include "runtime/snapshot.hpp"

#include <algorithm>

#include <telpolicy/violation_codes.hpp>

#include "evaluation/decision_builder.hpp"
#include "evaluation/evaluator.hpp"
#include "evaluation/explain.hpp"
#include "runtime/country_code.hpp"
#include <telpolicy/suggestion.hpp>
#include "text/text_excerpt.hpp"

namespace telpolicy {

constinit std::mutex library_mutex;

namespace {

bool contains_sorted(const std::vector<std::string>& words, std::string_view word) noexcept {
    const auto it = std::lower_bound(words.begin(), words.end(), word,
                                     [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
    return it != words.end() && *it == word;
}

// The words of the request that no loaded rules file knows: request.invalid, with the known words.
std::optional<std::string> unknown_word(const Snapshot& snapshot, const Request& request) {
    const auto problem = [](std::string_view field, const std::string& word, const std::vector<std::string>& known) {
        std::string message = "field '" + std::string(field) + "' has the value \"" + printable_excerpt(word) +
                              "\", which no loaded plugin knows";
        const std::vector<std::string_view> views(known.begin(), known.end());
        if (const auto guess = closest_word(word, views)) message += "; did you mean '" + *guess + "'?";
        std::string list;
        for (const std::string& each : known) list += (list.empty() ? "" : ", ") + each;
        return message + " (known: " + (list.empty() ? std::string("none") : list) + ")";
    };
    if (!contains_sorted(snapshot.action_words, request.action)) return problem("action", request.action, snapshot.action_words);
    if (request.number_type && !contains_sorted(snapshot.number_type_words, *request.number_type)) {
        return problem("number_type", *request.number_type, snapshot.number_type_words);
    }
    return std::nullopt;
}

}  // namespace

void Snapshot::decide(const Request& request, Decision& decision, std::vector<TraceStep>* trace) const {
    const std::uint16_t index = rule_set_by_country[country_slot(request.country)];
    // The country's own words are the usual case, and need no look-up in the engine's vocabulary. A
    // country no plugin serves is country.unsupported whatever its words: no rules say what they mean.
    const std::optional<RequestWords> words =
        index == no_rule_set ? std::nullopt : resolve_words(rule_sets[index], request);
    if (index != no_rule_set && !words) {
        if (std::optional<std::string> problem = unknown_word(*this, request)) {
            decision = Decision::invalid_request(std::move(*problem));
            return;
        }
    }
    if (index == no_rule_set) {
        DecisionBuilder out(decision);
        Violation& violation = out.add_violation(violation_code::country_unsupported, "core.country");
        const auto refused = std::find_if(refused_countries.begin(), refused_countries.end(),
                                          [&](const auto& entry) { return entry.first == request.country; });
        if (refused != refused_countries.end()) {
            violation.message.assign("the plugin for country ").append(request.country).append(" was refused: ").append(refused->second);
        } else {
            violation.message.assign("no loaded plugin serves country ").append(request.country);
        }
        out.add_matched_rule("core.country");
        out.set_action(request.action);
        decision.plugin.reset();
    } else {
        decision.plugin = identities[index];
        if (trace != nullptr) {
            explain_rules(rule_sets[index], request, decision, *trace);
        } else if (words) {
            evaluate_resolved(rule_sets[index], request, *words, decision);
        } else {
            evaluate_rules(rule_sets[index], request, decision);
        }
    }
    decision.country = request.country;
}

}  // namespace telpolicy
