// Decisions compared field by field (nlohmann::json), only for those whose bytes differ.
#include "decision_change.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include <telpolicy/decision.hpp>

namespace telpolicy::cli {
namespace {

using json_value = nlohmann::json;

constexpr std::array<std::string_view, change_kind_count> kind_names{
    "allowed_to_denied", "denied_to_allowed", "forms", "versions", "destinations",
    "violations_new",    "violations_gone",   "requirements", "other"};
constexpr std::array<std::string_view, change_kind_count> kind_descriptions{
    "allowed -> denied", "denied -> allowed", "another form", "another version", "another destination",
    "new violations",    "gone violations",   "other requirements", "other changes (notes, messages, matched rules)"};

json_value field(const json_value& decision, std::string_view name) {
    const auto it = decision.find(std::string(name));
    return it == decision.end() ? json_value(nullptr) : *it;
}

std::multiset<std::string> codes(const json_value& decision) {
    std::multiset<std::string> out;
    for (const json_value& violation : field(decision, "violations")) {
        if (violation.is_object() && violation.contains("code") && violation["code"].is_string()) {
            out.insert(violation["code"].get<std::string>());
        }
    }
    return out;
}

std::vector<std::string> strings(const json_value& list) {
    std::vector<std::string> out;
    for (const json_value& item : list) {
        if (item.is_string()) out.push_back(item.get<std::string>());
    }
    return out;
}

// A form without its version, for telling "another form" from "another version of the same form".
json_value without_versions(const json_value& forms) {
    json_value out = forms;
    for (json_value& form : out) {
        if (form.is_object()) form.erase("version");
    }
    return out;
}

}  // namespace

std::string_view to_string(ChangeKind kind) noexcept { return kind_names[static_cast<std::size_t>(kind)]; }
std::string_view describe(ChangeKind kind) noexcept { return kind_descriptions[static_cast<std::size_t>(kind)]; }

DecisionChange compare_decisions(std::string_view logged, std::string_view replayed) {
    const json_value before = json_value::parse(logged);
    const json_value after = json_value::parse(replayed);
    DecisionChange change;
    // as_of too: a replay may decide for another instant (only that is no change, below).
    for (std::string_view name : decision_fields) {
        const json_value a = field(before, name);
        const json_value b = field(after, name);
        if (a != b) change.fields.push_back({std::string(name), a.dump(), b.dump()});
    }
    std::set<ChangeKind> kinds;
    const bool allowed_before = field(before, "allowed") == json_value(true);
    const bool allowed_after = field(after, "allowed") == json_value(true);
    if (allowed_before && !allowed_after) kinds.insert(ChangeKind::allowed_to_denied);
    if (!allowed_before && allowed_after) kinds.insert(ChangeKind::denied_to_allowed);
    const json_value forms_before = field(before, "forms");
    const json_value forms_after = field(after, "forms");
    if (forms_before != forms_after) {
        kinds.insert(without_versions(forms_before) == without_versions(forms_after) ? ChangeKind::versions : ChangeKind::forms);
    }
    if (field(before, "mailbox") != field(after, "mailbox") || field(before, "contacts") != field(after, "contacts")) {
        kinds.insert(ChangeKind::destinations);
    }
    const auto codes_before = codes(before);
    const auto codes_after = codes(after);
    if (std::any_of(codes_after.begin(), codes_after.end(), [&](const std::string& code) { return codes_after.count(code) > codes_before.count(code); })) {
        kinds.insert(ChangeKind::violations_new);
    }
    if (std::any_of(codes_before.begin(), codes_before.end(), [&](const std::string& code) { return codes_before.count(code) > codes_after.count(code); })) {
        kinds.insert(ChangeKind::violations_gone);
    }
    if (field(before, "requires") != field(after, "requires")) kinds.insert(ChangeKind::requirements);
    // Only the instant decided for (replay --as-of) is no change of what was decided.
    const bool more_than_the_instant = std::any_of(change.fields.begin(), change.fields.end(),
                                                   [](const FieldChange& changed) { return changed.field != "as_of"; });
    if (kinds.empty() && more_than_the_instant) kinds.insert(ChangeKind::other);
    change.kinds.assign(kinds.begin(), kinds.end());

    const std::vector<std::string> matched_before = strings(field(before, "matched_rules"));
    const std::vector<std::string> matched_after = strings(field(after, "matched_rules"));
    const auto has = [](const std::vector<std::string>& list, const std::string& rule) {
        return std::find(list.begin(), list.end(), rule) != list.end();
    };
    for (const std::string& rule : matched_before) (has(matched_after, rule) ? change.rules_both : change.rules_gone).push_back(rule);
    for (const std::string& rule : matched_after) {
        if (!has(matched_before, rule)) change.rules_new.push_back(rule);
    }
    return change;
}

}  // namespace telpolicy::cli
