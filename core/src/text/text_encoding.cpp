// The UTF-8 check of files, with ICU's decoder (U8_NEXT), which marks every ill-formed sequence the
// Unicode standard names: stray continuation bytes, overlong forms, surrogates, truncated sequences.
#include "text/text_encoding.hpp"

#include <cstdint>
#include <cstdio>

#include <unicode/utf8.h>

namespace telpolicy {
namespace {

std::string hex_byte(unsigned char byte) {
    char out[8];
    std::snprintf(out, sizeof out, "0x%02X", byte);
    return out;
}

// The line and column are the message's prefix; the offset is for hex editors.
std::string where(std::size_t offset) { return "(byte " + std::to_string(offset + 1) + " of the file)"; }

}  // namespace

std::optional<EncodingProblem> find_encoding_problem(std::string_view text) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(std::min<std::size_t>(text.size(), INT32_MAX));
    std::int32_t at = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    int line = 0;
    std::int32_t line_start = 0;
    while (at < length) {
        const std::int32_t start = at;
        UChar32 code_point = 0;
        U8_NEXT(bytes, at, length, code_point);
        const int column = start - line_start;
        if (code_point < 0) {
            return EncodingProblem{static_cast<std::size_t>(start), line, column,
                                   "not UTF-8: the byte " + hex_byte(bytes[start]) + " " + where(static_cast<std::size_t>(start)) +
                                       " does not begin a UTF-8 character (a file saved as Latin-1 or Windows-1252?); "
                                       "save the file as UTF-8"};
        }
        if (code_point == '\n') {
            ++line;
            line_start = at;
        } else if (code_point < 0x20 && code_point != '\t' && code_point != '\r') {
            return EncodingProblem{static_cast<std::size_t>(start), line, column,
                                   "not a text file: the control byte " + hex_byte(bytes[start]) + " " + where(static_cast<std::size_t>(start)) +
                                       (code_point == 0 ? " is a NUL, which text never holds" : " has no place in text") +
                                       "; is this a binary file?"};
        }
    }
    return std::nullopt;
}

}  // namespace telpolicy
