// How a decision changed between a decision log and a replay: the kinds of change people ask about
// first (allowed to denied, another form, another version, another destination, new or gone
// violations), the fields that differ, and the rules that matched on one side only.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace telpolicy::cli {

enum class ChangeKind {
    allowed_to_denied,
    denied_to_allowed,
    forms,         // another form is given, or one is no longer (by id, title, link or locale)
    versions,      // the same forms, another version of one
    destinations,  // another mailbox or other contacts
    violations_new,
    violations_gone,
    requirements,  // what must be sent along
    other,         // notes, messages, or matched rules only
};
inline constexpr std::size_t change_kind_count = 9;

// "allowed_to_denied", "versions", ... as the JSON report names them.
std::string_view to_string(ChangeKind kind) noexcept;
// "allowed -> denied", "another version", ... as the text report names them.
std::string_view describe(ChangeKind kind) noexcept;

struct FieldChange {
    std::string field;   // a field of the decision JSON
    std::string before;  // its JSON in the log, one line
    std::string after;   // its JSON now
};

struct DecisionChange {
    std::vector<ChangeKind> kinds;  // each kind once, in enum order; empty: nothing that matters changed
    std::vector<FieldChange> fields;
    std::vector<std::string> rules_gone;   // matched in the log, not now
    std::vector<std::string> rules_new;    // matched now, not in the log
    std::vector<std::string> rules_both;   // matched both times: where an edit in place is to be looked for
};

// Compares two decisions given as the contract's JSON. Throws nlohmann::json::exception when either
// is not JSON.
DecisionChange compare_decisions(std::string_view logged, std::string_view replayed);

}  // namespace telpolicy::cli
