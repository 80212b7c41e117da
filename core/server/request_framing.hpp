// What the transport refuses in a request's header before any endpoint sees it: framing that two
// HTTP readers could understand differently (request smuggling, RFC 9112 section 6.3), a missing or
// doubled Host, and a body in an encoding telpolicy does not decode.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/status.hpp>

#include "decision_service.hpp"

namespace telpolicy::server {

struct FramingRefusal {
    boost::beast::http::status status;
    std::string_view code;  // the error body's code: bad_request or unsupported_encoding
    std::string message;
};

// Nothing when the request may go on. Every refusal closes the connection: after a header whose
// framing is in doubt, nothing that follows on the connection can be trusted to be a request.
std::optional<FramingRefusal> framing_refusal(const HttpRequest& request);

// The message for a request Beast's parser could not read (an error of its http category): its own
// words, made plain for the two framing errors, which Beast names only "bad Content-Length" and "bad
// Transfer-Encoding".
std::string parse_error_message(const boost::beast::error_code& error);

}  // namespace telpolicy::server
