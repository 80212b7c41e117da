// JSON string escaping shared by the writers that build JSON text directly (the decision writer, the
// decision service's log): the bytes nlohmann's dump(..., error_handler_t::replace) gives for a string.
#pragma once

#include <string>
#include <string_view>

namespace telpolicy::json_string {

// Appends `text` escaped as a JSON string's contents: \" \\ \b \f \n \r \t, other control characters
// as \u00xx; valid UTF-8 passes through and invalid UTF-8 becomes U+FFFD, sequence by sequence.
void append_escaped(std::string& out, std::string_view text);
// The same between double quotes.
void append_string(std::string& out, std::string_view text);

}  // namespace telpolicy::json_string
