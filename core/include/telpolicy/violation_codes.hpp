// The contract's stable violation codes.
#pragma once

#include <string_view>

namespace telpolicy::violation_code {

inline constexpr std::string_view request_invalid = "request.invalid";
inline constexpr std::string_view country_unsupported = "country.unsupported";
inline constexpr std::string_view action_unsupported = "action.unsupported";
inline constexpr std::string_view pin_missing = "pin.missing";
inline constexpr std::string_view pin_format = "pin.format";
inline constexpr std::string_view pin_length = "pin.length";
inline constexpr std::string_view pin_not_set = "pin.not_set";
inline constexpr std::string_view pin_cannot_clear = "pin.cannot_clear";
inline constexpr std::string_view pin_not_applicable = "pin.not_applicable";
inline constexpr std::string_view numbers_missing = "numbers.missing";
inline constexpr std::string_view number_invalid = "number.invalid";
inline constexpr std::string_view number_wrong_country = "number.wrong_country";
inline constexpr std::string_view number_type_mismatch = "number.type_mismatch";

// Every code above, for checking the codes a rules file uses.
inline constexpr std::string_view all[] = {
    request_invalid, country_unsupported, action_unsupported, pin_missing,     pin_format,
    pin_length,      pin_not_set,         pin_cannot_clear,   pin_not_applicable, numbers_missing,
    number_invalid,  number_wrong_country, number_type_mismatch,
};

}  // namespace telpolicy::violation_code
