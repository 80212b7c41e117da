// One row per fact of the two seed documents (docs/sources/us/), through the public engine and the
// contract's JSON: what the organization asks, and the decision the contract implies.
#include <gtest/gtest.h>

#include <cctype>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

// The links of the seed's page, as a client fetches them: spaces percent-encoded (the contract's `url`).
constexpr const char* new_numbers_url =
    "http://download.microsoft.com/download/3/B/D/3BDD4575-EAFA-4777-B4C6-A42E8F235AC9/New%20Phone%20Number%20Request%20for%20"
    "the%20U.S.%20%28Subscriber%20numbers%29%20(v.3)%20(en.US).pdf";
constexpr const char* loa_user_service_url =
    "http://download.microsoft.com/download/F/0/1/F01AE714-0F3C-4D9D-B41A-DFD180EC1622/Letter%20of%20Authorization%20"
    "%28LOA%29%20for%20the%20U.S.%20(User%20and%20Service%20numbers)%20(v.3.1)%20(en-US).pdf";
constexpr const char* loa_toll_free_url =
    "http://download.microsoft.com/download/F/0/1/F01AE714-0F3C-4D9D-B41A-DFD180EC1622/Letter%20of%20Authorization%20"
    "%28LOA%29%20for%20the%20U.S.%20(Toll%20Free%20numbers)%20(v.3.1)%20(en-US).pdf";
constexpr const char* new_numbers_title = "New Phone Number Request for the U.S. (Subscriber numbers)";
constexpr const char* loa_user_service_title = "Letter of Authorization (LOA) for the U.S. (User and Service numbers)";
constexpr const char* loa_toll_free_title = "Letter of Authorization (LOA) for the U.S. (Toll Free numbers)";

struct SeedFact {
    const char* fact;  // the seed's words, shortened
    const char* request;
    bool allowed;
    std::vector<std::string> codes;
    const char* mailbox;  // nullptr: none
    std::vector<std::string> form_titles;
    std::vector<std::string> requires_;
};

void PrintTo(const SeedFact& row, std::ostream* out) { *out << row.request; }

class SeedFacts : public ::testing::TestWithParam<SeedFact> {};

TEST_P(SeedFacts, GiveTheDecisionTheContractImplies) {
    const SeedFact& row = GetParam();
    const nlohmann::json decision = decide(row.request);
    EXPECT_EQ(decision["allowed"], row.allowed);
    EXPECT_EQ(codes(decision), row.codes);
    if (row.mailbox == nullptr) {
        EXPECT_TRUE(decision["mailbox"].is_null()) << decision["mailbox"];
    } else {
        EXPECT_EQ(decision["mailbox"], row.mailbox);
    }
    std::vector<std::string> titles;
    for (const auto& form : decision["forms"]) titles.push_back(form["title"]);
    EXPECT_EQ(titles, row.form_titles);
    EXPECT_EQ(decision["requires"].get<std::vector<std::string>>(), row.requires_);
    EXPECT_EQ(decision["plugin"]["name"], "us");
    EXPECT_FALSE(decision["matched_rules"].empty());
}

const SeedFact seed_facts[] = {
    // Seed 000, row 1: numbers for users not listed in the admin center.
    {"new user numbers: New Phone Number Request form, sent to gcstnmsd", R"({"country":"US","action":"new_numbers"})",
     true, {}, "gcstnmsd@microsoft.com", {new_numbers_title}, {"form"}},
    {"new numbers for Puerto Rico, subscriber type", R"({"country":"pr","action":"new_numbers","number_type":"subscriber"})",
     true, {}, "gcstnmsd@microsoft.com", {new_numbers_title}, {"form"}},
    {"the new-numbers form is for user numbers only", R"({"country":"US","action":"new_numbers","number_type":"toll_free"})",
     false, {"action.unsupported"}, nullptr, {}, {}},
    // Seed 000, row 2: porting numbers in.
    {"port in user numbers: LOA for user and service numbers",
     R"({"country":"US","action":"port_in","number_type":"user","numbers":["+12025550143"]})", true, {},
     "ptn@microsoft.com", {loa_user_service_title}, {"loa", "numbers"}},
    {"port in service numbers: LOA for user and service numbers", R"({"country":"US","action":"port_in","number_type":"service"})",
     true, {}, "ptn@microsoft.com", {loa_user_service_title}, {"loa", "numbers"}},
    {"port in toll-free numbers: LOA for toll-free numbers", R"({"country":"PR","action":"port_in","number_type":"toll_free"})",
     true, {}, "ptn@microsoft.com", {loa_toll_free_title}, {"loa", "numbers"}},
    {"port in without a number type: both letters offered", R"({"country":"US","action":"port_in"})", true, {},
     "ptn@microsoft.com", {loa_user_service_title, loa_toll_free_title}, {"loa", "numbers"}},
    // Seed 000, row 3: converting user numbers to service numbers.
    {"convert: PIN and list of numbers to ptn",
     R"({"country":"US","action":"convert_to_service","pin":"246810","pin_is_set":true,"numbers":["+12025550143"]})",
     true, {}, "ptn@microsoft.com", {}, {"pin", "numbers"}},
    {"convert without the PIN", R"({"country":"US","action":"convert_to_service","pin_is_set":true,"numbers":["+12025550143"]})",
     false, {"pin.missing"}, "ptn@microsoft.com", {}, {"pin", "numbers"}},
    {"convert without the list of numbers", R"({"country":"US","action":"convert_to_service","pin":"246810","pin_is_set":true})",
     false, {"numbers.missing"}, "ptn@microsoft.com", {}, {"pin", "numbers"}},
    {"convert before any PIN was set",
     R"({"country":"US","action":"convert_to_service","pin":"246810","numbers":["+12025550143"]})", false,
     {"pin.not_set"}, "ptn@microsoft.com", {}, {"pin", "numbers"}},
    // Seed 000, row 4: moving numbers between organizations.
    {"move numbers: source organization's PIN and list to ptn",
     R"({"country":"US","action":"transfer_tenant","pin":"975310","numbers":["+12025550143"]})", true, {},
     "ptn@microsoft.com", {}, {"source_pin", "numbers"}},
    {"move numbers without the source PIN", R"({"country":"US","action":"transfer_tenant","numbers":["+12025550143"]})",
     false, {"pin.missing"}, "ptn@microsoft.com", {}, {"source_pin", "numbers"}},
    // Seed 002: the transfer PIN.
    {"PIN of 6 digits", R"({"country":"US","action":"set_pin","pin":"123456"})", true, {}, nullptr, {}, {"pin"}},
    {"PIN of 10 digits", R"({"country":"US","action":"set_pin","pin":"1234567890"})", true, {}, nullptr, {}, {"pin"}},
    {"PIN of 5 digits is too short", R"({"country":"US","action":"set_pin","pin":"73829"})", false, {"pin.length"},
     nullptr, {}, {"pin"}},
    {"PIN of 11 digits is too long", R"({"country":"US","action":"set_pin","pin":"12345678901"})", false,
     {"pin.length"}, nullptr, {}, {"pin"}},
    {"PIN with a letter", R"({"country":"US","action":"set_pin","pin":"12345a"})", false, {"pin.format"}, nullptr, {},
     {"pin"}},
    {"PIN with a special character", R"({"country":"US","action":"set_pin","pin":"123-456"})", false, {"pin.format"},
     nullptr, {}, {"pin"}},
    {"PIN with non-ASCII digits (Arabic-Indic)", R"({"country":"US","action":"set_pin","pin":"\u0661\u0662\u0663\u0664\u0665\u0666"})",
     false, {"pin.format"}, nullptr, {}, {"pin"}},
    {"PIN with full-width digits", R"({"country":"US","action":"set_pin","pin":"\uff11\uff12\uff13\uff14\uff15\uff16"})",
     false, {"pin.format"}, nullptr, {}, {"pin"}},
    {"PIN can be changed once set", R"({"country":"US","action":"set_pin","pin":"8675309","pin_is_set":true})", true,
     {}, nullptr, {}, {"pin"}},
    {"PIN cannot be removed", R"({"country":"PR","action":"clear_pin","pin_is_set":true})", false,
     {"pin.cannot_clear"}, nullptr, {}, {}},
    {"PIN cannot be set back to blank", R"({"country":"US","action":"set_pin","pin":"","pin_is_set":true})", false,
     {"pin.cannot_clear"}, nullptr, {}, {"pin"}},
    {"without a PIN, numbers cannot be ported out", R"({"country":"US","action":"port_out","pin":"123456"})", false,
     {"pin.not_set"}, nullptr, {}, {"pin"}},
    {"the PIN must be included to port out", R"({"country":"US","action":"port_out","pin_is_set":true})", false,
     {"pin.missing"}, nullptr, {}, {"pin"}},
    {"port out with the PIN set and given", R"({"country":"US","action":"port_out","pin":"123456","pin_is_set":true})",
     true, {}, nullptr, {}, {"pin"}},
};

// Test names from the facts, so that a failure reads as the fact it breaks.
std::string fact_name(const ::testing::TestParamInfo<SeedFact>& info) {
    std::string name;
    for (const char* c = info.param.fact; *c != '\0'; ++c) {
        name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
    }
    return name + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(UnitedStates, SeedFacts, ::testing::ValuesIn(seed_facts), fact_name);

TEST(SeedForms, HaveTheSeedsVersionsLocalesAndExactUrls) {
    const auto new_numbers = decide(R"({"country":"US","action":"new_numbers"})")["forms"][0];
    EXPECT_EQ(new_numbers["version"], "3");
    EXPECT_EQ(new_numbers["locale"], "en-US");
    EXPECT_EQ(new_numbers["url"], new_numbers_url);
    const auto loas = decide(R"({"country":"US","action":"port_in"})")["forms"];
    ASSERT_EQ(loas.size(), 2u);
    EXPECT_EQ(loas[0]["url"], loa_user_service_url);
    EXPECT_EQ(loas[1]["url"], loa_toll_free_url);
    for (const auto& form : loas) {
        EXPECT_EQ(form["version"], "3.1");
        EXPECT_EQ(form["locale"], "en-US");
    }
}

TEST(SeedNotes, MoreThan999UserNumbersAdviseASeparateLetter) {
    const auto many = decide(R"({"country":"US","action":"port_in","number_type":"user","count":1000})");
    ASSERT_EQ(many["notes"].size(), 1u);
    EXPECT_NE(many["notes"][0].get<std::string>().find("999"), std::string::npos);
    EXPECT_TRUE(many["allowed"]);
    EXPECT_TRUE(decide(R"({"country":"US","action":"port_in","number_type":"user","count":999})")["notes"].empty());
    EXPECT_TRUE(decide(R"({"country":"US","action":"port_in","number_type":"toll_free","count":5000})")["notes"].empty());
}

TEST(SeedNotes, CountDefaultsToTheLengthOfNumbers) {
    std::string numbers;
    for (int i = 0; i < 1000; ++i) numbers += (i ? ",\"+1202555" : "\"+1202555") + std::to_string(1000 + i) + "\"";
    const auto decision = decide(R"({"country":"US","action":"port_in","numbers":[)" + numbers + "]}");
    EXPECT_EQ(decision["notes"].size(), 1u);
}

}  // namespace
}  // namespace telpolicy::test
