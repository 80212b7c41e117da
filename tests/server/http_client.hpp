// A small HTTP/1.1 client for the decision service's tests: well-formed requests through Beast,
// and raw bytes for the ones a real client would never send.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace telpolicy::test {

struct HttpReply {
    unsigned status{0};
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    bool keep_alive{false};

    [[nodiscard]] std::string header(const std::string& lower_case_name) const;
};

// One connection, kept open between requests (keep-alive).
class HttpConnection {
public:
    explicit HttpConnection(std::uint16_t port);
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    // Throws std::system_error when the connection fails.
    HttpReply request(const std::string& method, const std::string& target, const std::string& body = {},
                      const std::map<std::string, std::string>& headers = {{"Content-Type", "application/json"}});

private:
    struct State;
    std::unique_ptr<State> state_;
};

// A request on a connection of its own.
HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body = {},
                       const std::map<std::string, std::string>& headers = {{"Content-Type", "application/json"}});

// Sends `chunks` as they are, waiting `pause` between them, then reads until the server closes the
// connection or `limit` passes. Returns every byte received.
std::string raw_exchange(std::uint16_t port, const std::vector<std::string>& chunks,
                         std::chrono::milliseconds pause = std::chrono::milliseconds(0),
                         std::chrono::milliseconds limit = std::chrono::seconds(5));

}  // namespace telpolicy::test
