// The decision writer (core/src/decision_json.cpp) against the nlohmann::ordered_json dump it
// replaced: byte for byte the same text, compact and pretty, on real decisions and on random ones whose
// strings hold quotes, backslashes, control characters, valid UTF-8 of every length and invalid UTF-8.
#include <gtest/gtest.h>

#include <random>


#include "legacy_decision_json.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

constexpr int indents[] = {-1, 0, 1, 2, 4};

void expect_same(const Decision& decision, const std::string& what) {
    for (const int indent : indents) {
        const std::string expected = reference::legacy_to_json(decision, indent);
        ASSERT_EQ(to_json(decision, indent), expected) << what << ", indent " << indent;
        std::string appended = "prefix\n";
        to_json(decision, appended, indent);
        ASSERT_EQ(appended, "prefix\n" + expected) << what << ", indent " << indent << ", appending";
    }
}

// Random bytes biased towards what escaping and UTF-8 repair must get right.
class StringMaker {
public:
    explicit StringMaker(std::uint32_t seed) : random_(seed) {}

    std::string make() {
        std::string text;
        const std::size_t pieces = pick(0, 12);
        for (std::size_t i = 0; i < pieces; ++i) append_piece(text);
        return text;
    }

private:
    std::size_t pick(std::size_t low, std::size_t high) {
        return std::uniform_int_distribution<std::size_t>(low, high)(random_);
    }
    char byte(unsigned low, unsigned high) { return static_cast<char>(pick(low, high)); }

    void append_piece(std::string& text) {
        switch (pick(0, 11)) {
            case 0: text += "plain ascii text that is long enough for the vector loop"; break;
            case 1: text += byte(0x00, 0x1f); break;                     // control characters
            case 2: text += "\"\\/"; break;                              // quote, backslash, solidus
            case 3: text += byte(0x7f, 0x7f); break;                     // DEL is copied as it is
            case 4: text += "\xc3\xa9"; break;                           // é
            case 5: text += "\xe2\x82\xac"; break;                       // €
            case 6: text += "\xf0\x9f\x93\x9e"; break;                   // 📞
            case 7: text += byte(0x80, 0xff); break;                     // any high byte, alone
            case 8: {                                                    // a sequence cut short
                const std::string whole = pick(0, 1) ? "\xf0\x9f\x93\x9e" : "\xe2\x82\xac";
                text += whole.substr(0, pick(1, whole.size() - 1));
                break;
            }
            case 9: {  // overlong forms, surrogates, beyond U+10FFFF
                static const char* const bad[] = {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                                  "\xf8\x88\x80\x80\x80", "\xc1\xbf", "\xef\xbf\xbf"};
                text += bad[pick(0, std::size(bad) - 1)];
                break;
            }
            case 10: {  // a random run of bytes
                const std::size_t length = pick(1, 40);
                for (std::size_t k = 0; k < length; ++k) text += byte(0x00, 0xff);
                break;
            }
            default: {  // printable ASCII, long or short
                const std::size_t length = pick(1, 70);
                for (std::size_t k = 0; k < length; ++k) text += byte(0x20, 0x7e);
                break;
            }
        }
    }

    std::mt19937 random_;
};

TEST(DecisionWriter, EmptyDecisionIsTheSame) { expect_same(Decision{}, "empty decision"); }

TEST(DecisionWriter, EngineDecisionsAreTheSame) {
    const char* const requests[] = {
        R"({"country":"US","action":"new_numbers"})",
        R"({"country":"PR","action":"port_in"})",
        R"({"country":"US","action":"port_in","number_type":"user","count":1200})",
        R"({"country":"US","action":"convert_to_service","pin":"482916","pin_is_set":true,"numbers":["+12025550143"]})",
        R"({"country":"US","action":"transfer_tenant","pin":"482916","numbers":["+12025550143","+12025550143","+442071838750","12"]})",
        R"({"country":"US","action":"port_out","pin_is_set":false})",
        R"({"country":"US","action":"set_pin","pin":"73829"})",
        R"({"country":"US","action":"clear_pin","pin_is_set":true})",
        R"({"country":"BR","action":"port_in"})",
        R"({"country":"US","action":"port_in","number_type":"toll_free","numbers":["+18002345678"],"locale":"fr-CA"})",
        "not json",
        R"({"country":"US","action":"teleport \u0001\u00e9"})",
    };
    for (const char* request : requests) expect_same(us_engine().evaluate_json(request), request);
}

TEST(DecisionWriter, RandomDecisionsAreTheSame) {
    StringMaker strings(20261128);
    std::mt19937 random(7);
    const auto maybe = [&] { return std::uniform_int_distribution<int>(0, 1)(random) == 1; };
    const auto count = [&] { return std::uniform_int_distribution<std::size_t>(0, 3)(random); };
    for (int round = 0; round < 3000; ++round) {
        Decision decision;
        if (maybe()) decision.country = strings.make();
        if (maybe()) decision.action = strings.make();
        if (maybe()) decision.plugin = PluginIdentity{strings.make(), strings.make()};
        for (std::size_t i = count(); i > 0; --i) {
            decision.forms.push_back({strings.make(), strings.make(), strings.make(), strings.make(), strings.make()});
        }
        if (maybe()) decision.mailbox = strings.make();
        for (std::size_t i = count(); i > 0; --i) {
            Contact contact{static_cast<ContactKind>(count()), strings.make(), std::nullopt, std::nullopt};
            if (maybe()) contact.address = strings.make();
            if (maybe()) contact.url = strings.make();
            decision.contacts.push_back(std::move(contact));
        }
        for (std::size_t i = count(); i > 0; --i) decision.requirements.push_back(strings.make());
        for (std::size_t i = count(); i > 0; --i) {
            decision.violations.push_back({strings.make(), strings.make(), strings.make()});
        }
        for (std::size_t i = count(); i > 0; --i) decision.notes.push_back(strings.make());
        for (std::size_t i = count(); i > 0; --i) decision.matched_rules.push_back(strings.make());
        expect_same(decision, "random decision " + std::to_string(round));
    }
}

// Every string of one or two bytes, and every three-byte string from a set that covers each UTF-8
// byte class: the repair of invalid UTF-8 is where two writers would most easily differ.
TEST(DecisionWriter, EveryShortByteStringIsTheSame) {
    Decision decision;
    decision.notes.resize(1);
    std::string& text = decision.notes[0];
    for (unsigned a = 0; a < 256; ++a) {
        text.assign(1, static_cast<char>(a));
        ASSERT_EQ(to_json(decision), reference::legacy_to_json(decision, -1)) << "byte " << a;
        for (unsigned b = 0; b < 256; ++b) {
            text.assign({static_cast<char>(a), static_cast<char>(b)});
            ASSERT_EQ(to_json(decision), reference::legacy_to_json(decision, -1)) << "bytes " << a << " " << b;
        }
    }
    const unsigned classes[] = {0x00, 0x0a, 0x22, 0x41, 0x5c, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2,
                                0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff};
    for (unsigned a : classes) {
        for (unsigned b : classes) {
            for (unsigned c : classes) {
                for (unsigned d : classes) {
                    text.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c), static_cast<char>(d)});
                    ASSERT_EQ(to_json(decision), reference::legacy_to_json(decision, -1))
                        << "bytes " << a << " " << b << " " << c << " " << d;
                }
            }
        }
    }
}

}  // namespace
}  // namespace telpolicy::test
