// Whether a file's bytes are UTF-8 text, checked before a parser sees them: a Latin-1 "é" in a form
// title would otherwise reach decisions as "R\uFFFDquest", and a NUL byte or a binary file would get
// the YAML parser's words about escape characters.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace telpolicy {

struct EncodingProblem {
    std::size_t offset{0};  // 0-based byte offset of the offending byte
    int line{0};            // 0-based, as parsers' marks are
    int column{0};          // 0-based byte column
    std::string message;    // says which byte, where, and what to do
};

// The first byte that makes `text` not UTF-8 text: a NUL (or another control character than tab,
// line feed and carriage return, which no text file holds) is "not a text file"; a byte sequence
// that is not UTF-8 is "not UTF-8". A UTF-8 byte-order mark at the start is accepted.
std::optional<EncodingProblem> find_encoding_problem(std::string_view text);

}  // namespace telpolicy
