// Phone numbers in requests, parsed and classified with libphonenumber: valid or not, region, kind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telpolicy {

// The kinds libphonenumber tells apart (PhoneNumberUtil::PhoneNumberType), as the rules name them.
enum class NumberKind : std::uint8_t {
    fixed_line,
    mobile,
    fixed_line_or_mobile,  // NANP numbers do not tell the two apart
    toll_free,
    premium_rate,
    shared_cost,
    voip,
    personal_number,
    pager,
    uan,
    voicemail,
    unknown,
};

inline constexpr std::size_t number_kind_count = 12;

std::string_view to_string(NumberKind kind) noexcept;
std::optional<NumberKind> parse_number_kind(std::string_view text) noexcept;

struct NumberFacts {
    bool valid{false};
    std::string e164;    // the number in E.164 ("+12025550143") when valid
    std::string region;  // ISO 3166-1 alpha-2 of the number, e.g. "PR"; empty when unknown
    NumberKind kind{NumberKind::unknown};
    std::string problem;  // why it is not valid, for people; empty when valid
    std::optional<std::size_t> duplicate_of;  // index of an earlier entry with the same number
};

// What is accepted: an optional leading "+" then digits, with spaces and the punctuation ( ) - . /
// between them. With "+", the number is international (E.164); without it, it is read in the
// national format of `default_region` (the request's country: "202-555-0143" for US). Letters
// (vanity numbers such as 1-800-FLOWERS) are refused: a request must say which digits it means.
// Answers are kept per thread (number_cache_slots of them at most), so that a number met again costs
// a lookup rather than libphonenumber's parse.
NumberFacts classify_number(std::string_view text, std::string_view default_region);

inline constexpr std::size_t number_cache_slots = 1024;

// How many classifications the calling thread keeps (at most number_cache_slots); for tests.
std::size_t cached_classifications() noexcept;

// Classifies every number of a list once, and marks later entries that repeat an earlier number
// (compared after normalization: "+1 202 555 0143" repeats "+12025550143").
std::vector<NumberFacts> classify_numbers(const std::vector<std::string>& numbers, std::string_view default_region);

}  // namespace telpolicy
