// The transfer PIN is a credential: no PIN, nor any part of one, reaches a decision, an error
// message or a log line at any level, whatever path the request takes.
#include <gtest/gtest.h>

#include <new>
#include <sstream>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <telpolicy/explanation.hpp>

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

// The same secret down the paths of the limits: a PIN over its limit, too many numbers beside a
// PIN, a request over its size.
std::vector<std::string> requests_over_limits() {
    std::string long_pin;
    for (int i = 0; i < 7; ++i) long_pin += secret;
    return {
        R"({"country":"US","action":"set_pin","pin":")" + long_pin + "\"}",
        std::string(R"({"country":"US","action":"port_out","numbers":["+12025550143","+12025550144"],"pin":")") +
            secret + "\"}",
        std::string(R"({"country":"US","action":"port_out","locale":"en-US","pin_is_set":true,"pin":")") + secret +
            R"(","x":")" + std::string(300, 'x') + "\"}",
    };
}

Limits small_limits() {
    Limits limits;
    limits.max_pin_bytes = 20;
    limits.max_numbers = 1;
    limits.max_request_bytes = 200;
    return limits;
}

TEST(Secrets, NoLogLineAtAnyLevelHoldsIt) {
    std::ostringstream log_text;
    auto logger =
        std::make_shared<spdlog::logger>("secrets", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));
    logger->set_level(spdlog::level::trace);
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_TEST_PLUGIN_DIR};
    options.rules_dirs = {TELPOLICY_TEST_RULES_DIR};
    options.logger = logger;
    options.limits = small_limits();
    const Engine engine(options);
    std::vector<std::string> requests = requests_with_secret;
    for (const std::string& request : requests_over_limits()) requests.push_back(request);
    for (const std::string& request : requests) {
        expect_no_part_of_secret(to_json(engine.evaluate_json(request)), request);
        expect_no_part_of_secret(engine.evaluate_to_json(request, 2), request);
    }
    Request built;
    built.country = "us";
    built.action = "set_pin";
    built.pin.emplace(secret);
    expect_no_part_of_secret(to_json(engine.evaluate(built)), "a Request built in C++");
    ASSERT_FALSE(log_text.str().empty()) << "the trace log was expected to say something";
    expect_no_part_of_secret(log_text.str(), "the trace log");
}

TEST(Secrets, TheLimitPathsOfTheCommandDoNotShowIt) {
    const std::vector<std::string> limits = {"--max-pin-bytes", "20", "--max-numbers", "1", "--max-request-bytes", "200"};
    std::string batch;
    for (const std::string& request : requests_over_limits()) {
        std::vector<std::string> args = {"eval", "--log-level", "trace"};
        args.insert(args.end(), limits.begin(), limits.end());
        const CommandResult single = run_telpolicy(args, request);
        EXPECT_NE(single.out.find("request.invalid"), std::string::npos) << single.out;
        expect_no_part_of_secret(single.out, "eval stdout");
        expect_no_part_of_secret(single.err, "eval stderr");
        batch += request + "\n";
    }
    std::vector<std::string> args = {"eval", "--batch", "--log-level", "trace"};
    args.insert(args.end(), limits.begin(), limits.end());
    const CommandResult run = run_telpolicy(args, batch);
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 3);
    expect_no_part_of_secret(run.out, "batch stdout");
    expect_no_part_of_secret(run.err, "batch stderr");
}

TEST(Secrets, TheCommandsErrorExitsDoNotShowIt) {
    const std::string request = requests_with_secret.front();
    const std::vector<std::vector<std::string>> runs = {
        {"eval", "--plugins", "/nonexistent", "--log-level", "trace"},        // exit 3: nothing loaded
        {"eval", "--no-such-option"},                                         // exit 2: bad arguments
        {"eval", "--request", "/nonexistent/request.json", "--log-level", "trace"},  // exit 2: unreadable
        {"eval", "--batch", "--input", "/nonexistent/batch.jsonl"},
        {"plugins", "--log-level", "trace"},
    };
    for (const auto& args : runs) {
        const CommandResult run = run_telpolicy(args, request + "\n" + request);
        expect_no_part_of_secret(run.out, args[1] + " stdout");
        expect_no_part_of_secret(run.err, args[1] + " stderr");
    }
}

TEST(Secrets, ExplanationsDoNotHoldIt) {
    std::vector<std::string> requests = requests_with_secret;
    for (const std::string& request : requests_over_limits()) requests.push_back(request);
    int traced = 0;
    for (const std::string& request : requests) {
        const Explanation explanation = us_engine().explain_json(request);
        expect_no_part_of_secret(to_json(explanation, 2), request);
        expect_no_part_of_secret(to_text(explanation), request);
        traced += explanation.trace.empty() ? 0 : 1;
    }
    EXPECT_GE(traced, 5) << "most requests were expected to reach the US rules";
}

TEST(Secrets, TheExplainCommandDoesNotShowIt) {
    std::vector<std::string> requests = requests_with_secret;
    for (const std::string& request : requests_over_limits()) requests.push_back(request);
    for (const std::string& request : requests) {
        for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
                 {"explain", "--log-level", "trace"},
                 {"explain", "--json", "--log-level", "trace"},
                 {"eval", "--explain", "--log-level", "trace", "--max-pin-bytes", "20"}}) {
            const CommandResult run = run_telpolicy(args, request);
            expect_no_part_of_secret(run.out, args[0] + " stdout");
            expect_no_part_of_secret(run.err, args[0] + " stderr");
        }
    }
}

// Reads the bytes of a TransferPin's own storage after it is destroyed: a short PIN lives inside the
// object (the small-string buffer), so nothing of it may remain there.
TEST(Secrets, TransferPinClearsItsBytesWhenDestroyedOrReplaced) {
    alignas(TransferPin) unsigned char storage[sizeof(TransferPin)];
    const auto holds_secret = [&storage] {
        const std::string bytes(reinterpret_cast<const char*>(storage), sizeof storage);
        return bytes.find(std::string(secret).substr(0, 6)) != std::string::npos;
    };
    auto* pin = new (storage) TransferPin(std::string_view(secret, 10));
    ASSERT_TRUE(holds_secret()) << "the PIN was expected in the object's own buffer";
    *pin = TransferPin("1");
    EXPECT_FALSE(holds_secret()) << "replacing a PIN leaves the old one behind";
    *pin = TransferPin(std::string_view(secret, 10));
    pin->~TransferPin();
    EXPECT_FALSE(holds_secret()) << "a destroyed PIN leaves its bytes behind";
}

TEST(Secrets, TransferPinWipesItsBytesWhenMovedFrom) {
    TransferPin pin(secret);
    TransferPin moved(std::move(pin));
    EXPECT_EQ(moved.reveal(), secret);
    EXPECT_TRUE(pin.empty());  // NOLINT(bugprone-use-after-move): the point of the test
}

}  // namespace
}  // namespace telpolicy::test
