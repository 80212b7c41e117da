// The request parser's fast path (simdjson) held to the full reader (nlohmann) it stands in front of:
// parse_request must give exactly what the full reader gives, the same Request or the same message,
// on plain requests, on every irregularity the fast path must leave to the full reader, and on many
// random mutations of real request lines; and the fast path must take the plain requests.
#include <gtest/gtest.h>

#include <random>

#include "request/request_parser.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

Limits small_limits() {
    Limits limits;
    limits.max_request_bytes = 512;
    limits.max_numbers = 4;
    limits.max_pin_bytes = 12;
    return limits;
}

// Everything a Request holds except the PIN's value, for messages; the PIN is compared apart.
std::string describe(const Request& request) {
    std::string out = request.country + " " + request.action;
    out += request.number_type ? " type=" + *request.number_type : " type=-";
    if (request.numbers) {
        out += " numbers=[";
        for (const std::string& number : *request.numbers) out += number + ",";
        out += "]";
    }
    out += request.count ? " count=" + std::to_string(*request.count) : " count=-";
    out += request.pin ? " pin(" + std::to_string(request.pin->reveal().size()) + " bytes)" : " pin=-";
    out += request.pin_is_set ? " set" : " unset";
    return out + " locale=" + request.locale;
}

bool same(const Request& a, const Request& b) {
    const bool same_pin = a.pin.has_value() == b.pin.has_value() && (!a.pin || a.pin->reveal() == b.pin->reveal());
    return same_pin && a.country == b.country && a.action == b.action && a.number_type == b.number_type &&
           a.numbers == b.numbers && a.count == b.count && a.pin_is_set == b.pin_is_set && a.locale == b.locale;
}

// parse_request agrees with the full reader on `text`, and whatever the fast path accepts, the full
// reader accepts as the same Request.
void expect_agreement(const std::string& text, const Limits& limits = {}) {
    const ParsedRequest full = detail::parse_request_full(text, limits);
    const ParsedRequest parsed = parse_request(text, limits);
    ASSERT_EQ(parsed.request.has_value(), full.request.has_value()) << text << "\nfull: " << full.error
                                                                      << "\nparsed: " << parsed.error;
    ASSERT_EQ(parsed.error, full.error) << text;
    if (full.request) {
        ASSERT_TRUE(same(*parsed.request, *full.request))
            << text << "\nfull: " << describe(*full.request) << "\nparsed: " << describe(*parsed.request);
    }
    Request fast;
    if (detail::parse_request_fast(text, limits, fast)) {
        ASSERT_TRUE(full.request) << "the fast path took a text the full reader refuses: " << text;
        ASSERT_TRUE(same(fast, *full.request)) << text;
    }
}

bool fast_path_takes(const std::string& text, const Limits& limits = {}) {
    Request request;
    return detail::parse_request_fast(text, limits, request);
}

TEST(RequestFastPath, TakesPlainRequestsAndGivesTheSameRequest) {
    const char* const plain[] = {
        R"({"country":"US","action":"new_numbers"})",
        R"({"country":"pr","action":"port_in","number_type":"toll_free","numbers":["+18002345678"],"count":3,"pin":"123456","pin_is_set":true,"locale":"fr_CA"})",
        R"( { "country" : "US" , "action" : "set_pin" , "pin" : "73829" } )",
        "{\"country\":\"US\",\r\n\t\"action\":\"port_out\"}\n",
        R"({"action":"port_in","country":"Us","number_type":"subscriber","numbers":[]})",
        R"({"country":"US","action":"set_pin","number_type":null,"pin":null,"count":null,"numbers":null,"pin_is_set":null,"locale":null})",
        R"({"country":"US","action":"port_in","count":0})",
        R"({"country":"US","action":"port_in","count":18446744073709551615})",
        R"({"country":"US","action":"set_pin","pin":"١٢٣٤٥٦"})",  // Arabic-Indic digits: UTF-8, refused by the rules
        R"({"country":"US","action":"set_pin","pin":"ab cd"})",
        "{\"country\":\"US\",\"action\":\"set_pin\",\"pin\":\"12\1773456\"}",  // \177 (octal): DEL, no control character in JSON
        R"({"country":"US","action":"port_in","locale":"EN-us"})",
        R"({"country":"BR","action":"port_in"})",
    };
    for (const std::string text : plain) {
        EXPECT_TRUE(fast_path_takes(text)) << text;
        expect_agreement(text);
    }
}

TEST(RequestFastPath, LeavesEveryIrregularityToTheFullReader) {
    const std::string irregular[] = {
        "",
        " ",
        "not json",
        "[1,2]",
        "null",
        "\"US\"",
        "{}",
        R"({"country":"US"})",
        R"({"action":"port_in"})",
        R"({"country":null,"action":"port_in"})",
        R"({"country":"US","action":null})",
        // Duplicate keys: the full reader keeps the last one.
        R"({"country":"US","action":"port_in","action":"set_pin"})",
        R"({"country":"US","country":"PR","action":"port_in"})",
        R"({"country":"US","action":"port_in","pin":"1","pin":"123456"})",
        // Escapes in keys and values.
        R"({"countr\u0079":"US","action":"port_in"})",
        R"({"country":"U\u0053","action":"port_in"})",
        R"({"country":"US","action":"set_pin","pin":"12\u00334567"})",
        R"({"country":"US","action":"set_pin","pin":"\ud800"})",
        R"({"country":"US","action":"set_pin","pin":"\udc00x"})",
        R"({"country":"US","action":"set_pin","pin":"\ud83d\ude00"})",
        R"({"country":"US","action":"set_pin","pin":"\/"})",
        R"({"country":"US","action":"set_pin","pin":"\x"})",
        // Unknown fields, even well formed.
        R"({"country":"US","action":"port_in","unknown":{"a":[1,2,{"b":null}]}})",
        R"({"country":"US","action":"port_in","x":tru})",
        R"({"country":"US","action":"port_in","x":[1,2,}})",
        R"({"country":"US","action":"port_in","x":01})",
        // Syntax.
        R"({"country":"US","action":"port_in",})",
        R"({"country":"US","action":"port_in"} x)",
        R"({"country":"US","action":"port_in"}})",
        R"({"country":"US","action":"port_in"}{})",
        R"({"country":"US","action":"port_in")",
        R"({"country":"US" "action":"port_in"})",
        R"({"country":"US","action":"port_in" ,, })",
        R"({"country":"US","action" "port_in"})",
        R"({"country":"US",,"action":"port_in"})",
        R"({country:"US","action":"port_in"})",
        R"({'country':'US','action':'port_in'})",
        "\xef\xbb\xbf{\"country\":\"US\",\"action\":\"port_in\"}",  // a byte order mark
        "{\"country\":\"US\",\"action\":\"port_in\"}\f",
        "{\"country\":\"US\",\x0b\"action\":\"port_in\"}",
        std::string("{\"country\":\"US\",") + '\0' + "\"action\":\"port_in\"}",
        std::string("{\"country\":\"US\",\"action\":\"port_in\"}") + '\0',
        std::string("{\"country\":\"US\",\"action\":\"set_pin\",\"pin\":\"12") + '\0' + "3456\"}",
        "{\"country\":\"US\",\"action\":\"set_pin\",\"pin\":\"12\t3456\"}",
        // Invalid UTF-8, in a value and in a key.
        "{\"country\":\"US\",\"action\":\"set_pin\",\"pin\":\"\xff\"}",
        "{\"country\":\"US\",\"action\":\"set_pin\",\"pin\":\"\xc0\xb1\"}",
        "{\"country\":\"US\",\"action\":\"set_pin\",\"pin\":\"\xed\xa0\x80\"}",
        "{\"country\":\"US\",\"action\":\"set_pin\",\"pin\":\"\xe2\x82\"}",
        "{\"country\":\"US\",\"action\":\"port_in\",\"numbers\":[\"+1\xf4\x90\x80\x80\"]}",
        "{\"country\":\"US\",\"action\":\"port_in\",\"\xff\":1}",
        "{\"country\":\"\xc3\x9cS\",\"action\":\"port_in\"}",
        // Wrong types and unknown values.
        R"({"country":"USA","action":"port_in"})",
        R"({"country":"U1","action":"port_in"})",
        R"({"country":1,"action":"port_in"})",
        R"({"country":"US","action":["port_in"]})",
        R"({"country":"US","action":"port_in","number_type":1})",
        R"({"country":"US","action":"port_in","numbers":"+12025550143"})",
        R"({"country":"US","action":"port_in","numbers":["+1",2]})",
        R"({"country":"US","action":"port_in","numbers":[null]})",
        R"({"country":"US","action":"port_in","numbers":[["+1"]]})",
        R"({"country":"US","action":"port_in","numbers":{"a":"+1"}})",
        R"({"country":"US","action":"port_in","count":-3})",
        R"({"country":"US","action":"port_in","count":-0})",
        R"({"country":"US","action":"port_in","count":1.0})",
        R"({"country":"US","action":"port_in","count":1e3})",
        R"({"country":"US","action":"port_in","count":1E3})",
        R"({"country":"US","action":"port_in","count":01})",
        R"({"country":"US","action":"port_in","count":18446744073709551616})",
        R"({"country":"US","action":"port_in","count":99999999999999999999999})",
        R"({"country":"US","action":"port_in","count":"12"})",
        R"({"country":"US","action":"port_in","count":true})",
        R"({"country":"US","action":"port_in","count":12x})",
        R"({"country":"US","action":"set_pin","pin":123456})",
        R"({"country":"US","action":"set_pin","pin":["123456"]})",
        R"({"country":"US","action":"set_pin","pin":{"value":"123456"}})",
        R"({"country":"US","action":"set_pin","pin":true})",
        R"({"country":"US","action":"port_in","pin_is_set":"yes"})",
        R"({"country":"US","action":"port_in","pin_is_set":1})",
        R"({"country":"US","action":"port_in","pin_is_set":truex})",
        R"({"country":"US","action":"port_in","pin_is_set":nul})",
        R"({"country":"US","action":"port_in","pin_is_set":nullx})",
        R"({"country":"US","action":"port_in","locale":"x"})",
        R"({"country":"US","action":"port_in","locale":"en--US"})",
        R"({"country":"US","action":"port_in","locale":5})",
        // Limits (the defaults; small ones below).
        R"({"country":"US","action":"set_pin","pin":")" + std::string(65, '1') + "\"}",
        R"({"country":"US","action":"port_in","x":")" + std::string(20'000, 'x') + "\"}",
    };
    for (const std::string& text : irregular) {
        EXPECT_FALSE(fast_path_takes(text)) << text;
        expect_agreement(text);
        expect_agreement(text, small_limits());
    }
}

// Which words an action or a number type may be is the loaded rules' business (the engine answers
// request.invalid or action.unsupported): both readers take any string, alike.
TEST(RequestFastPath, TakesAnyWordAndLeavesItToTheEngine) {
    for (const std::string text : {R"({"country":"US","action":"teleport"})", R"({"country":"US","action":"Port_in"})",
                                   R"({"country":"US","action":"port_in","number_type":"mobile"})"}) {
        EXPECT_TRUE(fast_path_takes(text)) << text;
        expect_agreement(text);
    }
}

TEST(RequestFastPath, KeepsTheLimits) {
    const Limits limits = small_limits();
    const std::string four = R"({"country":"US","action":"port_in","numbers":["+1","+2","+3","+4"]})";
    const std::string five = R"({"country":"US","action":"port_in","numbers":["+1","+2","+3","+4","+5"]})";
    const std::string pin12 = R"({"country":"US","action":"set_pin","pin":"123456789012"})";
    const std::string pin13 = R"({"country":"US","action":"set_pin","pin":"1234567890123"})";
    EXPECT_TRUE(fast_path_takes(four, limits));
    EXPECT_FALSE(fast_path_takes(five, limits));
    EXPECT_TRUE(fast_path_takes(pin12, limits));
    EXPECT_FALSE(fast_path_takes(pin13, limits));
    EXPECT_FALSE(fast_path_takes(R"({"country":"US","action":"port_in","locale":")" + std::string(500, 'a') + "\"}", limits));
    for (const std::string& text : {four, five, pin12, pin13}) expect_agreement(text, limits);
    const ParsedRequest over = parse_request(five, limits);
    EXPECT_NE(over.error.find("more than the limit of 4"), std::string::npos) << over.error;
}

// Random edits of real request lines: bytes deleted, inserted (JSON punctuation, quotes, escapes,
// control and high bytes), repeated or swapped. Most results are broken; some stay valid in ways the
// fast path must read exactly as the full reader does.
TEST(RequestFastPath, AgreesWithTheFullReaderOnMutatedRequests) {
    const std::vector<std::string> seeds = {
        R"({"country":"US","action":"new_numbers","number_type":"user"})",
        R"({"country":"pr","action":"port_in","number_type":"toll_free","numbers":["+18002345678","+12025550143"],"count":3,"pin":"123456","pin_is_set":true,"locale":"fr_CA"})",
        R"({"country":"US","action":"set_pin","pin":"73829","pin_is_set":false})",
        R"({"country":"US","action":"convert_to_service","pin":"482916","pin_is_set":true,"numbers":["+12025550143"]})",
        R"({"country":"US","action":"port_in","count":1200,"locale":"en-US"})",
        R"({"country":"US","action":"clear_pin","number_type":null,"numbers":[]})",
    };
    const std::string insertions[] = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0041", "\\n", " ", "\n", "0",
                                      "-", "1e2", ".5", "null", "true", "\"pin\":\"1\",", "\"x\":1,", "\x01",
                                      std::string(1, '\0'), "\x7f", "\xc3\xa9", "\xff", "\xe2\x82", "\xf0\x9f\x93\x9e"};
    std::mt19937 random(42);
    const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
    const Limits limits[] = {Limits{}, small_limits()};
    std::size_t accepted = 0;
    for (int round = 0; round < 40'000; ++round) {
        std::string text = seeds[pick(seeds.size())];
        for (std::size_t edits = 1 + pick(3); edits > 0; --edits) {
            const std::size_t at = pick(text.size() + 1);
            switch (pick(4)) {
                case 0:
                    if (at < text.size()) text.erase(at, 1 + pick(std::min<std::size_t>(4, text.size() - at)));
                    break;
                case 1: text.insert(at, insertions[pick(std::size(insertions))]); break;
                case 2: {
                    const std::size_t from = pick(text.size());
                    text.insert(at, text.substr(from, 1 + pick(12)));
                    break;
                }
                default:
                    if (at + 1 < text.size()) std::swap(text[at], text[at + 1]);
                    break;
            }
        }
        for (const Limits& limit : limits) {
            expect_agreement(text, limit);
            if (HasFatalFailure()) return;
        }
        if (parse_request(text).request) ++accepted;
    }
    EXPECT_GT(accepted, 1000u) << "the mutations should leave a good share of valid requests";
}

}  // namespace
}  // namespace telpolicy::test
