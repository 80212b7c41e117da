// A country's rules once loaded and checked: immutable, and shaped for fast evaluation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <telpolicy/decision.hpp>
#include <telpolicy/plugin/plugin_api.h>

#include "policy/effective_period.hpp"
#include "request/number_classifier.hpp"
#include "policy/vocabulary.hpp"
#include "policy/word_set.hpp"

namespace telpolicy {

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
    // The PIN's roles, as sets of action ids: the lifecycle is data, no action is special to the core.
    WordSet sets;             // the action gives the new PIN in `pin`; a blank one while set removes it
    WordSet clears;           // the action removes the PIN: pin.cannot_clear unless can_clear
    WordSet required_for;     // refused without a PIN in the request: pin.missing
    WordSet must_be_set_for;  // refused unless the organization has one: pin.not_set
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
    EffectivePeriod period;               // the rule's `valid_from` and `valid_until`: checked first
    std::optional<WordSet> actions;       // action ids; nullopt: any action
    std::optional<WordSet> number_types;  // number type ids (0: unspecified); nullopt: any
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

// The warnings `telpolicy validate` gives about a form (analysis/form_checks.cpp), by the names a
// rules file uses to say that one is expected, and why (a page's own mistake, kept as written).
inline constexpr std::string_view form_warning_names[] = {"url_country", "url_version", "locale"};

struct ExpectedWarning {
    std::string name;    // one of form_warning_names
    std::string reason;  // why the file keeps what the warning is about
    SourceLocation location;
};

struct FormEntry {
    Form form;
    EffectivePeriod period;  // a matching rule gives the form only within it
    std::string document;  // forms sharing a document are translations of one another
    SourceLocation location;
    std::vector<ExpectedWarning> expected_warnings;
};

// A destination of the catalogue (`contacts`, or `mailboxes` for the mailbox kind), by its id.
struct ContactEntry {
    std::string id;
    Contact contact;  // its url is fetchable as it is (resolved and percent-encoded when loaded)
    EffectivePeriod period;  // a matching rule gives the contact only within it
};

struct RuleSet {
    std::string file;  // where it was loaded from, for messages
    std::string plugin;
    SourceLocation plugin_location;
    std::vector<std::string> countries;
    std::vector<std::string> sources;  // the public pages the file encodes, as it cites them
    Vocabulary words;
    WordSet offered_actions;  // ids of words.actions that the country offers
    SourceLocation actions_location;
    PinPolicy pin;
    std::vector<FormEntry> forms;
    std::vector<ContactEntry> contacts;
    std::vector<Rule> rules;
    bool classifies_numbers{false};  // some rule looks at the numbers themselves (each/all)
    // Every bound of every period of its forms, contacts and rules, sorted, each once: the instants
    // at which its decisions may change. Empty: nothing is dated, every date decides alike.
    std::vector<Instant> change_instants;

    [[nodiscard]] bool dated() const noexcept { return !change_instants.empty(); }
};

// The first mailbox in effect at `as_of` among the contacts `then` names: the decision's `mailbox`
// when it matches first.
inline std::optional<std::size_t> first_mailbox(const RuleSet& rules, const Outcome& then, Instant as_of) noexcept {
    for (std::size_t index : then.contacts) {
        const ContactEntry& entry = rules.contacts[index];
        if (entry.contact.kind == ContactKind::mailbox && entry.period.contains(as_of)) return index;
    }
    return std::nullopt;
}

}  // namespace telpolicy
