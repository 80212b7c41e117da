// A country's rules once loaded and checked: immutable, and shaped for fast evaluation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <telpolicy/action.hpp>
#include <telpolicy/decision.hpp>
#include <telpolicy/plugin/plugin_api.h>

#include "number_classifier.hpp"

namespace telpolicy {

// A set of actions as a bit mask, bit i for the action whose enum value is i.
using ActionMask = std::uint16_t;
inline constexpr ActionMask bit(Action action) noexcept {
    return static_cast<ActionMask>(1u << static_cast<unsigned>(action));
}
inline constexpr ActionMask all_actions_mask = (1u << all_actions.size()) - 1;

// A set of number types, plus one bit for "the request gives no number_type".
using NumberTypeMask = std::uint8_t;
inline constexpr NumberTypeMask unspecified_number_type_bit = 1u << all_number_types.size();
inline constexpr NumberTypeMask bit(std::optional<NumberType> type) noexcept {
    return type ? static_cast<NumberTypeMask>(1u << static_cast<unsigned>(*type)) : unspecified_number_type_bit;
}
inline constexpr NumberTypeMask all_number_types_mask = (unspecified_number_type_bit << 1) - 1;

struct SourceLocation {
    int line{0};
    int column{0};
};

// `any`: the characters are left to the plugin's native checks (PinPolicy::checks).
enum class PinCharacters { ascii_digits, ascii_letters_and_digits, any };

// The transfer PIN's format and lifecycle for one country.
struct PinPolicy {
    bool used{false};
    PinCharacters characters{PinCharacters::ascii_digits};
    std::string characters_called;  // what messages call them ("digits"); empty: from `characters`
    std::size_t min_length{0};
    std::size_t max_length{0};
    bool can_clear{true};
    ActionMask required_for{0};     // refused without a PIN in the request: pin.missing
    ActionMask must_be_set_for{0};  // refused unless the organization has one: pin.not_set
    // Native checks of the plugin run on the PIN, by name; the engine binds them to the plugin's
    // functions when it loads the plugin (parallel vectors; unbound: only validated as names).
    std::vector<std::string> checks;
    std::vector<telpolicy_check_fn> bound_checks;
    SourceLocation location;
};

// A set of number kinds, bit i for the NumberKind whose enum value is i.
using NumberKindMask = std::uint16_t;
inline constexpr NumberKindMask bit(NumberKind kind) noexcept {
    return static_cast<NumberKindMask>(1u << static_cast<unsigned>(kind));
}
inline constexpr NumberKindMask all_number_kinds_mask = (1u << number_kind_count) - 1;

// What one number of the request must be like; every field set must hold.
struct NumberFilter {
    std::optional<bool> valid;
    std::vector<std::string> regions;      // the number's region is one of these (empty: any)
    std::vector<std::string> regions_not;  // the number's region is none of these
    NumberKindMask kinds{all_number_kinds_mask};
    std::optional<bool> duplicate;  // the number repeats an earlier entry of the list
};

// Conditions on the request's list of numbers.
struct NumbersCondition {
    std::optional<bool> given;           // a non-empty `numbers` list was sent
    std::optional<bool> count_mismatch;  // `count` was sent and differs from the list's length
    std::optional<NumberFilter> each;    // some number passes; the rule's denials repeat per such number
    std::optional<NumberFilter> all;     // the list is not empty and every number passes
};

struct Condition {
    ActionMask actions{all_actions_mask};
    NumberTypeMask number_types{all_number_types_mask};
    std::vector<std::string> countries;  // empty: any country the rules serve
    std::uint64_t count_min{0};          // inclusive bounds on Request::effective_count()
    std::uint64_t count_max{UINT64_MAX};
    std::optional<bool> pin_is_set;
    NumbersCondition numbers;
};

struct ViolationTemplate {
    std::string code;
    std::string message;
};

struct Outcome {
    std::vector<std::size_t> forms;     // indexes into RuleSet::forms
    std::vector<std::size_t> contacts;  // indexes into RuleSet::contacts, in the rule's order
    std::vector<std::string> requirements;
    std::vector<std::string> notes;
    std::vector<ViolationTemplate> violations;
};

struct Rule {
    std::string id;
    std::string description;
    SourceLocation location;
    Condition when;
    Outcome then;
    bool final{false};  // when it matches, no later rule is considered
};

struct FormEntry {
    Form form;
    std::string document;  // forms sharing a document are translations of one another
};

// A destination of the catalogue (`contacts`, or `mailboxes` for the mailbox kind), by its id.
struct ContactEntry {
    std::string id;
    Contact contact;  // its url is fetchable as it is (resolved and percent-encoded when loaded)
};

struct RuleSet {
    std::string file;  // where it was loaded from, for messages
    std::string plugin;
    std::vector<std::string> countries;
    ActionMask offered_actions{0};
    SourceLocation actions_location;
    PinPolicy pin;
    std::vector<FormEntry> forms;
    std::vector<ContactEntry> contacts;
    std::vector<Rule> rules;
    bool classifies_numbers{false};  // some rule looks at the numbers themselves (each/all)
};

// The first mailbox among the contacts `then` names: the decision's `mailbox` when it matches first.
inline std::optional<std::size_t> first_mailbox(const RuleSet& rules, const Outcome& then) noexcept {
    for (std::size_t index : then.contacts) {
        if (rules.contacts[index].contact.kind == ContactKind::mailbox) return index;
    }
    return std::nullopt;
}

}  // namespace telpolicy
