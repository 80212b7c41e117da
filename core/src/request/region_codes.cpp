// Country codes from libphonenumber's list of regions.
#include "request/region_codes.hpp"

#include <algorithm>
#include <set>
#include <string>

#include <phonenumbers/phonenumberutil.h>

namespace telpolicy {

bool is_country_code(std::string_view code) noexcept {
    if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return false;
    const char a = code[0];
    const char b = code[1];
    const bool private_use = code == "AA" || code == "ZZ" || a == 'X' || (a == 'Q' && b >= 'M');
    if (private_use) return true;
    try {
        static const std::set<std::string> regions = [] {
            std::set<std::string> out;
            i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedRegions(&out);
            return out;
        }();
        return regions.count(std::string(code)) != 0;
    } catch (...) {
        return false;  // out of memory while building the list: refused, and said so by the caller
    }
}

}  // namespace telpolicy
