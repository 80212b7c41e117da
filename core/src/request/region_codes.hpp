// Which two-letter codes name a country: libphonenumber's regions, not a hand-typed table.
#pragma once

#include <string_view>

namespace telpolicy {

// True for an ISO 3166-1 alpha-2 code with a phone numbering plan (libphonenumber's supported
// regions), and for the codes ISO 3166-1 leaves to private use (AA, QM to QZ, XA to XZ, ZZ), which
// tests and templates use for countries of their own. Upper case only.
bool is_country_code(std::string_view code) noexcept;

}  // namespace telpolicy
