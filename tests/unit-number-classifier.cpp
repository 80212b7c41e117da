// Phone numbers parsed and classified with libphonenumber: what is accepted, regions and kinds.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <phonenumbers/phonenumberutil.h>

#include "request/compiled_number_metadata.hpp"
#include "request/number_classifier.hpp"

namespace telpolicy::test {
namespace {

TEST(NumberClassifier, ClassifiesUnitedStatesAndPuertoRicoNumbers) {
    const NumberFacts washington = classify_number("+12025550143", "US");
    EXPECT_TRUE(washington.valid);
    EXPECT_EQ(washington.region, "US");
    EXPECT_EQ(washington.kind, NumberKind::fixed_line_or_mobile);
    EXPECT_EQ(washington.e164, "+12025550143");
    const NumberFacts san_juan = classify_number("+17875550123", "US");
    EXPECT_TRUE(san_juan.valid);
    EXPECT_EQ(san_juan.region, "PR");
    EXPECT_EQ(classify_number("+19395550123", "US").region, "PR");
}

TEST(NumberClassifier, RecognizesTollFreeNumbers) {
    for (const char* number : {"+18002345678", "+18884445555", "+18775550100", "+18665550100"}) {
        const NumberFacts facts = classify_number(number, "US");
        EXPECT_TRUE(facts.valid) << number;
        EXPECT_EQ(facts.kind, NumberKind::toll_free) << number;
    }
}

TEST(NumberClassifier, TellsOtherCountriesSharingPlusOneApart) {
    EXPECT_EQ(classify_number("+14165550123", "US").region, "CA");
    EXPECT_EQ(classify_number("+16135550123", "US").region, "CA");
    EXPECT_EQ(classify_number("+18765550123", "US").region, "JM");
}

TEST(NumberClassifier, ClassifiesNumbersOfOtherCountries) {
    const NumberFacts london = classify_number("+442079460000", "US");
    EXPECT_TRUE(london.valid);
    EXPECT_EQ(london.region, "GB");
    EXPECT_EQ(london.kind, NumberKind::fixed_line);
    EXPECT_EQ(classify_number("+33612345678", "US").kind, NumberKind::mobile);
}

TEST(NumberClassifier, AcceptsSpacesAndPunctuation) {
    for (const char* number : {"+1 202 555 0143", "+1 (202) 555-0143", "+1.202.555.0143", "+1/202/555/0143", " +12025550143 "}) {
        const NumberFacts facts = classify_number(number, "US");
        EXPECT_TRUE(facts.valid) << number;
        EXPECT_EQ(facts.e164, "+12025550143") << number;
    }
}

TEST(NumberClassifier, ReadsNumbersWithoutPlusInTheRequestCountry) {
    EXPECT_EQ(classify_number("2025550143", "US").e164, "+12025550143");
    EXPECT_EQ(classify_number("1 202 555 0143", "US").e164, "+12025550143");
    EXPECT_EQ(classify_number("787-555-0123", "PR").region, "PR");
}

TEST(NumberClassifier, RefusesLettersAndStrayCharacters) {
    for (const char* number : {"+1-800-FLOWERS", "+1202555014x", "12025550143#", "+1 202 555 0143 ext 5", "1+2025550143",
                               "\xd9\xa1\xd9\xa2\xd9\xa3"}) {
        const NumberFacts facts = classify_number(number, "US");
        EXPECT_FALSE(facts.valid) << number;
        EXPECT_FALSE(facts.problem.empty()) << number;
    }
}

TEST(NumberClassifier, RefusesNumbersThatDoNotExist) {
    EXPECT_EQ(classify_number("12345", "US").problem, "it has too few digits");
    EXPECT_EQ(classify_number("+120255501430000", "US").problem, "it has too many digits");
    EXPECT_FALSE(classify_number("+10005550143", "US").valid) << "area codes do not start with 0";
    EXPECT_FALSE(classify_number("", "US").valid);
    EXPECT_FALSE(classify_number("   ", "US").valid);
    EXPECT_FALSE(classify_number("+", "US").valid);
    EXPECT_FALSE(classify_number(std::string(1000, '1'), "US").valid);
}

TEST(NumberClassifier, MarksRepeatsOfTheSameNumberHoweverWritten) {
    const auto facts = classify_numbers({"+12025550143", "+18002345678", "+1 (202) 555-0143", "junk", "junk"}, "US");
    ASSERT_EQ(facts.size(), 5u);
    EXPECT_FALSE(facts[0].duplicate_of);
    EXPECT_FALSE(facts[1].duplicate_of);
    EXPECT_EQ(facts[2].duplicate_of, 0u);
    EXPECT_FALSE(facts[3].duplicate_of);
    EXPECT_EQ(facts[4].duplicate_of, 3u);
}

// libphonenumber asked every question separately, as classify_number did before it derived validity
// from the number's type and kept its answers: what classify_number must keep answering.
NumberFacts classify_question_by_question(const std::string& text, const std::string& default_region) {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    NumberFacts facts;
    PhoneNumber number;
    if (util.Parse(text, default_region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        facts.problem = "it cannot be read as a phone number";
        return facts;
    }
    if (!util.IsValidNumber(number)) {
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
    util.Format(number, PhoneNumberUtil::E164, &facts.e164);
    util.GetRegionCodeForNumber(number, &facts.region);
    const auto type = util.GetNumberType(number);
    const auto kind = static_cast<std::size_t>(type) < number_kind_count - 1 ? static_cast<NumberKind>(type) : NumberKind::unknown;
    facts.kind = kind;
    return facts;
}

struct Sample {
    std::string text;
    std::string default_region;
};

// Every +1 area code (PR's 787 and 939, the toll-free 8XX, unassigned and impossible codes among
// them), with exchanges that are and are not assigned, with and without "+1"; every region's and
// non-geographic entity's example number of each type, as written internationally and nationally, one
// digit longer, one shorter, and with its last digit changed.
std::vector<Sample> comparison_samples() {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    std::vector<Sample> samples;
    for (int area = 0; area < 1000; ++area) {
        const std::string npa = std::to_string(1000 + area).substr(1);
        for (const char* rest : {"2345678", "5550143", "0234567", "1234567", "9110000"}) {
            samples.push_back({"+1" + npa + rest, "US"});
        }
        samples.push_back({npa + "-234-5678", "US"});
        samples.push_back({"1 " + npa + " 555 0143", "PR"});
    }
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    std::set<std::string> regions;
    util.GetSupportedRegions(&regions);
    std::vector<PhoneNumber> examples;
    std::vector<std::string> example_regions;
    for (const std::string& region : regions) {
        for (int type = PhoneNumberUtil::FIXED_LINE; type <= PhoneNumberUtil::VOICEMAIL; ++type) {
            PhoneNumber number;
            if (util.GetExampleNumberForType(region, static_cast<PhoneNumberUtil::PhoneNumberType>(type), &number)) {
                examples.push_back(number);
                example_regions.push_back(region);
            }
        }
    }
    std::set<int> global_codes;
    util.GetSupportedGlobalNetworkCallingCodes(&global_codes);
    for (const int code : global_codes) {
        PhoneNumber number;
        if (util.GetExampleNumberForNonGeoEntity(code, &number)) {
            examples.push_back(number);
            example_regions.push_back("US");
        }
    }
    for (std::size_t i = 0; i < examples.size(); ++i) {
        std::string e164;
        std::string national;
        util.Format(examples[i], PhoneNumberUtil::E164, &e164);
        util.Format(examples[i], PhoneNumberUtil::NATIONAL, &national);
        const char last = e164.back();
        const char changed = last == '9' ? '0' : static_cast<char>(last + 1);
        for (const std::string& text : {e164, e164 + "5", e164.substr(0, e164.size() - 1),
                                        e164.substr(0, e164.size() - 1) + changed}) {
            samples.push_back({text, "US"});
        }
        samples.push_back({national, example_regions[i]});
    }
    return samples;
}

TEST(NumberClassifier, AnswersAsLibphonenumberAskedQuestionByQuestion) {
    const std::vector<Sample> samples = comparison_samples();
    ASSERT_GT(samples.size(), 10000u);
    std::size_t valid = 0;
    // Twice: the second round answers from the thread's cache where the first left answers.
    for (int round = 0; round < 2; ++round) {
        for (const Sample& sample : samples) {
            const NumberFacts expected = classify_question_by_question(sample.text, sample.default_region);
            const NumberFacts got = classify_number(sample.text, sample.default_region);
            const std::string where = sample.text + " in " + sample.default_region;
            ASSERT_EQ(got.valid, expected.valid) << where;
            ASSERT_EQ(got.e164, expected.e164) << where;
            ASSERT_EQ(got.region, expected.region) << where;
            ASSERT_EQ(got.kind, expected.kind) << where;
            ASSERT_EQ(got.problem, expected.problem) << where;
            if (round == 0 && got.valid) ++valid;
        }
    }
    EXPECT_GT(valid, samples.size() / 4) << "the samples should hold many valid numbers";
}

// The compiled metadata against libphonenumber's GetNumberType and GetRegionCodeForNumber on a
// million random numbers: a calling code (every one libphonenumber knows, and a few it does not),
// then a national number of 1 to 17 digits, random, or starting with the first digits of one of the
// code's example numbers so that many fall into assigned ranges, with leading zeros now and then.
TEST(CompiledNumberMetadata, AnswersAsLibphonenumberOnAMillionRandomNumbers) {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    std::set<int> codes;
    std::set<std::string> regions;
    util.GetSupportedRegions(&regions);
    std::vector<std::vector<std::string>> examples(1000);
    for (const std::string& region : regions) {
        const int code = util.GetCountryCodeForRegion(region);
        codes.insert(code);
        for (int type = PhoneNumberUtil::FIXED_LINE; type <= PhoneNumberUtil::VOICEMAIL; ++type) {
            PhoneNumber number;
            if (util.GetExampleNumberForType(region, static_cast<PhoneNumberUtil::PhoneNumberType>(type), &number)) {
                std::string national;
                util.GetNationalSignificantNumber(number, &national);
                examples[static_cast<std::size_t>(code)].push_back(national);
            }
        }
    }
    std::set<int> global_codes;
    util.GetSupportedGlobalNetworkCallingCodes(&global_codes);
    for (const int code : global_codes) {
        codes.insert(code);
        PhoneNumber number;
        if (util.GetExampleNumberForNonGeoEntity(code, &number)) {
            std::string national;
            util.GetNationalSignificantNumber(number, &national);
            examples[static_cast<std::size_t>(code)].push_back(national);
        }
    }
    std::vector<int> all_codes(codes.begin(), codes.end());
    for (const int unknown : {0, 999, 42, 80}) all_codes.push_back(unknown);

    std::mt19937_64 random(16);
    const auto below = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const CompiledNumberMetadata& compiled = CompiledNumberMetadata::instance();
    std::size_t valid = 0;
    for (int i = 0; i < 1'000'000; ++i) {
        const int code = all_codes[below(all_codes.size())];
        const std::size_t length = 1 + below(17);
        std::string digits;
        const auto& code_examples = examples[static_cast<std::size_t>(code)];
        if (!code_examples.empty() && below(4) != 0) {
            const std::string& example = code_examples[below(code_examples.size())];
            digits = example.substr(0, std::min(example.size(), below(example.size() + 1)));
        }
        while (digits.size() < length) digits += static_cast<char>('0' + below(10));
        if (below(20) != 0) {  // mostly no leading zero, as a national significant number mostly is
            while (!digits.empty() && digits[0] == '0') digits.erase(0, 1);
            if (digits.empty()) digits = "1";
        }
        PhoneNumber number;
        number.set_country_code(code);
        number.set_national_number(std::stoull(digits));
        if (digits.size() > 1 && digits[0] == '0') {
            number.set_italian_leading_zero(true);
            std::size_t zeros = 1;
            while (zeros < digits.size() - 1 && digits[zeros] == '0') ++zeros;
            if (zeros != 1) number.set_number_of_leading_zeros(static_cast<int>(zeros));
        }
        std::string national;
        util.GetNationalSignificantNumber(number, &national);
        const CompiledNumberAnswer got = compiled.classify(code, national);
        const PhoneNumberUtil::PhoneNumberType type = util.GetNumberType(number);
        std::string region;
        util.GetRegionCodeForNumber(number, &region);
        ASSERT_EQ(got.type, type) << "+" << code << " " << national;
        ASSERT_EQ(got.region, region) << "+" << code << " " << national;
        if (type != PhoneNumberUtil::UNKNOWN) ++valid;
    }
    EXPECT_GT(valid, 50'000u) << "the random numbers should hold many valid ones";
}

TEST(NumberClassifier, KeepsAtMostItsBoundOfAnswersPerThread) {
    std::vector<std::string> numbers;
    for (std::size_t i = 0; i < 3 * number_cache_slots; ++i) numbers.push_back("+1202" + std::to_string(2000000 + i));
    for (const std::string& number : numbers) EXPECT_TRUE(classify_number(number, "US").valid) << number;
    EXPECT_LE(cached_classifications(), number_cache_slots);
    EXPECT_GT(cached_classifications(), number_cache_slots / 2);
    // The first numbers have been pushed out by later ones; asked again, they get the same answers.
    for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(classify_number(numbers[i], "US").e164, "+1" + numbers[i].substr(2));
}

TEST(NumberClassifier, KeepsAnswersApartByDefaultRegion) {
    // Read nationally, the same text is a US number in the US and a number of nowhere in Germany.
    EXPECT_EQ(classify_number("202 555 0143", "US").e164, "+12025550143");
    EXPECT_EQ(classify_number("202 555 0143", "DE").e164, classify_question_by_question("202 555 0143", "DE").e164);
    EXPECT_NE(classify_number("202 555 0143", "DE").e164, "+12025550143");
    EXPECT_EQ(classify_number("202 555 0143", "US").region, "US");
}

TEST(NumberClassifier, ThreadsGetTheAnswersOfOneThread) {
    std::vector<std::string> numbers = {"+12025550143", "+17875550123", "+18002345678", "+14165550123", "12", "+442071838750"};
    for (int i = 0; i < 200; ++i) numbers.push_back("+1939" + std::to_string(2000000 + i * 7));
    std::vector<NumberFacts> expected;
    for (const std::string& number : numbers) expected.push_back(classify_question_by_question(number, "US"));
    std::vector<std::size_t> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 3; ++round) {
                for (std::size_t i = 0; i < numbers.size(); ++i) {
                    const std::size_t k = (i + t * 13) % numbers.size();
                    const NumberFacts got = classify_number(numbers[k], "US");
                    if (got.valid != expected[k].valid || got.e164 != expected[k].e164 || got.region != expected[k].region ||
                        got.kind != expected[k].kind || got.problem != expected[k].problem) {
                        ++mismatches[t];
                    }
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (const std::size_t count : mismatches) EXPECT_EQ(count, 0u);
}

TEST(NumberKinds, HaveTheirRuleSpellings) {
    EXPECT_EQ(to_string(NumberKind::toll_free), "toll_free");
    EXPECT_EQ(parse_number_kind("fixed_line_or_mobile"), NumberKind::fixed_line_or_mobile);
    EXPECT_FALSE(parse_number_kind("tollfree"));
}

}  // namespace
}  // namespace telpolicy::test
