// The US rules on listed numbers: invalid, wrong country, wrong kind, duplicates, count mismatch.
#include <gtest/gtest.h>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

nlohmann::json port_in(const std::string& number_type, const std::vector<std::string>& numbers,
                       const std::string& extra = "") {
    nlohmann::json request{{"country", "US"}, {"action", "port_in"}, {"numbers", numbers}};
    if (!number_type.empty()) request["number_type"] = number_type;
    std::string text = request.dump();
    if (!extra.empty()) text.insert(text.size() - 1, "," + extra);
    return decide(text);
}

TEST(NumberRules, ValidUsAndPuertoRicoNumbersPass) {
    const auto decision = port_in("user", {"+12025550143", "+17875550123", "+19395550123"});
    EXPECT_TRUE(decision["allowed"]) << decision.dump();
    EXPECT_TRUE(port_in("toll_free", {"+18002345678", "+18884445555"})["allowed"]);
    EXPECT_TRUE(decide(R"({"country":"PR","action":"port_in","numbers":["+12025550143","+18002345678"]})")["allowed"])
        << "numbers of either region serve requests of either country";
}

TEST(NumberRules, InvalidNumbersAreReportedOneByOneWithTheirPosition) {
    const auto decision = port_in("user", {"+12025550143", "12345", "+1-800-FLOWERS"});
    EXPECT_EQ(codes(decision), (std::vector<std::string>{"number.invalid", "number.invalid"}));
    const std::string first = decision["violations"][0]["message"];
    EXPECT_NE(first.find("number 2 (12345)"), std::string::npos) << first;
    EXPECT_NE(first.find("too few digits"), std::string::npos) << first;
    EXPECT_NE(decision["violations"][1]["message"].get<std::string>().find("number 3 (+1-800-FLOWERS)"),
              std::string::npos);
    EXPECT_EQ(decision["violations"][0]["rule"], "us.numbers.invalid");
}

TEST(NumberRules, ACanadianPlusOneNumberIsTheWrongCountry) {
    const auto decision = port_in("user", {"+14165550123"});
    EXPECT_EQ(codes(decision), std::vector<std::string>{"number.wrong_country"});
    const std::string message = decision["violations"][0]["message"];
    EXPECT_NE(message.find("number 1 (+14165550123)"), std::string::npos);
    EXPECT_NE(message.find("CA"), std::string::npos);
    EXPECT_EQ(codes(port_in("", {"+442079460000"})), std::vector<std::string>{"number.wrong_country"});
}

TEST(NumberRules, TollFreeNumbersInAUserOrServiceRequestMismatch) {
    EXPECT_EQ(codes(port_in("user", {"+18002345678"})), std::vector<std::string>{"number.type_mismatch"});
    EXPECT_EQ(codes(port_in("service", {"+12025550143", "+18884445555"})),
              std::vector<std::string>{"number.type_mismatch"});
    EXPECT_NE(port_in("service", {"+18884445555"})["violations"][0]["message"].get<std::string>().find(
                  "is a toll-free number, but the request is for service numbers"),
              std::string::npos);
}

TEST(NumberRules, OtherNumbersInATollFreeRequestMismatch) {
    const auto decision = port_in("toll_free", {"+18002345678", "+12025550143"});
    EXPECT_EQ(codes(decision), std::vector<std::string>{"number.type_mismatch"});
    EXPECT_NE(decision["violations"][0]["message"].get<std::string>().find("number 2 (+12025550143)"),
              std::string::npos);
}

TEST(NumberRules, WithoutANumberTypeAnyKindIsAccepted) {
    EXPECT_TRUE(port_in("", {"+18002345678", "+12025550143"})["allowed"]);
}

TEST(NumberRules, AWrongCountryNumberIsNotAlsoATypeMismatch) {
    EXPECT_EQ(codes(port_in("toll_free", {"+14165550123"})),
              (std::vector<std::string>{"number.wrong_country", "number.type_mismatch"}))
        << "a Canadian geographic number is both foreign and not toll-free";
    EXPECT_EQ(codes(port_in("toll_free", {"junk"})), std::vector<std::string>{"number.invalid"})
        << "an invalid number has no kind to contradict";
}

TEST(NumberRules, DuplicatesAreReported) {
    const auto decision = port_in("user", {"+12025550143", "+12025550144", "+1 (202) 555-0143"});
    EXPECT_EQ(codes(decision), std::vector<std::string>{"us.number.duplicate"});
    EXPECT_NE(decision["violations"][0]["message"].get<std::string>().find("number 3 (+1 (202) 555-0143) repeats number 1"),
              std::string::npos);
}

TEST(NumberRules, CountAndNumbersThatDisagreeAreReported) {
    const auto decision = port_in("user", {"+12025550143"}, R"("count":2)");
    EXPECT_EQ(codes(decision), std::vector<std::string>{"request.invalid"});
    EXPECT_EQ(decision["violations"][0]["message"], "'count' is 2 but 'numbers' lists 1 numbers");
    EXPECT_TRUE(port_in("user", {"+12025550143"}, R"("count":1)")["allowed"]);
    EXPECT_TRUE(decide(R"({"country":"US","action":"port_in","count":5000})")["allowed"]) << "count alone is fine";
}

TEST(NumberRules, ManyBadNumbersAreCappedWithACountOfTheRest) {
    std::vector<std::string> numbers;
    for (int i = 0; i < 1000; ++i) numbers.push_back("+1416555" + std::to_string(1000 + i));  // Toronto
    const auto decision = port_in("user", numbers);
    ASSERT_EQ(decision["violations"].size(), 21u);
    EXPECT_EQ(decision["violations"][20]["message"], "and 980 more numbers with the same problem");
    EXPECT_EQ(decision["violations"][20]["code"], "number.wrong_country");
}

TEST(NumberRules, NumbersAreCheckedForEveryActionThatListsThem) {
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"convert_to_service","pin":"123456","pin_is_set":true,"numbers":["+14165550123"]})")),
              std::vector<std::string>{"number.wrong_country"});
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"transfer_tenant","pin":"123456","numbers":["bad"]})")),
              std::vector<std::string>{"number.invalid"});
}

TEST(NumberRules, TheExampleOfTheContractStillHolds) {
    EXPECT_TRUE(port_in("toll_free", {"+18002345678"})["allowed"]);
}

}  // namespace
}  // namespace telpolicy::test
