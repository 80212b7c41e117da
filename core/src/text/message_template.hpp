// Messages in rules files may name facts of the request in braces: "{number} (number {position})".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telpolicy {

// The placeholders a message may use; per-number ones need a rule with `numbers: {each: …}`.
inline constexpr std::string_view request_placeholders[] = {"country", "action", "number_type", "count", "listed"};
inline constexpr std::string_view number_placeholders[] = {"number",   "position", "region",
                                                           "kind",     "problem",  "first_position"};

// The names in braces in `text`, in order, or nullopt when a brace is left open.
std::optional<std::vector<std::string>> placeholders_in(std::string_view text);

// `text` with each {name} replaced by value(name).
std::string fill_message(std::string_view text, const std::function<std::string(std::string_view)>& value);

// The same into `out`, replacing what it held; a text without placeholders is copied without
// calling `value` (assign reuses the capacity `out` has).
void fill_message(std::string_view text, const std::function<std::string(std::string_view)>& value, std::string& out);

}  // namespace telpolicy
