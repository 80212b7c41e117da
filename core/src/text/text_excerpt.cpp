// Printable excerpts of user text for messages.
#include "text/text_excerpt.hpp"

namespace telpolicy {

std::string printable_excerpt(std::string_view text) {
    constexpr std::size_t limit = 40;
    std::string out;
    for (char c : text.substr(0, limit)) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte >= 0x20 && byte < 0x7f) ? c : '?';
    }
    if (text.size() > limit) out += "...";
    return out;
}

}  // namespace telpolicy
