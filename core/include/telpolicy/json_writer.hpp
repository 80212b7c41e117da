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

namespace telpolicy {

// Appends `text` escaped as a JSON string's contents.
void append_json_escaped(std::string& out, std::string_view text);
// The same between double quotes.
void append_json_string(std::string& out, std::string_view text);

// Appends one JSON document to a string, value by value. The caller opens and closes containers in
// order and gives a key before each member's value; the writer places commas, new lines and indents.
class JsonWriter {
public:
    // indent < 0: compact, on one line (JSON Lines); otherwise pretty with `indent` spaces a level.
    explicit JsonWriter(std::string& out, int indent = -1) noexcept
        : out_(out), step_(indent < 0 ? 0 : static_cast<std::size_t>(indent)), pretty_(indent >= 0) {}

    JsonWriter& begin_object() { return open('{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('['); }
    JsonWriter& end_array() { return close(']'); }

    // A member's key; `name` is escaped.
    JsonWriter& key(std::string_view name);

    JsonWriter& string(std::string_view text);
    JsonWriter& optional_string(const std::optional<std::string>& text);
    JsonWriter& null();
    JsonWriter& boolean(bool value);
    JsonWriter& number(std::uint64_t value);
    JsonWriter& number(std::int64_t value);
    JsonWriter& strings(const std::vector<std::string>& list);
    // A value written before, by this writer in compact layout (a decision kept as text, say).
    JsonWriter& raw(std::string_view json);

private:
    JsonWriter& open(char bracket);
    JsonWriter& close(char bracket);
    void before_value();
    void new_line();

    std::string& out_;
    std::size_t step_;
    bool pretty_;
    std::size_t depth_{0};
    bool first_{true};      // no item yet in the container being written
    bool after_key_{false};  // the next value is a member's, its key written
};

}  // namespace telpolicy
