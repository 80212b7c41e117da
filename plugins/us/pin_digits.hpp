// The US transfer PIN's characters, as a native check: ASCII digits only.
#pragma once

#include <cstddef>

namespace telpolicy::us {

// A telpolicy_check_fn: passes when every byte of the PIN is an ASCII digit 0-9. "It can't contain
// letters or special characters" ([S2]); a digit of another script (Arabic-Indic, full-width) is
// not one of the digits the admin center accepts, so it fails too. The message never quotes the PIN.
extern "C" int check_pin_digits(const char* pin, std::size_t length, char* message, std::size_t message_size) noexcept;

}  // namespace telpolicy::us
