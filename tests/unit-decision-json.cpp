// The decision's JSON: the contract's fields, in the contract's order, with the contract's types.
#include <gtest/gtest.h>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

TEST(DecisionJson, HasEveryContractFieldInOrder) {
    const std::string text = to_json(us_engine().evaluate_json(R"({"country":"US","action":"port_in"})"));
    const auto ordered = nlohmann::ordered_json::parse(text);
    std::vector<std::string> keys;
    for (const auto& item : ordered.items()) keys.push_back(item.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"allowed", "country", "action", "plugin", "forms", "mailbox", "contacts", "requires",
                                              "violations", "notes", "matched_rules"}));
    EXPECT_EQ(text.find('\n'), std::string::npos) << "compact by default: one JSON Lines line";
}

TEST(DecisionJson, AllowedIsFalseExactlyWhenThereAreViolations) {
    Decision decision;
    EXPECT_TRUE(nlohmann::json::parse(to_json(decision))["allowed"]);
    decision.violations.push_back({"pin.length", "m", "r"});
    const auto json = nlohmann::json::parse(to_json(decision));
    EXPECT_FALSE(json["allowed"]);
    EXPECT_EQ(json["violations"][0], (nlohmann::json{{"code", "pin.length"}, {"message", "m"}, {"rule", "r"}}));
}

TEST(DecisionJson, EmptyDecisionUsesNullsAndEmptyArrays) {
    const auto json = nlohmann::json::parse(to_json(Decision{}));
    EXPECT_TRUE(json["country"].is_null());
    EXPECT_TRUE(json["action"].is_null());
    EXPECT_TRUE(json["plugin"].is_null());
    EXPECT_TRUE(json["mailbox"].is_null());
    for (const char* array : {"forms", "requires", "violations", "notes", "matched_rules"}) {
        EXPECT_TRUE(json[array].is_array() && json[array].empty()) << array;
    }
}

TEST(DecisionJson, PrettyPrintsWithAnIndent) {
    EXPECT_NE(to_json(Decision{}, 2).find("\n  \"country\": null"), std::string::npos);
}

TEST(DecisionJson, InvalidUtf8IsReplacedRatherThanThrown) {
    Decision decision;
    decision.notes.push_back("bad \xff byte");
    nlohmann::json parsed;
    EXPECT_NO_THROW(parsed = nlohmann::json::parse(to_json(decision)));
    EXPECT_EQ(parsed["notes"][0], "bad \xef\xbf\xbd byte") << "U+FFFD in place of the bad byte";
}

TEST(DecisionJson, FormsCarryAllFiveFields) {
    const auto form = decide(R"({"country":"US","action":"new_numbers"})")["forms"][0];
    for (const char* field : {"id", "title", "version", "locale", "url"}) {
        EXPECT_TRUE(form[field].is_string()) << field;
    }
}

}  // namespace
}  // namespace telpolicy::test
