// Where in a rules file the cursor is, read from the text around it (a file being typed rarely
// parses): the keys leading to it, and whether a key or which key's value goes there.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lsp_text_lines.hpp"

namespace telpolicy::cli::lsp {

// The mappings of a rules file that have keys of their own (telpolicy/rules_keys.hpp).
enum class Place { unknown, top_level, pin, pin_length, form, mailbox, contact, rule, when, when_count, when_numbers,
                   number_filter, then, deny };

struct CursorContext {
    std::vector<std::string> path;  // the keys from the top of the file: {"rules", "then"}
    bool at_key{false};             // a key of place_of(path) goes here
    std::string value_of;           // else, when not empty: the key whose value (or list item) goes here
    std::string typed;              // the part of the word before the cursor
};

// The context at byte column `byte_column` of `line`.
CursorContext context_at(const TextLines& lines, std::size_t line, std::size_t byte_column);

Place place_of(const std::vector<std::string>& path);
// The keys a mapping of `place` may hold; empty for Place::unknown.
std::span<const std::string_view> keys_of(Place place);

// The id-like word (letters, digits, . _ - and any non-ASCII) around byte column `byte_column`:
// its first byte column and its text; empty when the cursor touches none.
struct WordAt {
    std::size_t byte_column{0};
    std::string text;
};
WordAt word_at(std::string_view line, std::size_t byte_column);

}  // namespace telpolicy::cli::lsp
