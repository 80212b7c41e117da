// FNV-1a fingerprints (see the header).
#include "text/fingerprint.hpp"

#include <cstdint>

namespace telpolicy {

std::string digest_of(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (std::size_t i = 0; i < 16; ++i) out[15 - i] = hex[(hash >> (4 * i)) & 0xF];
    return out;
}

}  // namespace telpolicy
