// Request parsing: every field, its type, and a message that names the faulty field.
#include <gtest/gtest.h>

#include <telpolicy/request.hpp>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

std::string error_of(const std::string& text) {
    const ParsedRequest parsed = parse_request(text);
    EXPECT_FALSE(parsed.request.has_value()) << text;
    return parsed.error;
}

TEST(RequestParser, ReadsEveryField) {
    const ParsedRequest parsed = parse_request(
        R"({"country":"pr","action":"port_in","number_type":"toll_free","numbers":["+18002345678"],"count":3,)"
        R"("pin":"123456","pin_is_set":true,"locale":"fr_CA","unknown":{"ignored":true}})");
    ASSERT_TRUE(parsed.request) << parsed.error;
    const Request& request = *parsed.request;
    EXPECT_EQ(request.country, "PR");
    EXPECT_EQ(request.action, "port_in");
    EXPECT_EQ(request.number_type, "toll_free");
    ASSERT_TRUE(request.numbers);
    EXPECT_EQ(*request.numbers, std::vector<std::string>{"+18002345678"});
    EXPECT_EQ(request.count, 3u);
    EXPECT_EQ(request.effective_count(), 3u);
    ASSERT_TRUE(request.pin);
    EXPECT_EQ(request.pin->reveal(), "123456");
    EXPECT_TRUE(request.pin_is_set);
    EXPECT_EQ(request.locale, "fr-CA");
}

TEST(RequestParser, OptionalFieldsDefaultAndNullMeansAbsent) {
    const ParsedRequest parsed =
        parse_request(R"({"country":"US","action":"set_pin","number_type":null,"pin":null,"count":null})");
    ASSERT_TRUE(parsed.request) << parsed.error;
    EXPECT_FALSE(parsed.request->number_type);
    EXPECT_FALSE(parsed.request->pin);
    EXPECT_FALSE(parsed.request->count);
    EXPECT_FALSE(parsed.request->numbers);
    EXPECT_FALSE(parsed.request->pin_is_set);
    EXPECT_EQ(parsed.request->effective_count(), 0u);
}

TEST(RequestParser, SubscriberIsASynonymOfUser) {
    const ParsedRequest parsed = parse_request(R"({"country":"US","action":"port_in","number_type":"subscriber"})");
    ASSERT_TRUE(parsed.request);
    EXPECT_EQ(parsed.request->number_type, "subscriber") << "words are the rules' business";
    EXPECT_EQ(form_ids(decide(R"({"country":"US","action":"port_in","number_type":"subscriber"})")),
              form_ids(decide(R"({"country":"US","action":"port_in","number_type":"user"})")));
}

TEST(RequestParser, EffectiveCountIsTheLengthOfNumbersWhenCountIsAbsent) {
    const ParsedRequest parsed = parse_request(R"({"country":"US","action":"port_in","numbers":["+1","+2"]})");
    ASSERT_TRUE(parsed.request);
    EXPECT_EQ(parsed.request->effective_count(), 2u);
}

TEST(RequestParser, RejectsTextThatIsNotJson) {
    EXPECT_NE(error_of("not json").find("not valid JSON"), std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US",)").find("not valid JSON"), std::string::npos);
    EXPECT_NE(error_of("").find("empty"), std::string::npos);
    EXPECT_NE(error_of("   \n").find("empty"), std::string::npos);
}

TEST(RequestParser, RejectsJsonThatIsNotAnObject) {
    EXPECT_NE(error_of("[]").find("must be a JSON object, got an array"), std::string::npos);
    EXPECT_NE(error_of("42").find("got an integer"), std::string::npos);
    EXPECT_NE(error_of("\"US\"").find("got a string"), std::string::npos);
    EXPECT_NE(error_of("null").find("got null"), std::string::npos);
}

TEST(RequestParser, NamesTheMissingRequiredField) {
    EXPECT_NE(error_of(R"({"action":"port_in"})").find("'country' is required"), std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US"})").find("'action' is required"), std::string::npos);
    EXPECT_NE(error_of(R"({"country":null,"action":"port_in"})").find("'country' is required"), std::string::npos);
}

TEST(RequestParser, NamesTheFieldOfTheWrongType) {
    EXPECT_NE(error_of(R"({"country":1,"action":"port_in"})").find("'country' must be a string"), std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":["port_in"]})").find("'action' must be a string"), std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","number_type":1})").find("'number_type'"), std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","numbers":"+12025550143"})").find("'numbers' must be an array"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","numbers":["+1",2]})").find("'numbers[1]' must be a string"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","count":"3"})").find("'count'"), std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","count":2.5})").find("'count'"), std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","count":-1})").find("'count' must not be negative"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"set_pin","pin":123456})").find("'pin' must be a string"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"set_pin","pin_is_set":"yes"})").find("'pin_is_set'"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","locale":5})").find("'locale'"), std::string::npos);
}

// The words are checked by the engine against its loaded rules' vocabulary: an unknown word is
// request.invalid, with the field, a did-you-mean and the known words.
std::string invalid_message(const std::string& text) {
    const auto decision = decide(text);
    EXPECT_EQ(codes(decision), std::vector<std::string>{"request.invalid"}) << text;
    return decision["violations"].empty() ? std::string() : decision["violations"][0]["message"].get<std::string>();
}

TEST(RequestParser, RejectsUnknownActionsAndNumberTypes) {
    const std::string action = invalid_message(R"({"country":"US","action":"port-in"})");
    EXPECT_NE(action.find("'action' has the value \"port-in\", which no loaded plugin knows; did you mean 'port_in'?"),
              std::string::npos)
        << action;
    EXPECT_NE(action.find("port_out"), std::string::npos) << "lists the known values";
    EXPECT_NE(invalid_message(R"({"country":"US","action":"PORT_IN"})").find("'action'"), std::string::npos);
    EXPECT_NE(invalid_message(R"({"country":"US","action":"port_in","number_type":"mobile"})").find("'number_type'"),
              std::string::npos);
}

TEST(RequestParser, RejectsCountriesThatAreNotTwoLetters) {
    for (const char* country : {"USA", "U", "", "1A", "U\\u0000", "\\u00c9U"}) {
        const std::string text = std::string(R"({"action":"port_in","country":")") + country + "\"}";
        EXPECT_NE(error_of(text).find("'country'"), std::string::npos) << text;
    }
}

TEST(RequestParser, RejectsMalformedLocales) {
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","locale":"english please"})").find("'locale'"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"country":"US","action":"port_in","locale":""})").find("'locale'"), std::string::npos);
}

TEST(RequestParser, RejectsNulBytesAndInvalidUtf8) {
    const char raw_nul[] = "{\"country\":\"US\",\0\"action\":\"port_in\"}";
    EXPECT_FALSE(parse_request(std::string_view(raw_nul, sizeof raw_nul - 1)).request);
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"port\u0000in"})")), std::vector<std::string>{"request.invalid"})
        << "an escaped NUL is a character of an unknown word";
    EXPECT_FALSE(parse_request("{\"country\":\"U\xff\",\"action\":\"port_in\"}").request);
}

TEST(RequestParser, SurvivesDeepNestingAndLongInput) {
    EXPECT_NE(parse_request(std::string(100000, '[') + std::string(100000, ']')).error.find("deeper than the limit"),
              std::string::npos);
    const std::string padding(200'000, ' ');
    EXPECT_TRUE(parse_request(R"({"country":"US","action":"port_in","x":")" + std::string(500'000, 'x') + "\"}").request);
    EXPECT_TRUE(parse_request(padding + R"({"country":"US","action":"port_in"})" + padding).request);
}

// A request nested deeper than the limit (32 by default) is refused as the parser meets the first
// level too deep, whatever the field: before, 100 MB of nested arrays took 3.9 GB.
TEST(RequestParser, NestingDeeperThanTheLimitIsRefusedAndSaysWhichLimit) {
    const auto nested = [](std::size_t arrays) {
        return R"({"country":"US","action":"port_in","x":)" + std::string(arrays, '[') + std::string(arrays, ']') + "}";
    };
    EXPECT_TRUE(parse_request(nested(31)).request) << "the object and 31 arrays: 32 levels";
    EXPECT_EQ(error_of(nested(32)),
              "the request nests objects and arrays deeper than the limit of 32 (change it with --max-json-depth)");
    Limits limits;
    limits.max_json_depth = 2;
    EXPECT_TRUE(parse_request(R"({"country":"US","action":"port_in","numbers":["+12025550143"]})", limits).request);
    const ParsedRequest deeper = parse_request(R"({"country":"US","action":"port_in","numbers":[["+12025550143"]]})", limits);
    EXPECT_FALSE(deeper.request);
    EXPECT_NE(deeper.error.find("deeper than the limit of 2"), std::string::npos) << deeper.error;
    const ParsedRequest object = parse_request(R"({"country":"US","action":"port_in","x":{"y":{}}})", limits);
    EXPECT_NE(object.error.find("deeper than the limit of 2"), std::string::npos) << object.error;
}

// JSON has one kind of number: a whole number is a count however it is written, and each message
// says what is wrong with the number, not something else.
TEST(RequestParser, AWholeNumberIsACountHoweverItIsWritten) {
    for (const auto& [text, count] : std::vector<std::pair<std::string, std::uint64_t>>{
             {"1e3", 1000}, {"10.0", 10}, {"-0", 0}, {"-0.0", 0}, {"0e5", 0}, {"18446744073709551615", 18446744073709551615u}}) {
        const ParsedRequest parsed = parse_request(R"({"country":"US","action":"port_in","count":)" + text + "}");
        ASSERT_TRUE(parsed.request) << text << ": " << parsed.error;
        EXPECT_EQ(parsed.request->count, count) << text;
    }
}

TEST(RequestParser, NumberMessagesSayWhatIsWrongWithTheNumber) {
    const auto count_error = [](const std::string& text) {
        return error_of(R"({"country":"US","action":"port_in","count":)" + text + "}");
    };
    EXPECT_EQ(count_error("2.5"), "field 'count' must be a whole number, got a number with a fraction");
    EXPECT_EQ(count_error("-1e3"), "field 'count' must not be negative");
    EXPECT_EQ(count_error("18446744073709551616"), "field 'count' is too large: at most 18446744073709551615");
    EXPECT_EQ(count_error("1e30"), "field 'count' is too large: at most 18446744073709551615");
    // Beyond a double's range, once "out of memory".
    EXPECT_EQ(count_error("1e400"), "the request holds a number too large to read (beyond about 1.8e308)");
    EXPECT_EQ(error_of(R"({"country":"US","action":"set_pin","pin":1e3})"), "field 'pin' must be a string, got a number");
    EXPECT_EQ(error_of(R"({"country":"US","action":"set_pin","pin":1.5})"),
              "field 'pin' must be a string, got a number with a fraction");
}

TEST(RequestParser, SyntaxErrorMessagesDoNotQuoteTheInput) {
    const std::string error = error_of(R"({"country":"US","action":"set_pin","pin":"918273" oops})");
    EXPECT_EQ(error.find("918273"), std::string::npos) << error;
    EXPECT_EQ(error.find("oops"), std::string::npos) << error;
}

TEST(InvalidRequests, GiveARequestInvalidDecisionWithNullCountryAndAction) {
    const auto decision = decide(R"({"country":"US","action":"fly"})");
    EXPECT_EQ(decision["allowed"], false);
    EXPECT_TRUE(decision["country"].is_null());
    EXPECT_TRUE(decision["action"].is_null());
    EXPECT_TRUE(decision["plugin"].is_null());
    EXPECT_TRUE(decision["mailbox"].is_null());
    EXPECT_TRUE(decision["forms"].empty());
    EXPECT_EQ(codes(decision), std::vector<std::string>{"request.invalid"});
    EXPECT_NE(decision["violations"][0]["message"].get<std::string>().find("'action'"), std::string::npos);
}

TEST(InvalidRequests, UnknownCountryIsUnsupportedNotInvalid) {
    const auto decision = decide(R"({"country":"zz","action":"port_in"})");
    EXPECT_EQ(codes(decision), std::vector<std::string>{"country.unsupported"});
    EXPECT_EQ(decision["country"], "ZZ");
    EXPECT_EQ(decision["action"], "port_in");
    EXPECT_TRUE(decision["plugin"].is_null());
}

// The contract: input that is not exactly one JSON object is request.invalid.
TEST(StrictJson, AKeyGivenTwiceIsRefusedAtAnyDepth) {
    EXPECT_EQ(error_of(R"({"country":"US","action":"port_in","action":"port_out"})"),
              "the request gives the key \"action\" twice; each key may appear once");
    EXPECT_EQ(error_of(R"({"country":"US","action":"port_in","extra":1,"extra":2})"),
              "the request gives the key \"extra\" twice; each key may appear once");
    EXPECT_EQ(error_of(R"({"country":"US","action":"port_in","extra":{"a":1,"a":1}})"),
              "the request gives the key \"a\" twice; each key may appear once");
    EXPECT_TRUE(parse_request(R"({"country":"US","action":"port_in","x":{"a":1},"y":{"a":1}})").request)
        << "the same key in two objects is fine";
}

TEST(StrictJson, ARepeatedPinIsRefusedWithoutQuotingIt) {
    const std::string error = error_of(R"({"country":"US","action":"set_pin","pin":"918273","pin":"564738"})");
    EXPECT_NE(error.find("\"pin\" twice"), std::string::npos) << error;
    EXPECT_EQ(error.find("918273"), std::string::npos);
    EXPECT_EQ(error.find("564738"), std::string::npos);
}

TEST(StrictJson, ANulByteAndAnythingAfterTheObjectAreRefused) {
    using namespace std::string_literals;
    for (const std::string& text : {R"({"country":"US","action":"port_in"})"s + '\0' + "garbage",
                                    R"({"country":"US","action":"port_in"})"s + '\0',
                                    R"({"country":"US","action":"port_in"} {"country":"US","action":"port_out"})"s,
                                    R"({"country":"US","action":"port_in"}])"s,
                                    R"({"country":"US","action":"port_in"}x)"s}) {
        EXPECT_NE(error_of(text).find("not valid JSON"), std::string::npos) << text;
    }
    EXPECT_TRUE(parse_request(R"({"country":"US","action":"port_in"})"
                              "\n\t ")
                    .request)
        << "whitespace after the object is fine";
}

TEST(StrictJson, EvaluateJsonAnswersRequestInvalid) {
    using namespace std::string_literals;
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"port_in"})"s + '\0' + "garbage")),
              std::vector<std::string>{"request.invalid"});
    EXPECT_EQ(codes(decide(R"({"country":"US","country":"PR","action":"port_in"})")),
              std::vector<std::string>{"request.invalid"});
}

// request_fields (what policy tests accept) and the parser agree: each listed field is read, so a
// value of the wrong type for it is refused, naming it.
TEST(RequestParser, ReadsEveryFieldThatRequestFieldsLists) {
    for (std::string_view field : request_fields) {
        std::string text = R"({"country":"US","action":"port_in")";
        text += ",\"" + std::string(field) + "\":{}}";
        if (field == "country") text = R"({"country":{},"action":"port_in"})";
        if (field == "action") text = R"({"country":"US","action":{}})";
        const ParsedRequest parsed = parse_request(text);
        EXPECT_FALSE(parsed.request) << field;
        EXPECT_NE(parsed.error.find(std::string(field)), std::string::npos) << field << ": " << parsed.error;
    }
}

}  // namespace
}  // namespace telpolicy::test
