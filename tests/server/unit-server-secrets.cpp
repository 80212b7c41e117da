// No PIN reaches a response, the decision log or the metrics, whatever path the request takes.
#include <fstream>
#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace telpolicy::test {
namespace {

// Takes out what varies from run to run and is not the request's: random ids, times and counts,
// whose digits could spell a short PIN by chance.
std::string without_volatile_values(const std::string& text) {
    static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static const std::regex timestamp(R"("timestamp":"[^"]*")");
    static const std::regex timer(R"("timer_server_handler_ns":\d+)");
    static const std::regex sample_value(R"( [-+0-9.e]+\n)");  // a metric's value, at the end of its line
    std::string out = std::regex_replace(text, uuid, "<id>");
    out = std::regex_replace(out, timestamp, "<time>");
    out = std::regex_replace(out, timer, "<timer>");
    return std::regex_replace(out, sample_value, " <value>\n");
}

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ServerSecrets, NoPinInResponsesTheDecisionLogOrTheMetrics) {
    server::ServerOptions options = RunningServer::small_limits();
    RunningServer server(options);
    // Distinctive PINs, valid and not, through every endpoint that takes a request.
    const std::vector<std::string> pins{"48151623", "9081726354", "12ab9z77", "7z3", "4815162342424242"};
    std::vector<std::string> responses;
    for (const std::string& pin : pins) {
        for (const std::string action : {"set_pin", "port_out", "convert_to_service", "transfer_tenant", "clear_pin"}) {
            const std::string request = R"({"country":"US","action":")" + action + R"(","number_type":"user","numbers":["+12025550123"],"pin_is_set":true,"pin":")" + pin + "\"}";
            for (const auto& [target, body] : {std::pair{"/v1/decisions", request},
                                               std::pair{"/v1/decisions?explain=true", request},
                                               std::pair{"/v1/decisions/batch", "[" + request + "]"}}) {
                const HttpReply reply = http_request(server.port(), "POST", target, body);
                responses.push_back(reply.body);
                for (const auto& [name, value] : reply.headers) responses.push_back(name + ": " + value);
            }
        }
        // Unreadable requests that hold a PIN: broken JSON, a wrong type next to it, a broken batch.
        responses.push_back(http_request(server.port(), "POST", "/v1/decisions", R"({"pin":")" + pin + R"(","country":)").body);
        responses.push_back(
            http_request(server.port(), "POST", "/v1/decisions", R"({"country":"US","action":"set_pin","pin":)" + pin + "}").body);
        responses.push_back(http_request(server.port(), "POST", "/v1/decisions/batch", R"([{"pin":")" + pin + "\"}, ").body);
    }
    const std::string metrics = without_volatile_values(http_request(server.port(), "GET", "/metrics").body);
    std::vector<std::string> lines = server.log_lines();
    for (std::string& line : lines) line = without_volatile_values(line);
    for (std::string& response : responses) response = without_volatile_values(response);
    ASSERT_GE(lines.size(), pins.size() * 15);
    for (const std::string& pin : pins) {
        for (const std::string& response : responses) ASSERT_THAT(response, Not(HasSubstr(pin)));
        for (const std::string& line : lines) ASSERT_THAT(line, Not(HasSubstr(pin)));
        EXPECT_THAT(metrics, Not(HasSubstr(pin)));
    }
}

}  // namespace
}  // namespace telpolicy::test
