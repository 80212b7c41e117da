// Every endpoint of the decision service, over a real socket: what it answers and with which status.
#include <fstream>
#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;

const std::string port_in_user = R"({"country":"US","action":"port_in","number_type":"user","locale":"en-US"})";

bool is_uuid(const std::string& text) {
    static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    return std::regex_match(text, uuid);
}

std::string error_code(const HttpReply& reply) { return nlohmann::json::parse(reply.body)["error"]["code"]; }

TEST(ServerDecisions, PostReturnsTheContractDecisionWithItsId) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions", port_in_user);
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.header("content-type"), "application/json");
    EXPECT_TRUE(is_uuid(reply.header("decision-id"))) << reply.header("decision-id");
    // The very bytes the engine gives, as the command line prints them.
    EXPECT_EQ(reply.body, server.engine().evaluate_to_json(port_in_user));
    EXPECT_TRUE(nlohmann::json::parse(reply.body)["allowed"].get<bool>());
}

TEST(ServerDecisions, EachDecisionHasItsOwnId) {
    RunningServer server;
    HttpConnection connection(server.port());
    const HttpReply first = connection.request("POST", "/v1/decisions", port_in_user);
    const HttpReply second = connection.request("POST", "/v1/decisions", port_in_user);
    EXPECT_NE(first.header("decision-id"), second.header("decision-id"));
}

TEST(ServerDecisions, ExplainReturnsTheDecisionAndTheTraceOfEveryRule) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions?explain=true", port_in_user);
    ASSERT_EQ(reply.status, 200u);
    const auto body = nlohmann::json::parse(reply.body);
    EXPECT_EQ(body["decision"], nlohmann::json::parse(server.engine().evaluate_to_json(port_in_user)));
    ASSERT_FALSE(body["trace"].empty());
    EXPECT_THAT(body["trace"][0]["location"].get<std::string>(), HasSubstr("us.yaml:"));
    EXPECT_TRUE(is_uuid(reply.header("decision-id")));
}

TEST(ServerDecisions, MalformedBodyIs400WithARequestInvalidDecision) {
    RunningServer server;
    for (const std::string& body : {std::string("{\"country\":"), std::string("[]"), std::string(""),
                                   std::string(R"({"country":"US","action":"fly"})")}) {
        const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions", body);
        EXPECT_EQ(reply.status, 400u) << body;
        const auto decision = nlohmann::json::parse(reply.body);
        EXPECT_FALSE(decision["allowed"].get<bool>());
        EXPECT_EQ(decision["violations"][0]["code"], "request.invalid") << body;
        EXPECT_TRUE(is_uuid(reply.header("decision-id")));
    }
}

TEST(ServerDecisions, ADeniedRequestIsStill200) {
    RunningServer server;
    const HttpReply reply =
        http_request(server.port(), "POST", "/v1/decisions", R"({"country":"US","action":"clear_pin","pin_is_set":true})");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(nlohmann::json::parse(reply.body)["violations"][0]["code"], "pin.cannot_clear");
}

TEST(ServerBatch, AnswersEveryRequestInOrderWithIds) {
    RunningServer server;
    const std::string batch = "[" + port_in_user + R"(,{"country":"BR","action":"port_in"}, 7])";
    const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions/batch", batch);
    ASSERT_EQ(reply.status, 200u);
    const auto decisions = nlohmann::json::parse(reply.body)["decisions"];
    ASSERT_EQ(decisions.size(), 3u);
    EXPECT_EQ(decisions[0]["decision"], nlohmann::json::parse(server.engine().evaluate_to_json(port_in_user)));
    EXPECT_EQ(decisions[1]["decision"]["violations"][0]["code"], "country.unsupported");
    EXPECT_EQ(decisions[2]["decision"]["violations"][0]["code"], "request.invalid");
    for (const auto& item : decisions) EXPECT_TRUE(is_uuid(item["id"].get<std::string>()));
    EXPECT_NE(decisions[0]["id"], decisions[1]["id"]);
}

TEST(ServerBatch, AnEmptyBatchHasNoDecisions) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions/batch", "[]");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(nlohmann::json::parse(reply.body), nlohmann::json::parse(R"({"decisions":[]})"));
}

TEST(ServerBatch, ABodyThatIsNotAnArrayIs400) {
    RunningServer server;
    for (const std::string& body : {port_in_user, std::string("[{\"country\":"), std::string("[] []"), std::string("")}) {
        const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions/batch", body);
        EXPECT_EQ(reply.status, 400u) << body;
        EXPECT_EQ(nlohmann::json::parse(reply.body)["violations"][0]["code"], "request.invalid") << body;
    }
}

TEST(ServerBatch, TooManyRequestsIs413) {
    RunningServer server;  // max_batch 50
    std::string batch = "[";
    for (int i = 0; i < 51; ++i) batch += (i > 0 ? "," : "") + std::string(R"({"country":"US","action":"set_pin"})");
    batch += "]";
    const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions/batch", batch);
    EXPECT_EQ(reply.status, 413u);
    EXPECT_EQ(error_code(reply), "batch_too_large");
    EXPECT_THAT(reply.body, HasSubstr("at most 50"));
}

TEST(ServerInfo, PluginsListsTheLoadedPlugins) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "GET", "/v1/plugins");
    ASSERT_EQ(reply.status, 200u);
    const auto report = nlohmann::json::parse(reply.body);
    ASSERT_EQ(report["loaded"].size(), 1u);
    EXPECT_EQ(report["loaded"][0]["name"], "us");
    EXPECT_EQ(report["loaded"][0]["countries"], nlohmann::json::parse(R"(["US","PR"])"));
    EXPECT_EQ(report["digest"], server.engine().load_report().digest);
}

TEST(ServerInfo, HealthAndReadiness) {
    RunningServer server;
    EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200u);
    const HttpReply ready = http_request(server.port(), "GET", "/readyz");
    EXPECT_EQ(ready.status, 200u);
    EXPECT_EQ(nlohmann::json::parse(ready.body)["digest"], server.engine().load_report().digest);
}

TEST(ServerInfo, NotReadyWhileNoRulesAreLoaded) {
    const auto empty = make_temp_dir("telpolicy-no-plugins");
    {
        RunningServer server(RunningServer::small_limits(), empty);
        const HttpReply reply = http_request(server.port(), "GET", "/readyz");
        EXPECT_EQ(reply.status, 503u);
        EXPECT_EQ(error_code(reply), "not_ready");
        EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200u);  // alive, just not ready
    }
    std::filesystem::remove_all(empty);
}

TEST(ServerInfo, MetricsInPrometheusTextFormat) {
    RunningServer server;
    http_request(server.port(), "POST", "/v1/decisions", port_in_user);
    http_request(server.port(), "POST", "/v1/decisions", R"({"country":"US","action":"clear_pin"})");
    http_request(server.port(), "POST", "/v1/decisions", "not json");
    http_request(server.port(), "GET", "/nowhere");
    const HttpReply reply = http_request(server.port(), "GET", "/metrics");
    ASSERT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_THAT(reply.body, HasSubstr(R"(telpolicy_decisions_total{country="US",outcome="allowed"} 1)"));
    EXPECT_THAT(reply.body, HasSubstr(R"(telpolicy_decisions_total{country="US",outcome="denied"} 1)"));
    EXPECT_THAT(reply.body, HasSubstr(R"(telpolicy_decisions_total{country="none",outcome="invalid"} 1)"));
    EXPECT_THAT(reply.body, HasSubstr("telpolicy_decision_duration_seconds_count 3"));
    EXPECT_THAT(reply.body, HasSubstr(R"(telpolicy_decision_duration_seconds_bucket{le="+Inf"} 3)"));
    EXPECT_THAT(reply.body, HasSubstr(R"(telpolicy_http_responses_total{code="400",endpoint="/v1/decisions"} 1)"));
    EXPECT_THAT(reply.body, HasSubstr(R"(telpolicy_http_responses_total{code="404",endpoint="other"} 1)"));
    EXPECT_THAT(reply.body, HasSubstr(R"(telpolicy_errors_total{code="request_invalid"} 1)"));
    EXPECT_THAT(reply.body, HasSubstr(R"(telpolicy_errors_total{code="not_found"} 1)"));
    EXPECT_THAT(reply.body, HasSubstr("telpolicy_rules_revision 1"));
    EXPECT_THAT(reply.body, HasSubstr("telpolicy_decision_log_dropped_total 0"));
}

TEST(ServerInfo, PlaygroundPageAtTheRoot) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "GET", "/");
    ASSERT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.header("content-type"), "text/html; charset=utf-8");
    EXPECT_THAT(reply.body, HasSubstr("<html"));
    EXPECT_THAT(reply.header("content-security-policy"), HasSubstr("connect-src 'self'"));
    EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
}

TEST(ServerInfo, HeadAnswersWithoutABody) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "HEAD", "/healthz");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_TRUE(reply.body.empty());
    EXPECT_EQ(reply.header("content-length"), std::to_string(std::string(R"({"status":"ok"})").size()));
}

TEST(ServerRouting, UnknownPathIs404) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "GET", "/v2/decisions");
    EXPECT_EQ(reply.status, 404u);
    EXPECT_EQ(error_code(reply), "not_found");
    EXPECT_THAT(reply.body, HasSubstr("/v1/decisions"));
}

TEST(ServerRouting, WrongMethodIs405WithAllow) {
    RunningServer server;
    const HttpReply get = http_request(server.port(), "GET", "/v1/decisions");
    EXPECT_EQ(get.status, 405u);
    EXPECT_EQ(get.header("allow"), "POST");
    const HttpReply post = http_request(server.port(), "POST", "/metrics", "{}");
    EXPECT_EQ(post.status, 405u);
    EXPECT_EQ(post.header("allow"), "GET, HEAD");
    EXPECT_EQ(error_code(post), "method_not_allowed");
}

TEST(ServerRouting, ABodyThatSaysItIsNotJsonIs415) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions", port_in_user,
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(reply.status, 415u);
    EXPECT_EQ(error_code(reply), "unsupported_media_type");
    // Unlabelled, or JSON with parameters in any case, is fine.
    EXPECT_EQ(http_request(server.port(), "POST", "/v1/decisions", port_in_user, {}).status, 200u);
    EXPECT_EQ(http_request(server.port(), "POST", "/v1/decisions", port_in_user,
                           {{"Content-Type", "Application/JSON; charset=utf-8"}})
                  .status,
              200u);
}

TEST(ServerRouting, KeepAliveServesManyRequestsOnOneConnection) {
    RunningServer server;
    HttpConnection connection(server.port());
    for (int i = 0; i < 20; ++i) {
        const HttpReply reply = connection.request("POST", "/v1/decisions", port_in_user);
        ASSERT_EQ(reply.status, 200u);
        EXPECT_TRUE(reply.keep_alive);
    }
    EXPECT_FALSE(connection.request("GET", "/healthz", "", {{"Connection", "close"}}).keep_alive);
}

}  // namespace
}  // namespace telpolicy::test
