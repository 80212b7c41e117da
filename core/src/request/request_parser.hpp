// The two readers behind parse_request (request.hpp), apart, so that tests and fuzzers can hold the
// fast one to the full one.
#pragma once

#include <string_view>

#include <telpolicy/limits.hpp>
#include <telpolicy/request.hpp>

namespace telpolicy::detail {

// The full reader (nlohmann::json): any text, a request or the message that names the faulty field.
// What parse_request was before the fast path; it still defines the language and the messages.
ParsedRequest parse_request_full(std::string_view json_text, const Limits& limits) noexcept;

// The fast reader (simdjson On-Demand) for plain requests: true and `request` filled when the text is
// a request the full reader accepts, giving the very same Request; false for anything else (an error,
// an unknown field, a duplicate key, an escape in a string, a large text ...), and the full reader then
// reads it. `request` must be default-constructed; after false, discard it.
bool parse_request_fast(std::string_view json_text, const Limits& limits, Request& request) noexcept;

}  // namespace telpolicy::detail
