// The playground's rules editor over real sockets: off unless --playground-rules; the served rules
// to start from; an edited text's diagnostics, diagram, decision and policy tests, each from a try in
// the sandbox; a try over its bounds refused while the server answers; the served rules untouched.
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "rules_sandbox.hpp"
#include "server_fixture.hpp"

namespace telpolicy::test {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

server::ServerOptions playground_on() {
    server::ServerOptions options = RunningServer::small_limits();
    options.playground_rules = true;
    options.max_body_bytes = 256 * 1024;  // a whole rules file, JSON-escaped
    options.request_timeout = std::chrono::seconds(5);
    options.idle_timeout = std::chrono::seconds(5);
    return options;
}

std::string file_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// The line (1-based) where `what` first appears in `text`.
int line_of(const std::string& text, const std::string& what) {
    const std::size_t at = text.find(what);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

HttpReply try_rules(const RunningServer& server, const std::string& what, const std::string& rules,
                    const json& request = nullptr) {
    json body{{"plugin", "us"}, {"rules", rules}};
    if (!request.is_null()) body["request"] = request;
    return http_request(server.port(), "POST", "/v1/playground/" + what, body.dump());
}

const json toll_free_port_in{{"country", "US"}, {"action", "port_in"}, {"number_type", "toll_free"},
                             {"numbers", {"+18002345678"}}};

TEST(PlaygroundRules, AreOffByDefaultEveryEndpointSays403AndHowToTurnThemOn) {
    RunningServer server;
    const std::string rules = file_text(server.rules_file());
    for (const HttpReply& reply : {http_request(server.port(), "GET", "/v1/playground/rules/us"),
                                   try_rules(server, "check", rules), try_rules(server, "decide", rules, toll_free_port_in),
                                   try_rules(server, "test", rules)}) {
        EXPECT_EQ(reply.status, 403u) << reply.body;
        const json error = json::parse(reply.body)["error"];
        EXPECT_EQ(error["code"], "playground_rules_off");
        EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("--playground-rules"));
    }
}

TEST(PlaygroundRules, GiveTheServedRulesFileToStartFrom) {
    RunningServer server(playground_on());
    const HttpReply reply = http_request(server.port(), "GET", "/v1/playground/rules/us");
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const json served = json::parse(reply.body);
    EXPECT_EQ(served["plugin"], "us");
    EXPECT_EQ(served["file"], server.rules_file().string());
    EXPECT_EQ(served["rules"], file_text(server.rules_file()));
    EXPECT_EQ(served["tests_file"], (server.rules_file().parent_path() / "us.tests.yaml").string());
    EXPECT_EQ(http_request(server.port(), "GET", "/v1/playground/rules/xx").status, 404u);
    EXPECT_EQ(http_request(server.port(), "POST", "/v1/playground/rules/us").status, 405u);
}

TEST(PlaygroundRules, ABrokenTextGetsValidateDiagnosticsWithTheirPositions) {
    RunningServer server(playground_on());
    const std::string original = file_text(server.rules_file());
    const std::string broken = replaced(original, "number_type: [user, unspecified]", "number_typo: [user, unspecified]");
    const HttpReply reply = try_rules(server, "check", broken);
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const json checked = json::parse(reply.body);
    EXPECT_FALSE(checked["loaded"].get<bool>());
    EXPECT_FALSE(checked.contains("diagram"));
    ASSERT_EQ(checked["diagnostics"].size(), 1u) << reply.body;
    const json& diagnostic = checked["diagnostics"][0];
    EXPECT_EQ(diagnostic["file"], server.rules_file().string());
    EXPECT_EQ(diagnostic["line"], line_of(broken, "number_typo"));
    EXPECT_EQ(diagnostic["column"], 7);
    EXPECT_EQ(diagnostic["severity"], "error");
    EXPECT_THAT(diagnostic["message"].get<std::string>(), HasSubstr("did you mean 'number_type'?"));

    // A YAML mistake is placed where it starts, as validate places it.
    const HttpReply unclosed = try_rules(server, "check", replaced(original, "title: \"Letter", "title: \"Letter'"
                                                                                                 "\n  oops: ["));
    ASSERT_EQ(unclosed.status, 200u);
    const json yaml = json::parse(unclosed.body);
    ASSERT_FALSE(yaml["diagnostics"].empty());
    EXPECT_GT(yaml["diagnostics"][0]["line"].get<int>(), 0);
}

TEST(PlaygroundRules, AValidTextIsDrawnAsAPicture) {
    RunningServer server(playground_on());
    const HttpReply reply = try_rules(server, "check", file_text(server.rules_file()));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const json checked = json::parse(reply.body);
    EXPECT_TRUE(checked["loaded"].get<bool>());
    EXPECT_EQ(checked["errors"], 0);
    EXPECT_THAT(checked["diagram"].get<std::string>(), StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_THAT(checked["diagram"].get<std::string>(), HasSubstr("us.port-in.toll-free"));
}

TEST(PlaygroundRules, AFixedTextDecidesWithItsTraceAndTheServedRulesStayAsTheyWere) {
    RunningServer server(playground_on());
    const std::string original = file_text(server.rules_file());
    const std::string digest_before = server.engine().load_report().loaded.at(0).rules_digest;
    const std::string edited = replaced(original, "address: ptn@microsoft.com", "address: porting-desk@example.com");

    const HttpReply broken = try_rules(server, "decide", replaced(edited, "number_type: [user, unspecified]", "number_typo: x"),
                                       toll_free_port_in);
    ASSERT_EQ(broken.status, 200u) << broken.body;
    EXPECT_FALSE(json::parse(broken.body)["loaded"].get<bool>());
    EXPECT_FALSE(json::parse(broken.body).contains("explanation"));

    const HttpReply fixed = try_rules(server, "decide", edited, toll_free_port_in);
    ASSERT_EQ(fixed.status, 200u) << fixed.body;
    const json tried = json::parse(fixed.body);
    EXPECT_TRUE(tried["loaded"].get<bool>());
    const json& decision = tried["explanation"]["decision"];
    EXPECT_TRUE(decision["allowed"].get<bool>());
    EXPECT_EQ(decision["mailbox"], "porting-desk@example.com");
    ASSERT_FALSE(tried["explanation"]["trace"].empty());
    bool matched = false;
    for (const json& step : tried["explanation"]["trace"]) {
        if (step["rule"] == "us.port-in.toll-free") {
            matched = step["outcome"] == "matched";
            EXPECT_THAT(step["location"].get<std::string>(), HasSubstr("us.yaml:"));
        }
    }
    EXPECT_TRUE(matched);

    // The service decides with the served rules still, and nothing was written to them.
    const HttpReply served = http_request(server.port(), "POST", "/v1/decisions", toll_free_port_in.dump());
    EXPECT_EQ(json::parse(served.body)["mailbox"], "ptn@microsoft.com");
    EXPECT_EQ(server.engine().revision(), 1u);
    EXPECT_EQ(server.engine().load_report().loaded.at(0).rules_digest, digest_before);
    EXPECT_EQ(file_text(server.rules_file()), original);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(server.rules_file().parent_path())) ++files;
    EXPECT_EQ(files, 2u);  // us.yaml and us.tests.yaml, nothing more
}

TEST(PlaygroundRules, RunThePolicyTestsBesideTheRulesOnTheEditedText) {
    RunningServer server(playground_on());
    const std::string original = file_text(server.rules_file());
    const HttpReply passing = try_rules(server, "test", original);
    ASSERT_EQ(passing.status, 200u) << passing.body;
    const json run = json::parse(passing.body)["tests"];
    EXPECT_GT(run["passed"].get<int>(), 10);
    EXPECT_EQ(run["failed"], 0);
    EXPECT_TRUE(run["problems"].empty());

    const HttpReply failing =
        try_rules(server, "test", replaced(original, "address: ptn@microsoft.com", "address: porting-desk@example.com"));
    ASSERT_EQ(failing.status, 200u) << failing.body;
    const json failed = json::parse(failing.body)["tests"];
    EXPECT_GT(failed["failed"].get<int>(), 0);
    bool explained = false;
    for (const json& result : failed["results"]) {
        if (result["passed"].get<bool>()) continue;
        EXPECT_THAT(result["label"].get<std::string>(), HasSubstr("us.tests.yaml:"));
        for (const json& difference : result["differences"]) {
            explained = explained || difference.get<std::string>().find("porting-desk@example.com") != std::string::npos;
        }
    }
    EXPECT_TRUE(explained) << failing.body;
}

TEST(PlaygroundRules, ATryIsHeldToTheRulesFilesLimitsAndAsksForJson) {
    RunningServer server(playground_on());
    EXPECT_EQ(http_request(server.port(), "POST", "/v1/playground/check", "not json").status, 400u);
    EXPECT_EQ(http_request(server.port(), "POST", "/v1/playground/check", R"({"plugin": "us"})").status, 400u);
    EXPECT_EQ(http_request(server.port(), "POST", "/v1/playground/check", R"({"plugin": "xx", "rules": ""})").status, 404u);
    const HttpReply deep = http_request(server.port(), "POST", "/v1/playground/decide",
                                        R"({"plugin": "us", "rules": "", "request": )" + std::string(200, '[') +
                                            std::string(200, ']') + "}");
    EXPECT_EQ(deep.status, 400u) << deep.body;
}

// A command that never answers stands for rules that take too long: the bound is the sandbox's.
TEST(PlaygroundRules, ATryOverItsTimeBoundIsRefusedWhileTheServerGoesOnAnswering) {
    server::ServerOptions options = playground_on();
    options.playground_try_timeout = std::chrono::milliseconds(1500);
    RunningServer server(options, TELPOLICY_TEST_PLUGIN_DIR, {"/bin/sh", "-c", "sleep 30"});
    const auto started = std::chrono::steady_clock::now();
    auto slow = std::async(std::launch::async, [&] { return try_rules(server, "check", "plugin: us\n"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto asked = std::chrono::steady_clock::now();
    EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200u);
    EXPECT_EQ(http_request(server.port(), "POST", "/v1/decisions", toll_free_port_in.dump()).status, 200u);
    EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::milliseconds(1000));
    const HttpReply refused = slow.get();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
    EXPECT_EQ(refused.status, 422u) << refused.body;
    const json error = json::parse(refused.body)["error"];
    EXPECT_EQ(error["code"], "try_over_time");
    EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("longer than its bound of 1500 ms"));
    EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200u);
}

TEST(PlaygroundRules, ATrySpinningOnTheCpuIsStopped) {
    server::ServerOptions options = playground_on();
    options.playground_try_timeout = std::chrono::seconds(1);
    RunningServer server(options, TELPOLICY_TEST_PLUGIN_DIR, {"/bin/sh", "-c", "while :; do :; done"});
    const HttpReply refused = try_rules(server, "check", "plugin: us\n");
    EXPECT_EQ(refused.status, 422u) << refused.body;
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "try_over_time");
    EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200u);
}

// Under a sanitizer the address space is not bounded (the sanitizers reserve terabytes of it).
constexpr bool address_space_bounded() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return false;
#elif defined(__has_feature)
    return !(__has_feature(address_sanitizer) || __has_feature(thread_sanitizer));
#else
    return true;
#endif
}

TEST(PlaygroundRules, ATryOverItsMemoryBoundIsRefused) {
    if (!address_space_bounded()) GTEST_SKIP() << "no address-space bound under a sanitizer";
    server::ServerOptions options = playground_on();
    options.max_body_bytes = 4 << 20;
    options.playground_try_memory = std::size_t{64} << 20;  // the shipped rules are tried within it
    RunningServer server(options);
    ASSERT_EQ(try_rules(server, "check", file_text(server.rules_file())).status, 200u);
    // A long list, within the rules file's limits, that YAML's nodes make many times larger.
    std::string rules = "plugin: us\ncountries: [US, PR]\nsources:\n";
    for (int i = 0; rules.size() < (std::size_t{3} << 19); ++i) rules += "  - x" + std::to_string(i) + "\n";
    const HttpReply refused = try_rules(server, "check", rules);
    EXPECT_EQ(refused.status, 422u) << refused.body;
    const json error = json::parse(refused.body)["error"];
    EXPECT_EQ(error["code"], "try_over_memory");
    EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("more memory than its bound of 64 MiB"));
    EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200u);
}

TEST(RulesSandbox, SetsItsCpuAndMemoryBoundsOnTheChild) {
    const server::RulesSandbox sandbox({"/bin/sh", "-c", "ulimit -t; ulimit -v; cat"},
                                       {std::chrono::milliseconds(2500), std::size_t{512} << 20});
    const server::SandboxResult result = sandbox.run("the input, back");
    ASSERT_EQ(result.outcome, server::SandboxResult::Outcome::finished) << result.message;
    EXPECT_EQ(result.exit_code, 0);
    std::istringstream lines(result.output);
    std::string cpu;
    std::string memory;
    std::string echoed;
    std::getline(lines, cpu);
    std::getline(lines, memory);
    std::getline(lines, echoed);
    EXPECT_EQ(cpu, "3");  // seconds, rounded up
    if (address_space_bounded()) {
        EXPECT_EQ(memory, std::to_string(512 * 1024));  // KiB
    }
    EXPECT_EQ(echoed, "the input, back");
}

TEST(RulesSandbox, ACommandThatCannotRunIsAFailureNotACrash) {
    const server::RulesSandbox sandbox({"/nonexistent/telpolicy"}, {});
    const server::SandboxResult result = sandbox.run("{}");
    EXPECT_EQ(result.outcome, server::SandboxResult::Outcome::finished);
    EXPECT_EQ(result.exit_code, 127);
    EXPECT_THAT(result.message, HasSubstr("could not run its command"));
}

}  // namespace
}  // namespace telpolicy::test
