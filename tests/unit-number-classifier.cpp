// Phone numbers parsed and classified with libphonenumber: what is accepted, regions and kinds.
#include <gtest/gtest.h>

#include "number_classifier.hpp"

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

TEST(NumberKinds, HaveTheirRuleSpellings) {
    EXPECT_EQ(to_string(NumberKind::toll_free), "toll_free");
    EXPECT_EQ(parse_number_kind("fixed_line_or_mobile"), NumberKind::fixed_line_or_mobile);
    EXPECT_FALSE(parse_number_kind("tollfree"));
}

}  // namespace
}  // namespace telpolicy::test
