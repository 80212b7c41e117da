// The transfer PIN is a credential: no PIN, nor any part of one, reaches a decision, an error
// message or a log line at any level, whatever path the request takes.
#include <gtest/gtest.h>

#include "run_command.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

constexpr const char* secret = "9081726354";

// Every run of four or more characters of the secret: "part of one" in the contract's words.
void expect_no_part_of_secret(const std::string& text, const std::string& context) {
    const std::string pin(secret);
    for (std::size_t length = 4; length <= pin.size(); ++length) {
        for (std::size_t start = 0; start + length <= pin.size(); ++start) {
            ASSERT_EQ(text.find(pin.substr(start, length)), std::string::npos)
                << context << " leaks '" << pin.substr(start, length) << "': " << text;
        }
    }
}

// Requests that carry the secret down every path: valid, invalid PIN, wrong field types, syntax
// errors next to it, unknown country, batch.
const std::vector<std::string> requests_with_secret = {
    std::string(R"({"country":"US","action":"set_pin","pin":")") + secret + "\"}",
    std::string(R"({"country":"US","action":"set_pin","pin":")") + secret + "1\"}",
    std::string(R"({"country":"US","action":"set_pin","pin":"x)") + secret + "\"}",
    std::string(R"({"country":"US","action":"port_out","pin":")") + secret + "\"}",
    std::string(R"({"country":"US","action":"transfer_tenant","pin":")") + secret + "\"}",
    std::string(R"({"country":"US","action":"convert_to_service","pin":")") + secret + R"(","pin_is_set":true})",
    std::string(R"({"country":"US","action":"set_pin","pin":)") + secret + "}",
    std::string(R"({"country":"US","action":"set_pin","pin":[")") + secret + "\"]}",
    std::string(R"({"country":"US","action":"set_pin","pin":")") + secret + "\" garbage}",
    std::string(R"({"country":"US","action":"set_pin","pin":")") + secret,
    std::string(R"({"country":"US","action":"set_pin","pin":")") + secret + "\u0001\"}",
    std::string(R"({"country":"ZZ","action":"set_pin","pin":")") + secret + "\"}",
    std::string(R"({"country":"US","action":"nope","pin":")") + secret + "\"}",
    std::string(R"({"country":"US","action":"set_pin","number_type":"x","pin":")") + secret + "\"}",
    std::string(R"([")") + secret + "\"]",
};

TEST(Secrets, NoDecisionHoldsAnyPartOfThePin) {
    for (const std::string& request : requests_with_secret) {
        expect_no_part_of_secret(to_json(us_engine().evaluate_json(request)), request);
    }
}

TEST(Secrets, NeitherOutputNorTraceLogsOfTheCommandHoldIt) {
    std::string batch;
    for (const std::string& request : requests_with_secret) {
        const CommandResult single = run_telpolicy({"eval", "--log-level", "trace"}, request);
        expect_no_part_of_secret(single.out, "eval stdout");
        expect_no_part_of_secret(single.err, "eval stderr");
        batch += request + "\n";
    }
    const CommandResult run = run_telpolicy({"eval", "--batch"}, batch, {{"TELPOLICY_LOG_LEVEL", "trace"}});
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), static_cast<long>(requests_with_secret.size()));
    expect_no_part_of_secret(run.out, "batch stdout");
    expect_no_part_of_secret(run.err, "batch stderr");
}

TEST(Secrets, TransferPinWipesItsBytesWhenMovedFrom) {
    TransferPin pin(secret);
    TransferPin moved(std::move(pin));
    EXPECT_EQ(moved.reveal(), secret);
    EXPECT_TRUE(pin.empty());  // NOLINT(bugprone-use-after-move): the point of the test
}

}  // namespace
}  // namespace telpolicy::test
