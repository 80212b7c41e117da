// A short, printable excerpt of text a user sent, for messages that quote it.
#pragma once

#include <string>
#include <string_view>

namespace telpolicy {

// At most 40 bytes, each non-printable or non-ASCII byte shown as '?', and "..." when cut, so that a
// message can quote an unknown value or a number without carrying a long or binary string.
std::string printable_excerpt(std::string_view text);

}  // namespace telpolicy
