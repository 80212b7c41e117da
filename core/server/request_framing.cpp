// Framing checks of RFC 9112 (sections 3.2 and 6.3) and RFC 9110 (section 8.4) that Beast's parser
// leaves to the server.
#include "request_framing.hpp"

#include "beast_text.hpp"

#include <vector>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

namespace telpolicy::server {
namespace {

namespace http = boost::beast::http;

bool same_word(std::string_view a, std::string_view b) { return boost::beast::iequals(to_beast(a), to_beast(b)); }

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// The codings of every Transfer-Encoding field, read as one list (fields may repeat).
std::vector<std::string_view> transfer_codings(const HttpRequest& request) {
    std::vector<std::string_view> codings;
    const auto [first, last] = request.equal_range(http::field::transfer_encoding);
    for (auto field = first; field != last; ++field) {
        std::string_view list = to_std(field->value());
        while (!list.empty()) {
            const auto comma = list.find(',');
            const std::string_view coding = trimmed(list.substr(0, comma));
            if (!coding.empty()) codings.push_back(coding);
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
    }
    return codings;
}

FramingRefusal bad_request(std::string message) {
    return {http::status::bad_request, "bad_request", std::move(message)};
}

}  // namespace

std::optional<FramingRefusal> framing_refusal(const HttpRequest& request) {
    const auto hosts = request.count(http::field::host);
    if (hosts > 1) return bad_request("the request gives Host " + std::to_string(hosts) + " times; it must give it once");
    if (hosts == 0 && request.version() >= 11) return bad_request("an HTTP/1.1 request must give Host");

    if (request.count(http::field::transfer_encoding) > 0) {
        // Another reader in front of telpolicy could frame the body by either: refuse, never choose.
        if (request.count(http::field::content_length) > 0) {
            return bad_request("the request gives both Transfer-Encoding and Content-Length (RFC 9112, section 6.3)");
        }
        const std::vector<std::string_view> codings = transfer_codings(request);
        if (codings.empty() || !same_word(codings.back(), "chunked")) {
            return bad_request("the request's Transfer-Encoding does not end with chunked, so its body has no "
                               "end (RFC 9112, section 6.3)");
        }
        if (codings.size() > 1) {
            return FramingRefusal{http::status::not_implemented, "unsupported_encoding",
                                  "the request's Transfer-Encoding has a coding besides chunked, which telpolicy "
                                  "does not decode (RFC 9112, section 6.1)"};
        }
    }

    const auto [first, last] = request.equal_range(http::field::content_encoding);
    for (auto field = first; field != last; ++field) {
        const std::string_view coding = trimmed(to_std(field->value()));
        if (!coding.empty() && !same_word(coding, "identity")) {
            return FramingRefusal{http::status::unsupported_media_type, "unsupported_encoding",
                                  "the body's Content-Encoding is not identity: telpolicy reads bodies as sent, "
                                  "uncompressed"};
        }
    }
    return std::nullopt;
}

std::string parse_error_message(const boost::beast::error_code& error) {
    if (error == http::error::bad_content_length) {
        return "this is not an HTTP/1.1 request: its Content-Length is not one number, or it is given beside "
               "Transfer-Encoding: chunked (RFC 9112, section 6.3)";
    }
    if (error == http::error::bad_transfer_encoding) {
        return "this is not an HTTP/1.1 request: its Transfer-Encoding is given beside a Content-Length, or "
               "cannot frame its body (RFC 9112, section 6.3)";
    }
    return "this is not an HTTP/1.1 request: " + error.message();
}

}  // namespace telpolicy::server
