// The US PIN digits check; no exception can leave it, as the plugin ABI requires.
#include "pin_digits.hpp"

#include <cstdio>

#include <telpolicy/plugin/plugin_api.h>

namespace telpolicy::us {

extern "C" int check_pin_digits(const char* pin, std::size_t length, char* message, std::size_t message_size) noexcept {
    bool non_ascii = false;
    bool other = false;
    for (std::size_t i = 0; i < length; ++i) {
        const auto byte = static_cast<unsigned char>(pin[i]);
        if (byte >= 0x80) {
            non_ascii = true;
        } else if (byte < '0' || byte > '9') {
            other = true;
        }
    }
    if (!non_ascii && !other) return TELPOLICY_CHECK_PASS;
    if (message != nullptr && message_size > 0) {
        std::snprintf(message, message_size, "%s",
                      other ? "it may hold only the digits 0-9, no letters, spaces or special characters"
                            : "it may hold only the ASCII digits 0-9, not digits or letters of other scripts");
    }
    return TELPOLICY_CHECK_FAIL;
}

}  // namespace telpolicy::us
