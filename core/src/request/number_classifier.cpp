// libphonenumber behind a small interface: one parse per number, facts the rules can test.
#include "request/number_classifier.hpp"

#include "request/compiled_number_metadata.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <unordered_map>

#include <phonenumbers/phonenumberutil.h>

namespace telpolicy {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr std::array<std::string_view, number_kind_count> kind_names{
    "fixed_line", "mobile", "fixed_line_or_mobile", "toll_free", "premium_rate", "shared_cost",
    "voip",       "personal_number", "pager", "uan", "voicemail", "unknown",
};

constexpr std::size_t max_number_text = 64;  // E.164 has at most 15 digits; leave room for punctuation

NumberKind kind_of(PhoneNumberUtil::PhoneNumberType type) {
    switch (type) {
        case PhoneNumberUtil::FIXED_LINE: return NumberKind::fixed_line;
        case PhoneNumberUtil::MOBILE: return NumberKind::mobile;
        case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return NumberKind::fixed_line_or_mobile;
        case PhoneNumberUtil::TOLL_FREE: return NumberKind::toll_free;
        case PhoneNumberUtil::PREMIUM_RATE: return NumberKind::premium_rate;
        case PhoneNumberUtil::SHARED_COST: return NumberKind::shared_cost;
        case PhoneNumberUtil::VOIP: return NumberKind::voip;
        case PhoneNumberUtil::PERSONAL_NUMBER: return NumberKind::personal_number;
        case PhoneNumberUtil::PAGER: return NumberKind::pager;
        case PhoneNumberUtil::UAN: return NumberKind::uan;
        case PhoneNumberUtil::VOICEMAIL: return NumberKind::voicemail;
        default: return NumberKind::unknown;
    }
}

// Our own gate before libphonenumber, which would otherwise read letters as keypad digits.
std::string syntax_problem(std::string_view text) {
    if (text.empty()) return "it is empty";
    if (text.size() > max_number_text) return "it is longer than " + std::to_string(max_number_text) + " characters";
    const std::size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) return "it has no digits";
    bool digit_seen = false;
    for (std::size_t i = first; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            digit_seen = true;
        } else if (c == '+') {
            if (i != first) return "'+' may only start the number";
        } else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.' && c != '/') {
            return "it holds a character other than digits, a leading '+', spaces and ( ) - . /";
        }
    }
    return digit_seen ? std::string() : "it has no digits";
}

// "+1" and ten digits, the first 2 to 9: a North American number in E.164, the form nearly every US
// request uses. libphonenumber's Parse makes of it country code 1 and the ten digits as the national
// number (no national prefix to strip: that would be a leading 1), after trying its patterns for
// extensions, punctuation and prefixes, about 6 us of a number's 14. This builds the same PhoneNumber
// directly; any other text goes through Parse. Validity, region and kind still come from
// libphonenumber, and tests/unit-number-classifier.cpp compares the answers with Parse's on every
// area code.
bool read_plain_nanp(std::string_view text, PhoneNumber& number) {
    if (text.size() != 12 || text[0] != '+' || text[1] != '1' || text[2] < '2' || text[2] > '9') return false;
    std::uint64_t national = 0;
    for (std::size_t i = 2; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        national = national * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    number.set_country_code(1);
    number.set_national_number(national);
    return true;
}

// libphonenumber's answer for text that passed syntax_problem. libphonenumber reads the text
// (Parse, or read_plain_nanp); its type and region come from CompiledNumberMetadata, libphonenumber's
// own metadata compiled into RE2 sets: libphonenumber asks them one ICU pattern after another,
// region after region (+1: 25 regions, up to eleven patterns each, each test hashing the pattern
// string, converting the number to UTF-16 and building a matcher), 10 to 26 us a new number.
// IsValidNumber(n) is, in libphonenumber, "GetNumberType(n) is not UNKNOWN", so validity follows from
// the type. Only an invalid number goes back to libphonenumber, for the reason it gives.
// tests/unit-number-classifier.cpp compares every answer with libphonenumber's questions asked one
// by one: every region's example numbers, every +1 area code, and a million random numbers.
NumberFacts classify_with_libphonenumber(std::string_view text, std::string_view default_region) {
    NumberFacts facts;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    const auto parsed = read_plain_nanp(text, number)
                            ? PhoneNumberUtil::NO_PARSING_ERROR
                            : util.Parse(std::string(text), std::string(default_region), &number);
    if (parsed != PhoneNumberUtil::NO_PARSING_ERROR) {
        facts.problem = "it cannot be read as a phone number";
        return facts;
    }
    std::string national_number;
    util.GetNationalSignificantNumber(number, &national_number);
    const CompiledNumberAnswer answer = CompiledNumberMetadata::instance().classify(number.country_code(), national_number);
    const PhoneNumberUtil::PhoneNumberType type = answer.type;
    if (type == PhoneNumberUtil::UNKNOWN) {
        switch (util.IsPossibleNumberWithReason(number)) {
            case PhoneNumberUtil::TOO_SHORT:
            case PhoneNumberUtil::INVALID_LENGTH: facts.problem = "it has too few digits"; break;
            case PhoneNumberUtil::TOO_LONG: facts.problem = "it has too many digits"; break;
            case PhoneNumberUtil::INVALID_COUNTRY_CODE: facts.problem = "its country code does not exist"; break;
            default: facts.problem = "no phone number is assigned in that range"; break;
        }
        return facts;
    }
    facts.valid = true;
    // Format(E164) is "+", the calling code and the national significant number, extension left out.
    facts.e164 = "+" + std::to_string(number.country_code()) + national_number;
    facts.region = answer.region;
    facts.kind = kind_of(type);
    return facts;
}

// The classifications of one thread, by text and default region: a classification depends on
// nothing else (libphonenumber's metadata is fixed for the process), and streams of requests name
// the same numbers again and again. Direct-mapped: a text has one slot, a newcomer takes it over, so
// the memory is bounded (number_cache_slots entries of at most max_number_text characters) and a
// lookup costs one hash and one comparison. Per thread, so that threads never wait for each other.
class ClassificationCache {
public:
    static ClassificationCache& of_this_thread() {
        thread_local ClassificationCache cache;
        return cache;
    }

    NumberFacts classify(std::string_view text, std::string_view default_region) {
        if (slots_.empty()) slots_.resize(number_cache_slots);
        const std::size_t hash = std::hash<std::string_view>{}(text) ^ (std::hash<std::string_view>{}(default_region) * 31);
        Slot& slot = slots_[hash % number_cache_slots];
        if (slot.used && slot.text == text && slot.default_region == default_region) return slot.facts;
        NumberFacts facts = classify_with_libphonenumber(text, default_region);
        // Stored only once complete, so that a throw above never leaves a key with another's answer.
        if (!slot.used) ++used_;
        slot.used = true;
        slot.text.assign(text);
        slot.default_region.assign(default_region);
        slot.facts = facts;
        return facts;
    }

    std::size_t size() const noexcept { return used_; }

private:
    struct Slot {
        bool used{false};
        std::string text;
        std::string default_region;
        NumberFacts facts;
    };
    std::vector<Slot> slots_;  // allocated on a thread's first number: threads without numbers pay nothing
    std::size_t used_{0};
};

}  // namespace

std::size_t cached_classifications() noexcept { return ClassificationCache::of_this_thread().size(); }

std::string_view to_string(NumberKind kind) noexcept { return kind_names[static_cast<std::size_t>(kind)]; }

std::optional<NumberKind> parse_number_kind(std::string_view text) noexcept {
    for (std::size_t i = 0; i < kind_names.size(); ++i) {
        if (kind_names[i] == text) return static_cast<NumberKind>(i);
    }
    return std::nullopt;
}

NumberFacts classify_number(std::string_view text, std::string_view default_region) {
    NumberFacts facts;
    facts.problem = syntax_problem(text);
    if (!facts.problem.empty()) return facts;
    return ClassificationCache::of_this_thread().classify(text, default_region);
}

std::vector<NumberFacts> classify_numbers(const std::vector<std::string>& numbers, std::string_view default_region) {
    std::vector<NumberFacts> all;
    all.reserve(numbers.size());
    // Valid numbers are compared in E.164, so that two spellings of one number are one number.
    std::unordered_map<std::string, std::size_t> first_seen;
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        NumberFacts facts = classify_number(numbers[i], default_region);
        const auto [it, inserted] = first_seen.emplace(facts.valid ? facts.e164 : numbers[i], i);
        if (!inserted) facts.duplicate_of = it->second;
        all.push_back(std::move(facts));
    }
    return all;
}

}  // namespace telpolicy
