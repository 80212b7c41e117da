// The decision writer as it was before core/src/decision_json.cpp wrote JSON directly: an
// nlohmann::ordered_json built field by field, then dumped. Kept as the reference the direct writer
// must match byte for byte (tests/unit-decision-writer.cpp) and as the benchmarks' baseline
// (bench/bench_batch.cpp).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <telpolicy/decision.hpp>

namespace telpolicy::reference {

inline std::string legacy_to_json(const Decision& decision, int indent = -1) {
    using ordered_json = nlohmann::ordered_json;
    const auto optional_string = [](const std::optional<std::string>& value) {
        return value ? ordered_json(*value) : ordered_json(nullptr);
    };
    ordered_json out;
    out["allowed"] = decision.allowed();
    out["country"] = optional_string(decision.country);
    out["action"] = optional_string(decision.action);
    out["plugin"] = decision.plugin
                        ? ordered_json{{"name", decision.plugin->name}, {"version", decision.plugin->version}}
                        : ordered_json(nullptr);
    ordered_json forms = ordered_json::array();
    for (const Form& form : decision.forms) {
        forms.push_back({{"id", form.id},
                         {"title", form.title},
                         {"version", optional_string(form.version)},
                         {"locale", optional_string(form.locale)},
                         {"url", optional_string(form.url)}});
    }
    out["forms"] = std::move(forms);
    out["mailbox"] = optional_string(decision.mailbox);
    ordered_json contacts = ordered_json::array();
    for (const Contact& contact : decision.contacts) {
        contacts.push_back({{"kind", std::string(to_string(contact.kind))},
                            {"name", contact.name},
                            {"address", optional_string(contact.address)},
                            {"url", optional_string(contact.url)}});
    }
    out["contacts"] = std::move(contacts);
    out["requires"] = decision.requirements;
    ordered_json violations = ordered_json::array();
    for (const Violation& violation : decision.violations) {
        violations.push_back({{"code", violation.code}, {"message", violation.message}, {"rule", violation.rule}});
    }
    out["violations"] = std::move(violations);
    out["notes"] = decision.notes;
    out["matched_rules"] = decision.matched_rules;
    return out.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace telpolicy::reference
