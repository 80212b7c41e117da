#include "http_client.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace telpolicy::test {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

tcp::endpoint loopback(std::uint16_t port) { return {net::ip::make_address("127.0.0.1"), port}; }

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

std::string HttpReply::header(const std::string& lower_case_name) const {
    const auto found = headers.find(lower_case_name);
    return found == headers.end() ? std::string() : found->second;
}

struct HttpConnection::State {
    net::io_context context;
    tcp::socket socket{context};
    beast::flat_buffer buffer;
};

HttpConnection::HttpConnection(std::uint16_t port) : state_(std::make_unique<State>()) {
    state_->socket.connect(loopback(port));
}

HttpConnection::~HttpConnection() {
    beast::error_code ignored;
    state_->socket.close(ignored);
}

HttpReply HttpConnection::request(const std::string& method, const std::string& target, const std::string& body,
                                  const std::map<std::string, std::string>& headers) {
    http::request<http::string_body> message(http::string_to_verb(method), target, 11);
    message.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) message.set(name, value);
    message.body() = body;
    message.prepare_payload();
    http::write(state_->socket, message);
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 30);
    if (method == "HEAD") parser.skip(true);
    http::read(state_->socket, state_->buffer, parser);
    const auto& response = parser.get();
    HttpReply reply;
    reply.status = response.result_int();
    for (const auto& field : response) {
        reply.headers[lower(std::string(field.name_string()))] = std::string(field.value());
    }
    reply.body = response.body();
    reply.keep_alive = response.keep_alive();
    return reply;
}

HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body, const std::map<std::string, std::string>& headers) {
    HttpConnection connection(port);
    return connection.request(method, target, body, headers);
}

std::string raw_exchange(std::uint16_t port, const std::vector<std::string>& chunks, std::chrono::milliseconds pause,
                         std::chrono::milliseconds limit) {
    net::io_context context;
    tcp::socket socket(context);
    socket.connect(loopback(port));
    beast::error_code error;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        if (i > 0) std::this_thread::sleep_for(pause);
        net::write(socket, net::buffer(chunks[i]), error);
        if (error) break;
    }
    // Read with a deadline: the test fails on what it got rather than hanging.
    std::string received;
    std::array<char, 4096> chunk;
    socket.non_blocking(true);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        const std::size_t got = socket.read_some(net::buffer(chunk), error);
        if (error == net::error::would_block) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        if (error) break;  // end of file: the server closed the connection
        received.append(chunk.data(), got);
    }
    return received;
}

}  // namespace telpolicy::test
