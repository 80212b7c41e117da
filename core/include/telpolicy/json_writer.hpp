// The one JSON writer of telpolicy: decisions, explanations, load reports, the decision service's
// bodies and its decision log are all written with it, compact or pretty.
//
// Strings are escaped as nlohmann::json's dump(..., error_handler_t::replace) escapes them (\" \\ \b
// \f \n \r \t, other control characters as \u00xx; valid UTF-8 passes through, invalid UTF-8 becomes
// U+FFFD, sequence by sequence), and the pretty layout is nlohmann's (one value a line, `indent`
// spaces a level, ": " after keys, [] and {} for empty containers), so that documents keep the bytes
// they had when nlohmann wrote them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#if defined(__GNUC__)
#define TELPOLICY_JSON_INLINE [[gnu::always_inline]] inline
#else
#define TELPOLICY_JSON_INLINE inline
#endif

namespace telpolicy {

// Appends `text` escaped as a JSON string's contents.
void append_json_escaped(std::string& out, std::string_view text);
// The same between double quotes.
void append_json_string(std::string& out, std::string_view text);

// Appends one JSON document to a string, value by value. The caller opens and closes containers in
// order and gives a key before each member's value; the writer places commas, new lines and indents.
// Inline: a decision is some forty calls, on the path of every batch line.
class JsonWriter {
public:
    // indent < 0: compact, on one line (JSON Lines); otherwise pretty with `indent` spaces a level.
    explicit JsonWriter(std::string& out, int indent = -1) noexcept
        : out_(out), step_(indent < 0 ? 0 : static_cast<std::size_t>(indent)), pretty_(indent >= 0) {}

    TELPOLICY_JSON_INLINE JsonWriter& begin_object() { return open('{'); }
    TELPOLICY_JSON_INLINE JsonWriter& end_object() { return close('}'); }
    TELPOLICY_JSON_INLINE JsonWriter& begin_array() { return open('['); }
    TELPOLICY_JSON_INLINE JsonWriter& end_array() { return close(']'); }

    // A member's key; `name` is escaped.
    TELPOLICY_JSON_INLINE JsonWriter& key(std::string_view name) {
        before_value();
        out_ += '"';
        append_json_escaped(out_, name);
        return after_name();
    }
    // A key the program spells as a string literal, written as it is: it must need no escaping.
    template <std::size_t N>
    TELPOLICY_JSON_INLINE JsonWriter& key(const char (&name)[N]) {
        if (pretty_) {
            before_value();
            out_ += '"';
            out_.append(name, N - 1);
            return after_name();
        }
        compact_key(name, "");
        after_key_ = true;
        return *this;
    }

    // A member whose value is a text: the key (a literal, as above) and the value's opening quote
    // go out in one append when compact.
    template <std::size_t N>
    TELPOLICY_JSON_INLINE JsonWriter& member(const char (&name)[N], std::string_view text) {
        if (pretty_) return key(name).string(text);
        compact_key(name, "\"");
        append_json_escaped(out_, text);
        out_ += '"';
        return *this;
    }
    template <std::size_t N>
    TELPOLICY_JSON_INLINE JsonWriter& member(const char (&name)[N], const std::string& text) {
        return member(name, std::string_view(text));
    }
    template <std::size_t N>
    TELPOLICY_JSON_INLINE JsonWriter& member(const char (&name)[N], const std::optional<std::string>& text) {
        return text ? member(name, std::string_view(*text)) : key(name).null();
    }

    TELPOLICY_JSON_INLINE JsonWriter& string(std::string_view text) {
        before_value();
        out_ += '"';
        append_json_escaped(out_, text);
        out_ += '"';
        return *this;
    }
    TELPOLICY_JSON_INLINE JsonWriter& optional_string(const std::optional<std::string>& text) { return text ? string(*text) : null(); }
    TELPOLICY_JSON_INLINE JsonWriter& null() { return literal("null"); }
    TELPOLICY_JSON_INLINE JsonWriter& boolean(bool value) { return literal(value ? std::string_view("true") : std::string_view("false")); }
    JsonWriter& number(std::uint64_t value);
    JsonWriter& number(std::int64_t value);
    JsonWriter& strings(const std::vector<std::string>& list) {
        begin_array();
        for (const std::string& text : list) string(text);
        return end_array();
    }
    // A value written before, by this writer in compact layout (a decision kept as text, say).
    JsonWriter& raw(std::string_view json) { return literal(json); }

private:
    // Compact: the comma, the quoted name, the colon and `then` (a value's first bytes) in one append.
    template <std::size_t N>
    TELPOLICY_JSON_INLINE void compact_key(const char (&name)[N], std::string_view then) {
        char run[N + 5];
        std::size_t length = 0;
        if (!first_) run[length++] = ',';
        first_ = false;
        run[length++] = '"';
        for (std::size_t i = 0; i + 1 < N; ++i) run[length++] = name[i];
        run[length++] = '"';
        run[length++] = ':';
        for (const char c : then) run[length++] = c;
        out_.append(run, length);
    }

    // Before any value: a member's value follows its key; an array's item gets its comma and its line.
    TELPOLICY_JSON_INLINE void before_value() {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (depth_ == 0) return;  // the document itself
        if (!first_) out_ += ',';
        if (pretty_) new_line();
        first_ = false;
    }
    TELPOLICY_JSON_INLINE JsonWriter& after_name() {
        out_.append(pretty_ ? "\": " : "\":", pretty_ ? 3 : 2);
        after_key_ = true;
        return *this;
    }
    TELPOLICY_JSON_INLINE JsonWriter& literal(std::string_view text) {
        before_value();
        out_ += text;
        return *this;
    }
    TELPOLICY_JSON_INLINE JsonWriter& open(char bracket) {
        before_value();
        out_ += bracket;
        ++depth_;
        first_ = true;
        return *this;
    }
    TELPOLICY_JSON_INLINE JsonWriter& close(char bracket) {
        --depth_;
        if (pretty_ && !first_) new_line();  // an empty container stays "[]" or "{}"
        out_ += bracket;
        first_ = false;  // the container was itself an item of its parent
        return *this;
    }
    void new_line() {
        out_ += '\n';
        out_.append(depth_ * step_, ' ');
    }

    std::string& out_;
    std::size_t step_;
    bool pretty_;
    std::size_t depth_{0};
    bool first_{true};       // no item yet in the container being written
    bool after_key_{false};  // the next value is a member's, its key written
};

}  // namespace telpolicy
