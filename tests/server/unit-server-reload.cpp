// POST /v1/reload: only with the admin token; a broken rules file is refused and the old rules stay.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;

server::ServerOptions with_token() {
    server::ServerOptions options = RunningServer::small_limits();
    options.admin_token = "s3cret-admin-token";
    return options;
}

const std::map<std::string, std::string> admin{{"Authorization", "Bearer s3cret-admin-token"}};

std::string error_code(const HttpReply& reply) { return nlohmann::json::parse(reply.body)["error"]["code"]; }

TEST(ServerReload, WithoutATokenConfiguredAdminEndpointsAre403) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "POST", "/v1/reload", "", admin);
    EXPECT_EQ(reply.status, 403u);
    EXPECT_EQ(error_code(reply), "admin_disabled");
    EXPECT_EQ(server.engine().revision(), 1u);
}

TEST(ServerReload, MissingOrWrongTokenIs401) {
    RunningServer server(with_token());
    const HttpReply missing = http_request(server.port(), "POST", "/v1/reload", "", {});
    EXPECT_EQ(missing.status, 401u);
    EXPECT_THAT(missing.header("www-authenticate"), HasSubstr("Bearer"));
    for (const char* wrong : {"Bearer s3cret-admin-tokeN", "Bearer s3cret", "Basic s3cret-admin-token",
                                    "Bearer s3cret-admin-token-and-more", "Bearer "}) {
        // A server of its own for each: five failures in a row lock admin endpoints (unit-admin-guard.cpp).
        RunningServer fresh(with_token());
        const HttpReply reply = http_request(fresh.port(), "POST", "/v1/reload", "", {{"Authorization", wrong}});
        EXPECT_EQ(reply.status, 401u) << wrong;
        EXPECT_EQ(error_code(reply), "unauthorized");
        EXPECT_THAT(reply.body, ::testing::Not(HasSubstr("s3cret-admin-token")));
    }
    EXPECT_EQ(server.engine().revision(), 1u);
}

TEST(ServerReload, AppliesGoodRulesAndRefusesBrokenOnesKeepingTheOld) {
    RunningServer server(with_token());
    const HttpReply applied = http_request(server.port(), "POST", "/v1/reload", "", admin);
    ASSERT_EQ(applied.status, 200u) << applied.body;
    const auto good = nlohmann::json::parse(applied.body);
    EXPECT_TRUE(good["applied"].get<bool>());
    EXPECT_EQ(good["revision"], 2);
    EXPECT_EQ(good["digest"], server.engine().load_report().digest);

    std::ofstream(server.rules_file(), std::ios::app) << "\n  - this is: [not, a rule\n";
    const HttpReply refused = http_request(server.port(), "POST", "/v1/reload", "", admin);
    EXPECT_EQ(refused.status, 422u);
    const auto bad = nlohmann::json::parse(refused.body);
    EXPECT_FALSE(bad["applied"].get<bool>());
    EXPECT_EQ(bad["revision"], 2);
    ASSERT_FALSE(bad["errors"].empty());
    EXPECT_THAT(bad["errors"][0].get<std::string>(), HasSubstr("us.yaml:"));  // file:line:column

    // Still deciding with revision 2.
    const HttpReply decision =
        http_request(server.port(), "POST", "/v1/decisions", R"({"country":"US","action":"port_in","number_type":"user"})");
    EXPECT_EQ(decision.status, 200u);
    EXPECT_TRUE(nlohmann::json::parse(decision.body)["allowed"].get<bool>());

    const std::string metrics = http_request(server.port(), "GET", "/metrics").body;
    EXPECT_THAT(metrics, HasSubstr(R"(telpolicy_reloads_total{result="applied"} 1)"));
    EXPECT_THAT(metrics, HasSubstr(R"(telpolicy_reloads_total{result="failed"} 1)"));
    EXPECT_THAT(metrics, HasSubstr("telpolicy_rules_revision 2"));
}

}  // namespace
}  // namespace telpolicy::test
