// libphonenumber's own metadata compiled once into RE2 sets: the answers of its GetNumberType and
// GetRegionCodeForNumber for a country calling code and a national significant number, in a single
// pass over the digits rather than one ICU regular expression after another, region after region.
#pragma once

#include <memory>
#include <string_view>

#include <phonenumbers/phonenumberutil.h>

namespace telpolicy {

struct CompiledNumberAnswer {
    i18n::phonenumbers::PhoneNumberUtil::PhoneNumberType type{i18n::phonenumbers::PhoneNumberUtil::UNKNOWN};
    std::string_view region;  // as GetRegionCodeForNumber: "ZZ" when no region claims the number
};

class CompiledNumberMetadata {
public:
    // Built on first use from the metadata libphonenumber itself carries (metadata_get(), the
    // serialized PhoneMetadataCollection), so it follows every update of the library; never a table
    // of our own. Throws std::runtime_error if that metadata cannot be read or a pattern compiled.
    static const CompiledNumberMetadata& instance();

    // For a national significant number (digits only, Italian leading zeros included: what
    // GetNationalSignificantNumber gives) of `country_code`.
    [[nodiscard]] CompiledNumberAnswer classify(int country_code, std::string_view national_number) const;

    ~CompiledNumberMetadata();
    CompiledNumberMetadata(const CompiledNumberMetadata&) = delete;
    CompiledNumberMetadata& operator=(const CompiledNumberMetadata&) = delete;

    struct CallingCode;  // the regions of one country calling code and their compiled patterns

private:
    CompiledNumberMetadata();
    std::unique_ptr<const CallingCode> codes_[1000];  // by country calling code (at most three digits)
};

}  // namespace telpolicy
