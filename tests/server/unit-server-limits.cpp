// The transport's limits: oversized, slow and broken clients get a clear status and never hold a
// worker.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string request_head = "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

TEST(ServerLimits, BodyOverTheLimitIs413) {
    RunningServer server;  // 16 KiB
    const std::string body = R"({"country":"US","action":"set_pin","pad":")" + std::string(20000, 'x') + "\"}";
    const std::string reply = raw_exchange(
        server.port(), {request_head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 413"));
    EXPECT_THAT(reply, HasSubstr("body_too_large"));
    EXPECT_THAT(reply, HasSubstr("Connection: close"));
}

TEST(ServerLimits, ChunkedBodyOverTheLimitIs413) {
    RunningServer server;
    const std::string chunk(10000, ' ');
    const std::string reply = raw_exchange(
        server.port(), {request_head + "Transfer-Encoding: chunked\r\n\r\n2710\r\n" + chunk + "\r\n2710\r\n" + chunk +
                            "\r\n0\r\n\r\n"});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 413"));
}

TEST(ServerLimits, HeaderOverTheLimitIs431) {
    RunningServer server;  // 2 KiB
    const std::string reply =
        raw_exchange(server.port(), {"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n"});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 431"));
    EXPECT_THAT(reply, HasSubstr("header_too_large"));
    EXPECT_THAT(http_request(server.port(), "GET", "/metrics").body,
                HasSubstr(R"(telpolicy_errors_total{code="header_too_large"} 1)"));
}

TEST(ServerLimits, ARequestThatArrivesTooSlowlyIs408) {
    RunningServer server;  // request timeout 400 ms
    const auto started = std::chrono::steady_clock::now();
    const std::string reply = raw_exchange(server.port(), {"POST /v1/decisions HTTP/1.1\r\nHost: x\r\n"});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 408"));
    EXPECT_THAT(reply, HasSubstr("request_timeout"));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));  // closed, not left hanging
}

TEST(ServerLimits, AnIdleConnectionIsClosedWithoutAWord) {
    RunningServer server;  // idle timeout 400 ms
    const std::string reply = raw_exchange(server.port(), {}, std::chrono::milliseconds(0), std::chrono::seconds(4));
    EXPECT_EQ(reply, "");
}

TEST(ServerLimits, SlowClientsDoNotHoldTheWorkers) {
    RunningServer server;  // two threads
    // More stalled connections than threads; a decision still gets through at once.
    std::vector<std::thread> stalled;
    for (int i = 0; i < 6; ++i) {
        stalled.emplace_back([&server] { raw_exchange(server.port(), {"POST /v1/decisions HTTP/1.1\r\n"}); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const HttpReply reply =
        http_request(server.port(), "POST", "/v1/decisions", R"({"country":"US","action":"set_pin"})");
    EXPECT_EQ(reply.status, 200u);
    for (std::thread& thread : stalled) thread.join();
}

TEST(ServerLimits, BytesThatAreNotHttpAre400) {
    RunningServer server;
    const std::string reply = raw_exchange(server.port(), {"\x16\x03\x01 hello, this is not HTTP\r\n\r\n"});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 400"));
    EXPECT_THAT(reply, HasSubstr("bad_request"));
}

TEST(ServerLimits, PipelinedRequestsAreAnsweredInOrder) {
    RunningServer server;
    const std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string two = "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const std::string reply = raw_exchange(server.port(), {one + two});
    const auto first = reply.find("HTTP/1.1 200");
    const auto second = reply.find("HTTP/1.1 404");
    ASSERT_NE(first, std::string::npos) << reply;
    ASSERT_NE(second, std::string::npos) << reply;
    EXPECT_LT(first, second);
}

TEST(ServerTransport, ExpectContinueGetsA100BeforeTheBody) {
    RunningServer server;
    const std::string body = R"({"country":"US","action":"set_pin"})";
    const std::string reply = raw_exchange(
        server.port(),
        {request_head + "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n\r\n",
         body},
        std::chrono::milliseconds(100));
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"));
    EXPECT_THAT(reply, HasSubstr("us.set-pin"));
}

TEST(ServerTransport, ExpectContinueWithABodyOverTheLimitIs413AtOnce) {
    RunningServer server;
    const std::string reply = raw_exchange(
        server.port(), {request_head + "Expect: 100-continue\r\nContent-Length: 999999\r\n\r\n"});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 413"));
}

}  // namespace
}  // namespace telpolicy::test
