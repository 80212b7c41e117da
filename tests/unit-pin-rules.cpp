// Transfer PIN rules: characters, length, lifecycle, and countries without PINs.
#include <gtest/gtest.h>

#include "evaluation/evaluator.hpp"
#include "evaluation/pin_check.hpp"
#include <telpolicy/pin_facts.hpp>
#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

TEST(PinCharacters, AcceptOnlyAsciiDigitsForDigitPins) {
    EXPECT_TRUE(pin_characters_allowed("0123456789", PinCharacters::ascii_digits));
    EXPECT_FALSE(pin_characters_allowed("12345a", PinCharacters::ascii_digits));
    EXPECT_FALSE(pin_characters_allowed("123 456", PinCharacters::ascii_digits));
    EXPECT_FALSE(pin_characters_allowed("+123456", PinCharacters::ascii_digits));
    EXPECT_FALSE(pin_characters_allowed("\xd9\xa1\xd9\xa2\xd9\xa3", PinCharacters::ascii_digits));  // Arabic-Indic
    EXPECT_FALSE(pin_characters_allowed("\xef\xbc\x91\xef\xbc\x92", PinCharacters::ascii_digits));  // full-width
    EXPECT_FALSE(pin_characters_allowed(std::string_view("123\0" "456", 7), PinCharacters::ascii_digits));
    EXPECT_TRUE(pin_characters_allowed("abc123XYZ", PinCharacters::ascii_letters_and_digits));
    EXPECT_FALSE(pin_characters_allowed("abc-123", PinCharacters::ascii_letters_and_digits));
}

TEST(PinLength, CountsCharactersNotBytes) {
    EXPECT_EQ(pin_length("123456"), 6u);
    EXPECT_EQ(pin_length("\xd9\xa1\xd9\xa2\xd9\xa3"), 3u);
    EXPECT_EQ(pin_length(""), 0u);
}

TEST(UsPin, LengthBoundsAreSixToTenInclusive) {
    for (int length = 0; length <= 12; ++length) {
        const std::string pin(static_cast<std::size_t>(length), '7');
        const auto decision = decide(R"({"country":"US","action":"set_pin","pin":")" + pin + "\"}");
        const bool in_bounds = length >= 6 && length <= 10;
        if (length == 0) {
            EXPECT_EQ(codes(decision), std::vector<std::string>{"pin.missing"});
        } else if (in_bounds) {
            EXPECT_TRUE(decision["allowed"]) << length;
        } else {
            EXPECT_EQ(codes(decision), std::vector<std::string>{"pin.length"}) << length;
        }
    }
}

TEST(UsPin, LengthMessageStatesTheBoundsAndTheCount) {
    const auto decision = decide(R"({"country":"US","action":"set_pin","pin":"73829"})");
    EXPECT_EQ(decision["violations"][0]["message"], "the transfer PIN must have 6 to 10 digits; it has 5");
    EXPECT_EQ(decision["violations"][0]["rule"], "us.pin.length");
    EXPECT_EQ(decision["matched_rules"], nlohmann::json({"us.pin.length", "us.set-pin"}));
}

TEST(UsPin, BadCharactersAndBadLengthAreBothReported) {
    const auto decision = decide(R"({"country":"US","action":"set_pin","pin":"abc"})");
    EXPECT_EQ(codes(decision), (std::vector<std::string>{"pin.format", "pin.length"}));
}

TEST(UsPin, SetPinWithoutPinIsMissing) {
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"set_pin"})")), std::vector<std::string>{"pin.missing"});
}

TEST(UsPin, ClearingIsRefusedWhetherOrNotAPinIsSet) {
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"clear_pin","pin_is_set":true})")),
              std::vector<std::string>{"pin.cannot_clear"});
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"clear_pin"})")), std::vector<std::string>{"pin.cannot_clear"});
}

TEST(UsPin, ThePinIsCheckedOnEveryActionThatCarriesIt) {
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"port_out","pin":"12ab56","pin_is_set":true})")),
              std::vector<std::string>{"pin.format"});
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"transfer_tenant","pin":"123","numbers":["+12025550143"]})")),
              std::vector<std::string>{"pin.length"});
}

TEST(UsPin, ActionsWithoutAPinIgnoreOne) {
    EXPECT_TRUE(decide(R"({"country":"US","action":"new_numbers","pin":"x"})")["allowed"]);
}

constexpr const char* no_pin_rules = R"(
format: 1
plugin: np
countries: [XN]
actions: [new_numbers]
pin: {used: false, sets: [set_pin], clears: [clear_pin]}
rules:
  - id: np.any
    then: {notes: [fine]}
)";

TEST(CountryWithoutPins, AnswersPinActionsWithNotApplicable) {
    RuleLoadResult loaded = load_rules_text(no_pin_rules, "np.yaml");
    ASSERT_TRUE(loaded.value);
    for (const char* action : {"set_pin", "clear_pin"}) {
        Request request;
        request.country = "XN";
        request.action = action;
        request.pin.emplace("123456");
        Decision decision;
        evaluate_rules(*loaded.value, request, decision);
        ASSERT_EQ(decision.violations.size(), 1u);
        EXPECT_EQ(decision.violations[0].code, "pin.not_applicable");
        EXPECT_EQ(decision.violations[0].rule, "np.pin.not_used");
    }
}

// Canada's page asks for a 10-digit PIN: a length of one bound is said as such, not "10 to 10".
TEST(PinRules, OneLengthIsSaidExactly) {
    const auto decision = decide_with_bundle(
        R"({"country":"CA","action":"convert_to_service","pin":"482916","numbers":["+1 416 555 0143"]})");
    ASSERT_EQ(codes(decision), std::vector<std::string>{"pin.length"}) << decision.dump();
    EXPECT_EQ(decision["violations"][0]["message"], "the transfer PIN must have exactly 10 digits; it has 6");
}

// What a decision log keeps of a PIN, and the stand-in that replay decides with.
TEST(PinFacts, KeepLengthAndCharactersAndAStandInHasTheSame) {
    const auto facts_of = [](std::string_view pin) { return pin_facts(TransferPin(pin)); };
    EXPECT_EQ(facts_of("73519264"), (PinFacts{8, PinCharacterClass::digits, {}}));
    EXPECT_EQ(facts_of("73a1"), (PinFacts{4, PinCharacterClass::letters_and_digits, {}}));
    EXPECT_EQ(facts_of("\xd9\xa1\xd9\xa2\xd9\xa3"), (PinFacts{3, PinCharacterClass::other, {}}));
    EXPECT_EQ(facts_of(""), (PinFacts{0, PinCharacterClass::digits, {}}));
    for (const std::string_view pin : {"73519264", "73a1", "12 34", "\xd9\xa1\xd9\xa2", ""}) {
        const PinFacts facts = facts_of(pin);
        EXPECT_EQ(pin_facts(stand_in_pin(facts)), facts) << pin;
    }
    for (const auto characters : {PinCharacterClass::digits, PinCharacterClass::letters_and_digits, PinCharacterClass::other}) {
        EXPECT_EQ(parse_pin_character_class(to_string(characters)), characters);
    }
    EXPECT_FALSE(parse_pin_character_class("letters"));
}

TEST(PinFacts, TheEngineGivesThePluginChecksVerdictsOnlyWhereTheyRun) {
    const Engine& engine = us_engine();
    const auto verdicts = [&](const char* json) { return engine.pin_check_verdicts(*parse_request(json).request); };
    EXPECT_EQ(verdicts(R"({"country":"US","action":"set_pin","pin":"73519264"})"),
              (std::vector<PinCheckVerdict>{{"digits_only", true}}));
    EXPECT_EQ(verdicts(R"({"country":"us","action":"set_pin","pin":"7351926a"})"),
              (std::vector<PinCheckVerdict>{{"digits_only", false}}));
    EXPECT_TRUE(verdicts(R"({"country":"US","action":"set_pin"})").empty());
    EXPECT_TRUE(verdicts(R"({"country":"US","action":"set_pin","pin":""})").empty());
    EXPECT_TRUE(verdicts(R"({"country":"ZZ","action":"set_pin","pin":"73519264"})").empty());
}

}  // namespace
}  // namespace telpolicy::test
