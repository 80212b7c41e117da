// What a rules file defines, for an editor: its forms, destinations and rules with where each id is
// written, and the words it offers (actions, number types, countries). Read with yaml-cpp from a
// text that may be half-typed: nullopt when it does not parse.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/limits.hpp>

namespace telpolicy::cli::lsp {

// Where an id is written: 0-based line, byte column and length.
struct TextSpan {
    std::size_t line{0};
    std::size_t byte_column{0};
    std::size_t byte_length{0};
};

struct DefinedForm {
    std::string id;
    TextSpan where;
    std::string title;
    std::string version;  // empty when the file gives none
    std::string locale;
};

// A mailbox (kind "mailbox", from `mailboxes` or `contacts`) or another destination.
struct DefinedContact {
    std::string id;
    TextSpan where;
    std::string kind;
    std::string name;
    std::string address;
    std::string url;
};

struct DefinedRule {
    std::string id;
    TextSpan where;
    std::string description;
};

struct DocumentOutline {
    std::string plugin;
    std::vector<std::string> countries;
    std::vector<std::string> actions;
    std::vector<std::string> number_types;  // as the loader defaults them when the file gives none
    std::vector<std::string> synonyms;      // the words `synonyms` defines
    std::vector<DefinedForm> forms;
    std::vector<DefinedContact> contacts;
    std::vector<DefinedRule> rules;

    [[nodiscard]] const DefinedForm* form(std::string_view id) const;
    [[nodiscard]] const DefinedContact* contact(std::string_view id) const;
    [[nodiscard]] const DefinedRule* rule(std::string_view id) const;
};

// The outline of `text`, or nullopt when it is not YAML, or over the limits (depth, aliases, size)
// that keep a hostile text from costing more than the rule loader would let it.
std::optional<DocumentOutline> outline_document(std::string_view text, const Limits& limits);

}  // namespace telpolicy::cli::lsp
