// Request smuggling and framing over real sockets: a header that two HTTP readers could frame
// differently is refused with 400 and the connection closed, so that nothing after it runs as a
// request of its own (RFC 9112, section 6.3); Host must be given once; a body in an encoding
// telpolicy does not decode is refused rather than read as JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iterator>
#include <regex>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string body = R"({"country":"US","action":"port_in"})";
// What an attacker hides after the body: a request a front end never saw.
const std::string smuggled = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";

// Status lines ("HTTP/1.1 400 "), not every "HTTP/1.1" a message may quote.
std::size_t responses_in(const std::string& reply) {
    static const std::regex status_line("HTTP/1\\.1 [1-5][0-9][0-9] ");
    return static_cast<std::size_t>(
        std::distance(std::sregex_iterator(reply.begin(), reply.end(), status_line), std::sregex_iterator()));
}

std::string post_with(const std::string& framing_headers, const std::string& payload) {
    return "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + framing_headers + "\r\n" +
           payload;
}

// TE.CL: a Transfer-Encoding that does not end with chunked, then a Content-Length. Before, the body
// was framed by the length and the smuggled request ran as a second one (a 404 came back). Beast
// itself refuses a Transfer-Encoding given after a Content-Length; both orders are tried.
TEST(ServerSmuggling, TransferEncodingNotEndingInChunkedWithAContentLengthIs400AndNothingMoreRuns) {
    RunningServer server;
    for (const std::string coding : {"chunked, identity", "xchunked", "chunked , identity", "identity"}) {
        const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
        const std::string encoding = "Transfer-Encoding: " + coding + "\r\n";
        for (const std::string& headers : {encoding + length, length + encoding}) {
            const std::string reply = raw_exchange(server.port(), {post_with(headers, body + smuggled)});
            EXPECT_THAT(reply, StartsWith("HTTP/1.1 400")) << headers;
            EXPECT_THAT(reply, HasSubstr("Transfer-Encoding")) << headers;
            EXPECT_EQ(responses_in(reply), 1u) << headers << "the smuggled request ran:\n" << reply;
        }
    }
}

TEST(ServerSmuggling, TransferEncodingAndContentLengthTogetherAre400) {
    RunningServer server;
    const std::string chunked = "23\r\n" + body + "\r\n0\r\n\r\n";
    const std::string reply = raw_exchange(
        server.port(), {post_with("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", chunked + smuggled)});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 400"));
    EXPECT_THAT(reply, HasSubstr("Transfer-Encoding"));
    EXPECT_THAT(reply, HasSubstr("Content-Length"));
    EXPECT_EQ(responses_in(reply), 1u) << reply;
}

TEST(ServerSmuggling, ATransferCodingBesidesChunkedIs501) {
    RunningServer server;
    const std::string reply = raw_exchange(
        server.port(), {post_with("Transfer-Encoding: gzip, chunked\r\n", "23\r\n" + body + "\r\n0\r\n\r\n" + smuggled)});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 501"));
    EXPECT_EQ(responses_in(reply), 1u) << reply;
}

TEST(ServerSmuggling, AChunkedBodyAloneIsDecided) {
    RunningServer server;
    ASSERT_EQ(body.size(), 0x23u);
    const std::string reply =
        raw_exchange(server.port(), {post_with("Transfer-Encoding: chunked\r\nConnection: close\r\n",
                                               "23\r\n" + body + "\r\n0\r\n\r\n")});
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 200"));
    EXPECT_THAT(reply, HasSubstr("ptn@microsoft.com"));
}

TEST(ServerFraming, AnHttp11RequestWithoutHostOrWithTwoIs400) {
    RunningServer server;
    const std::string none = raw_exchange(server.port(), {"GET /healthz HTTP/1.1\r\n\r\n" + smuggled});
    EXPECT_THAT(none, StartsWith("HTTP/1.1 400"));
    EXPECT_THAT(none, HasSubstr("must give Host"));
    EXPECT_EQ(responses_in(none), 1u) << none;
    const std::string two = raw_exchange(server.port(), {"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"});
    EXPECT_THAT(two, StartsWith("HTTP/1.1 400"));
    EXPECT_THAT(two, HasSubstr("Host 2 times"));
    // HTTP/1.0 has no Host requirement.
    EXPECT_THAT(raw_exchange(server.port(), {"GET /healthz HTTP/1.0\r\n\r\n"}), HasSubstr(" 200 OK\r\n"));
}

TEST(ServerFraming, ABodyInAnEncodingTelpolicyDoesNotDecodeIs415) {
    RunningServer server;
    const HttpReply gzip = http_request(server.port(), "POST", "/v1/decisions", body,
                                        {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}});
    EXPECT_EQ(gzip.status, 415u);
    EXPECT_THAT(gzip.body, HasSubstr("unsupported_encoding"));
    const HttpReply identity = http_request(server.port(), "POST", "/v1/decisions", body,
                                            {{"Content-Type", "application/json"}, {"Content-Encoding", "identity"}});
    EXPECT_EQ(identity.status, 200u);
}

}  // namespace
}  // namespace telpolicy::test
