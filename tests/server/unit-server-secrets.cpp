// No PIN reaches a response, the decision log or the metrics, whatever path the request takes.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ServerSecrets, NoPinInResponsesTheDecisionLogOrTheMetrics) {
    server::ServerOptions options = RunningServer::small_limits();
    RunningServer server(options);
    // Distinctive PINs, valid and not, through every endpoint that takes a request.
    const std::vector<std::string> pins{"48151623", "9081726354", "12ab9z77", "1234", "4815162342424242"};
    std::vector<std::string> responses;
    for (const std::string& pin : pins) {
        for (const std::string action : {"set_pin", "port_out", "convert_to_service", "transfer_tenant", "clear_pin"}) {
            const std::string request = R"({"country":"US","action":")" + action + R"(","number_type":"user","numbers":["+12025550123"],"pin_is_set":true,"pin":")" + pin + "\"}";
            responses.push_back(http_request(server.port(), "POST", "/v1/decisions", request).body);
            responses.push_back(http_request(server.port(), "POST", "/v1/decisions?explain=true", request).body);
            responses.push_back(http_request(server.port(), "POST", "/v1/decisions/batch", "[" + request + "]").body);
        }
        // Unreadable requests that hold a PIN: broken JSON, a wrong type next to it, a broken batch.
        responses.push_back(http_request(server.port(), "POST", "/v1/decisions", R"({"pin":")" + pin + R"(","country":)").body);
        responses.push_back(
            http_request(server.port(), "POST", "/v1/decisions", R"({"country":"US","action":"set_pin","pin":)" + pin + "}").body);
        responses.push_back(http_request(server.port(), "POST", "/v1/decisions/batch", R"([{"pin":")" + pin + "\"}, ").body);
    }
    const std::string metrics = http_request(server.port(), "GET", "/metrics").body;
    const std::vector<std::string> lines = server.log_lines();
    ASSERT_GE(lines.size(), pins.size() * 15);
    for (const std::string& pin : pins) {
        for (const std::string& response : responses) ASSERT_THAT(response, Not(HasSubstr(pin)));
        for (const std::string& line : lines) ASSERT_THAT(line, Not(HasSubstr(pin)));
        EXPECT_THAT(metrics, Not(HasSubstr(pin)));
    }
}

}  // namespace
}  // namespace telpolicy::test
