// CompiledNumberMetadata: every national-number pattern of a country calling code's regions in one
// RE2::Set matched over the whole number, the leading-digits patterns in another matched at its
// start; then libphonenumber's decision (phonenumberutil.cc: GetRegionCodeForNumberFromRegionList,
// GetNumberTypeHelper, IsNumberMatchingDesc) replayed on which patterns matched.
// tests/unit-number-classifier.cpp compares the answers with libphonenumber's own.
#include "request/compiled_number_metadata.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <phonenumbers/phonemetadata.pb.h>
#include <re2/re2.h>
#include <re2/set.h>

// Declared in libphonenumber's metadata.h, which Debian does not install; exported by the library.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace telpolicy {
// Named rather than anonymous: CompiledNumberMetadata::CallingCode, which the header names, is made
// of these (GCC's -Wsubobject-linkage, in a unity build).
namespace compiled_numbers {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;

// The types GetNumberTypeHelper tries after the general description, in its order, then the two
// it tells apart last.
constexpr std::array<PhoneNumberUtil::PhoneNumberType, 8> types_in_order{
    PhoneNumberUtil::PREMIUM_RATE, PhoneNumberUtil::TOLL_FREE, PhoneNumberUtil::SHARED_COST,
    PhoneNumberUtil::VOIP,         PhoneNumberUtil::PERSONAL_NUMBER, PhoneNumberUtil::PAGER,
    PhoneNumberUtil::UAN,          PhoneNumberUtil::VOICEMAIL,
};

// One PhoneNumberDesc: its pattern's place in the calling code's set (none when the pattern is
// empty: libphonenumber matches nothing against it) and its possible lengths (none: any length).
struct CompiledDesc {
    int pattern{-1};
    std::vector<int> lengths;

    [[nodiscard]] bool matches(std::size_t length, const std::vector<bool>& matched) const {
        if (!lengths.empty() && std::find(lengths.begin(), lengths.end(), static_cast<int>(length)) == lengths.end()) {
            return false;
        }
        return pattern >= 0 && matched[static_cast<std::size_t>(pattern)];
    }
};

struct CompiledRegion {
    std::string code;
    int leading_digits{-1};  // its place in the leading-digits set; -1: the region has none
    bool same_mobile_and_fixed_line_pattern{false};
    CompiledDesc general;
    std::array<CompiledDesc, types_in_order.size()> in_order;
    CompiledDesc fixed_line;
    CompiledDesc mobile;

    // GetNumberTypeHelper, on the patterns that matched.
    [[nodiscard]] PhoneNumberUtil::PhoneNumberType type(std::size_t length, const std::vector<bool>& matched) const {
        if (!general.matches(length, matched)) return PhoneNumberUtil::UNKNOWN;
        for (std::size_t i = 0; i < in_order.size(); ++i) {
            if (in_order[i].matches(length, matched)) return types_in_order[i];
        }
        if (fixed_line.matches(length, matched)) {
            return same_mobile_and_fixed_line_pattern || mobile.matches(length, matched) ? PhoneNumberUtil::FIXED_LINE_OR_MOBILE
                                                                                        : PhoneNumberUtil::FIXED_LINE;
        }
        if (!same_mobile_and_fixed_line_pattern && mobile.matches(length, matched)) return PhoneNumberUtil::MOBILE;
        return PhoneNumberUtil::UNKNOWN;
    }
};

const PhoneNumberDesc& desc_of(const PhoneMetadata& metadata, PhoneNumberUtil::PhoneNumberType type) {
    switch (type) {
        case PhoneNumberUtil::PREMIUM_RATE: return metadata.premium_rate();
        case PhoneNumberUtil::TOLL_FREE: return metadata.toll_free();
        case PhoneNumberUtil::SHARED_COST: return metadata.shared_cost();
        case PhoneNumberUtil::VOIP: return metadata.voip();
        case PhoneNumberUtil::PERSONAL_NUMBER: return metadata.personal_number();
        case PhoneNumberUtil::PAGER: return metadata.pager();
        case PhoneNumberUtil::UAN: return metadata.uan();
        case PhoneNumberUtil::VOICEMAIL: return metadata.voicemail();
        case PhoneNumberUtil::MOBILE: return metadata.mobile();
        default: return metadata.fixed_line();
    }
}

RE2::Options pattern_options() {
    RE2::Options options;
    options.set_log_errors(false);
    // A calling code's DFA over hundreds of patterns: room enough that it is built once and kept.
    options.set_max_mem(std::int64_t{64} << 20);
    return options;
}

// The regions of one country calling code and their compiled patterns.
struct CallingCodeTable {
    std::vector<CompiledRegion> regions;  // in libphonenumber's order: the main country first
    RE2::Set whole{pattern_options(), RE2::ANCHOR_BOTH};
    RE2::Set leading{pattern_options(), RE2::ANCHOR_START};
    std::size_t whole_count{0};
    std::size_t leading_count{0};

    CompiledDesc add(const PhoneNumberDesc& desc) {
        CompiledDesc compiled;
        compiled.lengths.assign(desc.possible_length().begin(), desc.possible_length().end());
        if (!desc.national_number_pattern().empty()) compiled.pattern = add_pattern(whole, desc.national_number_pattern(), whole_count);
        return compiled;
    }

    static int add_pattern(RE2::Set& set, const std::string& pattern, std::size_t& count) {
        std::string error;
        const int at = set.Add(pattern, &error);
        if (at < 0) throw std::runtime_error("libphonenumber's pattern '" + pattern + "' does not compile: " + error);
        ++count;
        return at;
    }

    void add(const PhoneMetadata& metadata) {
        CompiledRegion region;
        region.code = metadata.id();
        region.same_mobile_and_fixed_line_pattern = metadata.same_mobile_and_fixed_line_pattern();
        region.general = add(metadata.general_desc());
        for (std::size_t i = 0; i < types_in_order.size(); ++i) region.in_order[i] = add(desc_of(metadata, types_in_order[i]));
        region.fixed_line = add(metadata.fixed_line());
        region.mobile = add(metadata.mobile());
        if (metadata.has_leading_digits()) region.leading_digits = add_pattern(leading, metadata.leading_digits(), leading_count);
        // As libphonenumber's own list: the main country first, the others in the metadata's order.
        if (metadata.main_country_for_code()) {
            regions.insert(regions.begin(), std::move(region));
        } else {
            regions.push_back(std::move(region));
        }
    }

    void compile() {
        if (whole_count > 0 && !whole.Compile()) throw std::runtime_error("libphonenumber's patterns do not compile");
        if (leading_count > 0 && !leading.Compile()) throw std::runtime_error("libphonenumber's leading digits do not compile");
    }

    // Which of the set's patterns match `number`, in `matched` (the caller's, kept from call to call).
    static void match(const RE2::Set& set, std::size_t count, std::string_view number, std::vector<bool>& matched) {
        matched.assign(count, false);
        if (count == 0) return;
        thread_local std::vector<int> hits;
        hits.clear();
        RE2::Set::ErrorInfo error{};
        if (!set.Match(re2::StringPiece(number.data(), number.size()), &hits, &error) &&
            error.kind != RE2::Set::kNoError) {
            throw std::runtime_error("RE2 could not match a number against libphonenumber's patterns");
        }
        for (const int hit : hits) matched[static_cast<std::size_t>(hit)] = true;
    }

    [[nodiscard]] CompiledNumberAnswer classify(std::string_view national_number) const {
        thread_local std::vector<bool> matched;
        thread_local std::vector<bool> leading_matched;
        match(whole, whole_count, national_number, matched);
        const std::size_t length = national_number.size();
        const CompiledRegion* found = nullptr;
        if (regions.size() == 1) {
            found = &regions.front();  // GetRegionCodeForNumber asks nothing of a code's only region
        } else {
            bool leading_read = false;
            for (const CompiledRegion& region : regions) {
                if (region.leading_digits >= 0) {
                    if (!std::exchange(leading_read, true)) match(leading, leading_count, national_number, leading_matched);
                    if (leading_matched[static_cast<std::size_t>(region.leading_digits)]) {
                        found = &region;
                        break;
                    }
                } else if (region.type(length, matched) != PhoneNumberUtil::UNKNOWN) {
                    found = &region;
                    break;
                }
            }
        }
        if (found == nullptr) return {PhoneNumberUtil::UNKNOWN, "ZZ"};
        return {found->type(length, matched), found->code};
    }
};

}  // namespace compiled_numbers

struct CompiledNumberMetadata::CallingCode : compiled_numbers::CallingCodeTable {};

CompiledNumberMetadata::CompiledNumberMetadata() {
    i18n::phonenumbers::PhoneMetadataCollection collection;
    if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size())) {
        throw std::runtime_error("libphonenumber's metadata cannot be read");
    }
    std::array<std::unique_ptr<CallingCode>, 1000> building;
    for (const i18n::phonenumbers::PhoneMetadata& metadata : collection.metadata()) {
        const int code = metadata.country_code();
        if (code <= 0 || code >= 1000) continue;  // none is; a calling code has at most three digits
        auto& calling_code = building[static_cast<std::size_t>(code)];
        if (!calling_code) calling_code = std::make_unique<CallingCode>();
        calling_code->add(metadata);
    }
    for (std::size_t code = 0; code < building.size(); ++code) {
        if (!building[code]) continue;
        building[code]->compile();
        codes_[code] = std::move(building[code]);
    }
}

CompiledNumberMetadata::~CompiledNumberMetadata() = default;

const CompiledNumberMetadata& CompiledNumberMetadata::instance() {
    static const CompiledNumberMetadata compiled;
    return compiled;
}

CompiledNumberAnswer CompiledNumberMetadata::classify(int country_code, std::string_view national_number) const {
    if (country_code <= 0 || country_code >= 1000 || !codes_[country_code]) {
        return {i18n::phonenumbers::PhoneNumberUtil::UNKNOWN, "ZZ"};
    }
    return codes_[country_code]->classify(national_number);
}

}  // namespace telpolicy
