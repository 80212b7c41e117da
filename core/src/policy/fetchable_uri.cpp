// Fetchable URIs: percent-encoding what a URI cannot hold, then RFC 3986 resolution with uriparser.
#include "policy/fetchable_uri.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include <uriparser/Uri.h>

namespace telpolicy {
namespace {

bool is_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// RFC 3986's unreserved and reserved characters: what a URI holds as it is.
bool uri_may_hold(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    constexpr std::string_view allowed = "-._~:/?#[]@!$&'()*+,;=";
    return allowed.find(c) != std::string_view::npos;
}

// Owns a parsed UriUriA and the text it points into (uriparser copies nothing), freed however the
// caller returns.
struct ParsedUri {
    std::string text;
    UriUriA uri{};
    bool parsed{false};
    ParsedUri() = default;
    ParsedUri(const ParsedUri&) = delete;
    ParsedUri& operator=(const ParsedUri&) = delete;
    ~ParsedUri() {
        if (parsed) uriFreeUriMembersA(&uri);
    }
    bool parse(std::string uri_text) {
        text = std::move(uri_text);
        const char* error_position = nullptr;
        parsed = uriParseSingleUriA(&uri, text.c_str(), &error_position) == URI_SUCCESS;
        return parsed;
    }
    [[nodiscard]] bool absolute() const noexcept { return uri.scheme.first != nullptr; }
    [[nodiscard]] std::string scheme() const {
        return absolute() ? std::string(uri.scheme.first, uri.scheme.afterLast) : std::string();
    }
};

std::optional<std::string> text_of(const UriUriA& uri) {
    int length = 0;
    if (uriToStringCharsRequiredA(&uri, &length) != URI_SUCCESS) return std::nullopt;
    std::vector<char> buffer(static_cast<std::size_t>(length) + 1);
    if (uriToStringA(buffer.data(), &uri, length + 1, nullptr) != URI_SUCCESS) return std::nullopt;
    return std::string(buffer.data());
}

std::string lower(std::string text) {
    for (char& c : text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return text;
}

void refuse(FetchableUri& result, std::string why) {
    result.value.reset();
    result.diagnostics.push_back({{}, 0, 0, Severity::error, std::move(why)});
}

}  // namespace

std::string percent_encode_unsafe(std::string_view link) {
    static constexpr char hex[] = "0123456789ABCDEF";
    // '[' and ']' belong to the host only (an IPv6 literal): in a path, query or fragment, as in a
    // file name "form-(en-us)[59].pdf", they are data and get encoded.
    std::size_t authority_begin = link.find("//");
    const std::size_t first_delimiter = link.find_first_of("/?#");
    if (authority_begin != first_delimiter) authority_begin = std::string_view::npos;  // "//" must open the hierarchy
    const std::size_t authority_end = authority_begin == std::string_view::npos
                                          ? std::string_view::npos
                                          : std::min(link.find_first_of("/?#", authority_begin + 2), link.size());
    const auto in_authority = [&](std::size_t i) {
        return authority_begin != std::string_view::npos && i >= authority_begin + 2 && i < authority_end;
    };
    std::string out;
    out.reserve(link.size());
    for (std::size_t i = 0; i < link.size(); ++i) {
        const char c = link[i];
        const bool escape_sequence = c == '%' && i + 2 < link.size() && is_hex(link[i + 1]) && is_hex(link[i + 2]);
        const bool bracket_outside_host = (c == '[' || c == ']') && !in_authority(i);
        if (escape_sequence || (c != '%' && !bracket_outside_host && uri_may_hold(c))) {
            out += c;
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        out += '%';
        out += hex[byte >> 4];
        out += hex[byte & 0xF];
    }
    return out;
}

FetchableUri make_fetchable(std::string_view link, std::string_view base) {
    FetchableUri result;
    ParsedUri reference;
    if (!reference.parse(percent_encode_unsafe(link))) {
        refuse(result, "is not a URI, even with its unsafe characters percent-encoded");
        return result;
    }
    if (reference.absolute()) {
        const std::string scheme = lower(reference.scheme());
        if (scheme != "http" && scheme != "https") {
            refuse(result, "must be an http or https link, got the scheme '" + scheme + "'");
            return result;
        }
        result.value = reference.text;
        return result;
    }
    if (base.empty()) {
        refuse(result, "is a relative link; give the page's published location in 'base_url' to resolve it");
        return result;
    }
    ParsedUri base_uri;
    if (!base_uri.parse(percent_encode_unsafe(base)) || !base_uri.absolute()) {
        refuse(result, "is relative, and base_url is not an absolute URI");
        return result;
    }
    UriUriA resolved{};
    if (uriAddBaseUriA(&resolved, &reference.uri, &base_uri.uri) != URI_SUCCESS) {
        uriFreeUriMembersA(&resolved);
        refuse(result, "could not be resolved against base_url");
        return result;
    }
    result.value = text_of(resolved);
    uriFreeUriMembersA(&resolved);
    if (!result.value) refuse(result, "could not be written back after resolution");
    return result;
}

}  // namespace telpolicy
