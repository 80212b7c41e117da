// Links as a rules file writes them, made into URIs a client can fetch as they are.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <telpolicy/checked.hpp>

namespace telpolicy {

// The URI (absolute, http or https, nothing a URI cannot hold), or why not: one diagnostic without a
// position, which the caller places where the link is written.
using FetchableUri = Checked<std::string>;

// Percent-encodes what a URI cannot hold (a space is %20; non-ASCII bytes are encoded as their
// UTF-8 bytes; a '%' that starts no %XX becomes %25), keeps what it can hold as written (an
// existing %28 stays %28, a '(' stays '('), then resolves a relative link against `base` (RFC 3986,
// section 5) with uriparser. `base` is empty when the file gives none: a relative link is then an error.
FetchableUri make_fetchable(std::string_view link, std::string_view base);

// The percent-encoding step alone.
std::string percent_encode_unsafe(std::string_view link);

}  // namespace telpolicy
