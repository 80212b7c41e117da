// The JSON writer: string escaping as nlohmann escapes strings with error_handler_t::replace, and
// nlohmann's compact and pretty layouts (see the header).
#include <telpolicy/json_writer.hpp>

#include <charconv>

#include <array>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace telpolicy {
namespace {

// Björn Höhrmann's UTF-8 decoder DFA, as nlohmann's serializer uses it (same table, same states):
// the first 256 entries give each byte's class, the rest the next state for (state, class).
constexpr std::uint8_t utf8_accept = 0;
constexpr std::uint8_t utf8_reject = 1;
constexpr std::array<std::uint8_t, 400> utf8_dfa{{
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 00..1F
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 20..3F
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 40..5F
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 60..7F
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,  // 80..9F
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  // A0..BF
    8, 8, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  // C0..DF
    0xA, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x4, 0x3, 0x3,                  // E0..EF
    0xB, 0x6, 0x6, 0x6, 0x5, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8,                  // F0..FF
    0x0, 0x1, 0x2, 0x3, 0x5, 0x8, 0x7, 0x1, 0x1, 0x1, 0x4, 0x6, 0x1, 0x1, 0x1, 0x1,                  // s0..s0
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1,  // s1..s2
    1, 2, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1,  // s3..s4
    1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 3, 1, 1, 1, 1, 1, 1,  // s5..s6
    1, 3, 1, 1, 1, 1, 1, 3, 1, 3, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  // s7..s8
}};

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD

// The first byte at or after `p` that cannot be copied as it is: a control character, '"', '\\', or
// a byte of a multi-byte UTF-8 sequence (checked by the DFA). `end` if there is none.
const char* skip_plain(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(' ');
    while (end - p >= 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // Signed comparison: bytes 0x80..0xFF are negative, so "less than a space" also finds them.
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                                             _mm_cmplt_epi8(bytes, space));
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
        if (mask != 0) return p + __builtin_ctz(mask);
        p += 16;
    }
#endif
    for (; p < end; ++p) {
        const auto byte = static_cast<unsigned char>(*p);
        if (byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\') return p;
    }
    return end;
}

void append_control(std::string& out, unsigned char byte) {
    switch (byte) {
        case '\b': out += "\\b"; return;
        case '\t': out += "\\t"; return;
        case '\n': out += "\\n"; return;
        case '\f': out += "\\f"; return;
        case '\r': out += "\\r"; return;
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        default: break;
    }
    static constexpr char hex[] = "0123456789abcdef";
    const char escaped[6] = {'\\', 'u', '0', '0', hex[byte >> 4], hex[byte & 0xF]};
    out.append(escaped, sizeof escaped);
}

// Copies the UTF-8 sequence that starts at `p` (its first byte is 0x80 or above), or writes U+FFFD in
// place of the bytes that do not form one. Returns where to go on: past the sequence; past a lone bad
// first byte; or at the byte that broke a sequence, which is read again on its own, as nlohmann does.
const char* append_multibyte(std::string& out, const char* p, const char* end) {
    const std::size_t mark = out.size();
    std::uint8_t state = utf8_accept;
    const char* const start = p;
    for (; p < end; ++p) {
        const auto byte = static_cast<unsigned char>(*p);
        state = utf8_dfa[256u + std::size_t{state} * 16u + utf8_dfa[byte]];
        if (state == utf8_accept) {
            out.append(start, static_cast<std::size_t>(p + 1 - start));
            return p + 1;
        }
        if (state == utf8_reject) {
            out.resize(mark);
            out += replacement_character;
            return p == start ? p + 1 : p;
        }
    }
    out += replacement_character;  // the text ends inside a sequence
    return end;
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) {
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end) {
        const char* const plain_end = skip_plain(p, end);
        out.append(p, static_cast<std::size_t>(plain_end - p));
        p = plain_end;
        if (p == end) break;
        const auto byte = static_cast<unsigned char>(*p);
        if (byte < 0x80) {
            append_control(out, byte);
            ++p;
        } else {
            p = append_multibyte(out, p, end);
        }
    }
}

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    append_json_escaped(out, text);
    out += '"';
}

// ----- the writer -----

namespace {

template <typename Integer>
void append_integer(std::string& out, Integer value) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
    out.append(digits.data(), end);
}

}  // namespace

JsonWriter& JsonWriter::number(std::uint64_t value) {
    before_value();
    append_integer(out_, value);
    return *this;
}

JsonWriter& JsonWriter::number(std::int64_t value) {
    before_value();
    append_integer(out_, value);
    return *this;
}

}  // namespace telpolicy
