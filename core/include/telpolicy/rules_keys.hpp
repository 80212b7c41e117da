// The keys of a rules file, place by place (rules/README.md): what the rule loader accepts and
// requires, and what an editor offers to complete. One list per place, so that the loader and the
// editor tools (`telpolicy lsp`) never disagree about the format.
#pragma once

#include <string_view>

namespace telpolicy::rules_keys {

inline constexpr std::string_view top_level[] = {
    "format",  "plugin", "countries", "sources",   "base_url", "actions", "number_types",
    "synonyms", "pin",   "forms",     "mailboxes", "contacts", "rules",
};
inline constexpr std::string_view top_level_required[] = {"format", "plugin", "countries", "actions", "pin", "rules"};

inline constexpr std::string_view pin[] = {
    "used", "characters", "characters_called", "length", "can_clear",
    "required_for", "must_be_set_for", "checks", "sets", "clears",
};
inline constexpr std::string_view pin_required[] = {"used"};
inline constexpr std::string_view pin_length[] = {"min", "max"};

inline constexpr std::string_view form[] = {"id",       "title",          "version",    "locale",     "url",
                                            "document", "expected_warnings", "valid_from", "valid_until"};
inline constexpr std::string_view form_required[] = {"id", "title"};
inline constexpr std::string_view mailbox[] = {"id", "address", "name", "valid_from", "valid_until"};
inline constexpr std::string_view mailbox_required[] = {"id", "address"};
inline constexpr std::string_view contact[] = {"id", "kind", "name", "address", "url", "valid_from", "valid_until"};
inline constexpr std::string_view contact_required[] = {"id", "kind"};

inline constexpr std::string_view rule[] = {"id", "description", "when", "then", "final", "valid_from", "valid_until"};
inline constexpr std::string_view rule_required[] = {"id", "then"};
inline constexpr std::string_view when[] = {"action", "number_type", "country", "count", "pin_is_set", "numbers"};
inline constexpr std::string_view when_count[] = {"more_than", "at_least", "less_than", "at_most"};
inline constexpr std::string_view when_numbers[] = {"given", "count_mismatch", "each", "all"};
// when.numbers.each and when.numbers.all: conditions on one number.
inline constexpr std::string_view number_filter[] = {"valid", "region", "region_not", "kind", "kind_not", "duplicate"};
inline constexpr std::string_view then[] = {"forms", "mailbox", "contacts", "requires", "notes", "deny"};
inline constexpr std::string_view deny[] = {"code", "message"};
inline constexpr std::string_view deny_required[] = {"code", "message"};

}  // namespace telpolicy::rules_keys
