// Writes a Decision as the contract's JSON, fields in the contract's order.
//
// A direct writer appending to a string: no JSON document is built. Its output is byte for byte what
// nlohmann::ordered_json's dump(indent, ' ', false, error_handler_t::replace) gave for the same
// decision (tests/unit-decision-writer.cpp compares the two on many decisions), so that the contract's
// bytes did not change when the writer did: compact for indent < 0; otherwise one value a line, `indent`
// spaces a level, ": " after keys, and [] and {} for empty containers. Strings are escaped as nlohmann
// escapes them (\" \\ \b \f \n \r \t, other control characters as \u00xx), other UTF-8 passes through,
// and invalid UTF-8 becomes U+FFFD, sequence by sequence, as nlohmann's `replace` handler does.
#include <telpolicy/decision.hpp>

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

void append_escaped(std::string& out, std::string_view text) {
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

void append_string(std::string& out, std::string_view text) {
    out += '"';
    append_escaped(out, text);
    out += '"';
}

// The pretty layout: one value a line, `indent` spaces a level, ": " after keys, and [] and {} for
// empty containers, as nlohmann lays it out.
class PrettyWriter {
public:
    PrettyWriter(std::string& out, int indent) : out_(out), step_(static_cast<std::size_t>(indent)) {}

    void open(char bracket) {
        out_ += bracket;
        ++depth_;
        first_ = true;
    }
    void close(char bracket) {
        --depth_;
        if (!first_) new_line();  // an empty container stays "[]" or "{}"
        out_ += bracket;
        first_ = false;  // the container was itself an item of its parent
    }
    // Before each element of an array.
    void item() {
        if (!first_) out_ += ',';
        new_line();
        first_ = false;
    }
    // Before each member of an object; `name` needs no escaping.
    void key(std::string_view name) {
        item();
        out_ += '"';
        out_ += name;
        out_ += "\": ";
    }

    void string(std::string_view text) { append_string(out_, text); }
    void optional_string(const std::optional<std::string>& text) {
        if (text) {
            string(*text);
        } else {
            out_ += "null";
        }
    }
    void strings(const std::vector<std::string>& list) {
        open('[');
        for (const std::string& text : list) {
            item();
            string(text);
        }
        close(']');
    }

private:
    void new_line() {
        out_ += '\n';
        out_.append(depth_ * step_, ' ');
    }

    std::string& out_;
    std::size_t step_;
    std::size_t depth_{0};
    bool first_{true};
};

void write_pretty(const Decision& decision, std::string& out, int indent) {
    PrettyWriter w(out, indent);
    w.open('{');
    w.key("allowed");
    out += decision.allowed() ? std::string_view("true") : std::string_view("false");
    w.key("country");
    w.optional_string(decision.country);
    w.key("action");
    if (decision.action) {
        w.string(to_string(*decision.action));
    } else {
        out += "null";
    }
    w.key("plugin");
    if (decision.plugin) {
        w.open('{');
        w.key("name");
        w.string(decision.plugin->name);
        w.key("version");
        w.string(decision.plugin->version);
        w.close('}');
    } else {
        out += "null";
    }
    w.key("forms");
    w.open('[');
    for (const Form& form : decision.forms) {
        w.item();
        w.open('{');
        w.key("id");
        w.string(form.id);
        w.key("title");
        w.string(form.title);
        w.key("version");
        w.string(form.version);
        w.key("locale");
        w.string(form.locale);
        w.key("url");
        w.string(form.url);
        w.close('}');
    }
    w.close(']');
    w.key("mailbox");
    w.optional_string(decision.mailbox);
    w.key("requires");
    w.strings(decision.requirements);
    w.key("violations");
    w.open('[');
    for (const Violation& violation : decision.violations) {
        w.item();
        w.open('{');
        w.key("code");
        w.string(violation.code);
        w.key("message");
        w.string(violation.message);
        w.key("rule");
        w.string(violation.rule);
        w.close('}');
    }
    w.close(']');
    w.key("notes");
    w.strings(decision.notes);
    w.key("matched_rules");
    w.strings(decision.matched_rules);
    w.close('}');
}

// The compact layout, the one batches write, with each run of punctuation and keys between two
// values appended at once.
void append_strings(std::string& out, const std::vector<std::string>& list) {
    out += '[';
    bool first = true;
    for (const std::string& text : list) {
        out += first ? std::string_view("\"") : std::string_view(",\"");
        first = false;
        append_escaped(out, text);
        out += '"';
    }
    out += ']';
}

void append_optional(std::string& out, const std::optional<std::string>& text) {
    if (text) {
        append_string(out, *text);
    } else {
        out += "null";
    }
}

void write_compact(const Decision& decision, std::string& out) {
    out += decision.allowed() ? std::string_view(R"({"allowed":true,"country":)")
                              : std::string_view(R"({"allowed":false,"country":)");
    append_optional(out, decision.country);
    out += R"(,"action":)";
    if (decision.action) {
        append_string(out, to_string(*decision.action));
    } else {
        out += "null";
    }
    if (decision.plugin) {
        out += R"(,"plugin":{"name":")";
        append_escaped(out, decision.plugin->name);
        out += R"(","version":")";
        append_escaped(out, decision.plugin->version);
        out += R"("},"forms":[)";
    } else {
        out += R"(,"plugin":null,"forms":[)";
    }
    bool first = true;
    for (const Form& form : decision.forms) {
        out += first ? std::string_view(R"({"id":")") : std::string_view(R"(,{"id":")");
        first = false;
        append_escaped(out, form.id);
        out += R"(","title":")";
        append_escaped(out, form.title);
        out += R"(","version":")";
        append_escaped(out, form.version);
        out += R"(","locale":")";
        append_escaped(out, form.locale);
        out += R"(","url":")";
        append_escaped(out, form.url);
        out += R"("})";
    }
    out += R"(],"mailbox":)";
    append_optional(out, decision.mailbox);
    out += R"(,"requires":)";
    append_strings(out, decision.requirements);
    out += R"(,"violations":[)";
    first = true;
    for (const Violation& violation : decision.violations) {
        out += first ? std::string_view(R"({"code":")") : std::string_view(R"(,{"code":")");
        first = false;
        append_escaped(out, violation.code);
        out += R"(","message":")";
        append_escaped(out, violation.message);
        out += R"(","rule":")";
        append_escaped(out, violation.rule);
        out += R"("})";
    }
    out += R"(],"notes":)";
    append_strings(out, decision.notes);
    out += R"(,"matched_rules":)";
    append_strings(out, decision.matched_rules);
    out += '}';
}
}  // namespace

void to_json(const Decision& decision, std::string& out, int indent) {
    if (indent < 0) {
        write_compact(decision, out);
    } else {
        write_pretty(decision, out, indent);
    }
}

std::string to_json(const Decision& decision, int indent) {
    std::string out;
    out.reserve(512);
    to_json(decision, out, indent);
    return out;
}

}  // namespace telpolicy
