// Country codes as the engine's country table uses them: two ASCII letters, upper case.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace telpolicy {

// Two-letter codes index a flat table: no hashing and no allocation on the hot path.
inline std::size_t country_slot(std::string_view code) noexcept {
    return static_cast<std::size_t>(code[0] - 'A') * 26 + static_cast<std::size_t>(code[1] - 'A');
}

inline bool is_ascii_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
inline bool is_ascii_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }

// A Request built in C++ may hold anything: what the country table relies on is checked here.
enum class CountryCode { invalid, upper_case, lower_case };

inline CountryCode country_code_of(const std::string& country) noexcept {
    const bool letters = country.size() == 2 && (is_ascii_upper(country[0]) || is_ascii_lower(country[0])) &&
                         (is_ascii_upper(country[1]) || is_ascii_lower(country[1]));
    if (!letters) return CountryCode::invalid;
    return is_ascii_upper(country[0]) && is_ascii_upper(country[1]) ? CountryCode::upper_case : CountryCode::lower_case;
}


}  // namespace telpolicy
