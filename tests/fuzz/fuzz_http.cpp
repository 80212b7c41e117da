// Fuzz target: the HTTP layer. The input is the bytes a client sends on one connection; they go to
// the real decision service (HttpServer: Beast's parser, the limits and timeouts, the framing checks
// of request_framing.cpp; DecisionService's endpoints) running in this process on a loopback port,
// over the bundled US plugin. Besides crashes and sanitizer reports (the server's thread included),
// it checks that:
// - every response is well-formed HTTP/1.0 or 1.1: a status line, header lines, one Content-Length
//   that its body matches, and nothing after a response that closes the connection;
// - the server answers no more requests than the bytes hold: a request's header ends with an empty
//   line, and one more response may refuse what could not be read;
// - it closes the connection soon after the client has sent everything, and keeps answering others;
// - a PIN never shows: the same bytes with every PIN's digits changed get responses that hold the
//   first PIN at least as often (ids and measurements aside, the only other digits that differ).
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <telpolicy/engine.hpp>

#include "decision_service.hpp"
#include "http_server.hpp"
#include "server_options.hpp"
#include "service_metrics.hpp"

namespace {

using namespace std::chrono_literals;
namespace server = telpolicy::server;

// The admin token, in http.dict too, so that POST /v1/reload is reachable.
constexpr std::string_view admin_token = "fuzz-admin-token";

server::ServerOptions fuzz_options() {
    server::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.max_header_bytes = 2048;
    options.max_body_bytes = 16 * 1024;
    options.max_batch = 50;
    options.idle_timeout = 500ms;
    options.request_timeout = 500ms;
    options.write_timeout = 1s;
    options.admin_token = admin_token;
    return options;
}

// The service, started once; stopped and joined at exit, before LeakSanitizer looks, so that what
// its thread holds is freed rather than reported.
class RunningService {
public:
    RunningService() {
        telpolicy::EngineOptions engine_options;
        engine_options.plugin_dirs = {TELPOLICY_FUZZ_US_PLUGIN_DIR};
        engine_options.rules_dirs = {TELPOLICY_FUZZ_RULES_DIR};
        engine_options.on_reload = [this](const telpolicy::ReloadResult& result) { metrics_.reloaded(result, *engine_); };
        engine_ = std::make_unique<telpolicy::Engine>(std::move(engine_options));
        metrics_.rules_in_use(*engine_);
        service_ = std::make_unique<server::DecisionService>(*engine_, options_, telpolicy::Limits{}, metrics_, nullptr);
        // The server listens for SIGINT and SIGTERM; libFuzzer's own handlers (its statistics, a clean
        // stop) are to stay, so the ones before are put back.
        struct sigaction interrupt {};
        struct sigaction terminate {};
        ::sigaction(SIGINT, nullptr, &interrupt);
        ::sigaction(SIGTERM, nullptr, &terminate);
        http_ = std::make_unique<server::HttpServer>(options_, *service_);
        ::sigaction(SIGINT, &interrupt, nullptr);
        ::sigaction(SIGTERM, &terminate, nullptr);
        runner_ = std::thread([this] { http_->run(); });
    }
    ~RunningService() {
        http_->stop(0ms);
        runner_.join();
    }
    RunningService(const RunningService&) = delete;
    RunningService& operator=(const RunningService&) = delete;

    [[nodiscard]] std::uint16_t port() const { return http_->port(); }

private:
    server::ServerOptions options_ = fuzz_options();
    server::ServiceMetrics metrics_;
    std::unique_ptr<telpolicy::Engine> engine_;
    std::unique_ptr<server::DecisionService> service_;
    std::unique_ptr<server::HttpServer> http_;
    std::thread runner_;
};

RunningService& running_service() {
    static RunningService service;
    return service;
}

void fail(const char* why) {
    std::fprintf(stderr, "fuzz_http: %s\n", why);
    std::abort();
}

// A connection to the server. libFuzzer's -timeout alarm (SIGALRM, every second or so) can land
// while connect waits on the handshake, which then fails with EINTR; once in tens of thousands of
// runs it did, and aborted a run with the server healthy. So a failed connect is tried again, on a
// new socket, and a run fails, saying why, only when the server keeps refusing for ten seconds.
int connect_to(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) fail("no socket");
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return fd;
        const int error = errno;
        ::close(fd);
        if (std::chrono::steady_clock::now() >= deadline) {
            std::fprintf(stderr, "fuzz_http: connect to 127.0.0.1:%u: %s\n", static_cast<unsigned>(port), std::strerror(error));
            fail("the server does not accept connections");
        }
        std::this_thread::sleep_for(10ms);
    }
}

// Sends `bytes` on a new connection, then ends the sending side, and returns everything the server
// sent until it closed. Sends and receives at once, so that neither side waits on a full buffer.
std::string talk(std::uint16_t port, std::string_view bytes) {
    const int fd = connect_to(port);
    // Both server timeouts and a margin: past this, the server has not closed a finished connection.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    std::string received;
    std::size_t sent = 0;
    bool sending = true;
    const auto finish_sending = [&] {
        sending = false;
        ::shutdown(fd, SHUT_WR);
    };
    if (bytes.empty()) finish_sending();
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) fail("the server kept the connection open after the client had sent everything");
        pollfd watched{fd, static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
        if (::poll(&watched, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) fail("poll failed");
        if (sending && (watched.revents & POLLOUT) != 0) {
            const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) sent += static_cast<std::size_t>(n);
            // The server may close before taking everything (it refused the request): stop there.
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || sent == bytes.size()) finish_sending();
        }
        if ((watched.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            char buffer[16384];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0) {
                received.append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                break;  // closed, or reset after a refusal: what came before it is all there is
            }
        }
    }
    ::close(fd);
    return received;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool same_word(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

bool is_token_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

struct Response {
    unsigned status{0};
    std::string_view body;
    bool metrics{false};  // the body is /metrics' text, whose measurements differ from run to run
};

// Reads the responses in `bytes` one after the other, failing on anything malformed. `may_be_head`:
// the input holds a HEAD request, whose response announces a body it leaves out; such a response is
// one whose announced body is not there and is followed by the next response or the end (a body the
// service writes never starts with "HTTP/").
std::vector<Response> read_responses(std::string_view bytes, bool may_be_head) {
    std::vector<Response> responses;
    bool closed = false;
    while (!bytes.empty()) {
        if (closed) fail("a response follows one that closed the connection");
        const std::size_t header_end = bytes.find("\r\n\r\n");
        if (header_end == std::string_view::npos) fail("a response's header does not end");
        std::string_view header = bytes.substr(0, header_end + 2);
        bytes.remove_prefix(header_end + 4);

        const std::size_t line_end = header.find("\r\n");
        const std::string_view status_line = header.substr(0, line_end);
        header.remove_prefix(line_end + 2);
        const bool http10 = starts_with(status_line, "HTTP/1.0 ");
        if (!http10 && !starts_with(status_line, "HTTP/1.1 ")) fail("a status line is not HTTP/1.0 or HTTP/1.1");
        if (status_line.size() < 13 || status_line[12] != ' ') fail("a status line has no reason phrase");
        Response response;
        for (std::size_t i = 9; i < 12; ++i) {
            if (status_line[i] < '0' || status_line[i] > '9') fail("a status code is not three digits");
            response.status = response.status * 10 + static_cast<unsigned>(status_line[i] - '0');
        }
        if (response.status < 100 || response.status > 599) fail("a status code is out of range");

        std::size_t lengths = 0;
        std::size_t length = 0;
        bool close = false;
        bool keep_alive = false;
        while (!header.empty()) {
            const std::size_t end = header.find("\r\n");
            const std::string_view line = header.substr(0, end);
            header.remove_prefix(end + 2);
            const std::size_t colon = line.find(':');
            if (colon == 0 || colon == std::string_view::npos) fail("a header line is not name: value");
            const std::string_view name = line.substr(0, colon);
            if (!std::all_of(name.begin(), name.end(), is_token_char)) fail("a header name is not a token");
            std::string_view value = line.substr(colon + 1);
            if (std::any_of(value.begin(), value.end(), [](char c) { return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f; })) {
                fail("a header value holds a control character");
            }
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            if (same_word(name, "Content-Length")) {
                ++lengths;
                if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                    fail("a Content-Length is not a number");
                }
                length = std::stoul(std::string(value));
            } else if (same_word(name, "Connection")) {
                close = close || same_word(value, "close");
                keep_alive = keep_alive || same_word(value, "keep-alive");
            } else if (same_word(name, "Transfer-Encoding")) {
                fail("a response is chunked");  // the service always says the length
            } else if (same_word(name, "Content-Type")) {
                response.metrics = starts_with(value, "text/plain; version=0.0.4");
            }
        }
        if (response.status < 200) {  // 100 Continue: no body, and the final response follows
            if (lengths != 0) fail("an interim response has a Content-Length");
            responses.push_back(response);
            continue;
        }
        if (lengths != 1) fail("a response does not give exactly one Content-Length");
        const bool body_left_out = may_be_head && length > 0 && (bytes.empty() || starts_with(bytes, "HTTP/"));
        if (!body_left_out) {
            if (bytes.size() < length) fail("a response's body is shorter than its Content-Length");
            response.body = bytes.substr(0, length);
            bytes.remove_prefix(length);
        }
        closed = close || (http10 && !keep_alive);
        responses.push_back(response);
    }
    return responses;
}

std::size_t occurrences(std::string_view text, std::string_view word) {
    std::size_t count = 0;
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) ++count;
    return count;
}

// Where the input gives "pin" a string of four digits or more (written plainly): each one's place.
struct PinPlace {
    std::size_t at;
    std::size_t size;
};
std::vector<PinPlace> pins_in(std::string_view input) {
    std::vector<PinPlace> places;
    for (std::size_t key = input.find("\"pin\""); key != std::string_view::npos; key = input.find("\"pin\"", key + 1)) {
        std::size_t at = key + 5;
        const auto skip_spaces = [&] {
            while (at < input.size() && (input[at] == ' ' || input[at] == '\t' || input[at] == '\n' || input[at] == '\r')) ++at;
        };
        skip_spaces();
        if (at >= input.size() || input[at] != ':') continue;
        ++at;
        skip_spaces();
        if (at >= input.size() || input[at] != '"') continue;
        const std::size_t start = ++at;
        while (at < input.size() && input[at] >= '0' && input[at] <= '9') ++at;
        if (at < input.size() && input[at] == '"' && at - start >= 4) places.push_back({start, at - start});
    }
    return places;
}

// The responses' text with what differs from one run to the next masked: /metrics bodies, decision
// ids (UUIDs: 8-4-4-4-12 hexadecimal digits) and revision numbers (a reload counts one up); and 404
// bodies, which quote the request's path, the one part of a request a response repeats (a "pin" the
// input writes into a path is no PIN).
std::string comparable(std::string_view bytes, const std::vector<Response>& responses) {
    std::string text(bytes);
    for (const Response& response : responses) {
        if (!(response.metrics || response.status == 404) || response.body.empty()) continue;
        const std::size_t at = static_cast<std::size_t>(response.body.data() - bytes.data());
        std::fill(text.begin() + static_cast<std::ptrdiff_t>(at),
                  text.begin() + static_cast<std::ptrdiff_t>(at + response.body.size()), '#');
    }
    static constexpr std::string_view uuid_shape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    for (std::size_t at = 0; at + uuid_shape.size() <= text.size(); ++at) {
        bool uuid = true;
        for (std::size_t i = 0; i < uuid_shape.size() && uuid; ++i) {
            uuid = uuid_shape[i] == '-' ? text[at + i] == '-' : hex(text[at + i]);
        }
        if (uuid) std::fill(text.begin() + static_cast<std::ptrdiff_t>(at),
                            text.begin() + static_cast<std::ptrdiff_t>(at + uuid_shape.size()), '#');
    }
    static constexpr std::string_view revision = "\"revision\":";
    for (std::size_t at = text.find(revision); at != std::string::npos; at = text.find(revision, at + 1)) {
        for (std::size_t i = at + revision.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) text[i] = '#';
    }
    return text;
}

// Every response well-formed, no more of them than requests; the parsed responses.
std::vector<Response> check_responses(std::string_view input, std::string_view output) {
    const bool may_be_head = input.find("HEAD") != std::string_view::npos;
    std::vector<Response> responses = read_responses(output, may_be_head);
    const auto finals = static_cast<std::size_t>(
        std::count_if(responses.begin(), responses.end(), [](const Response& r) { return r.status >= 200; }));
    if (finals > occurrences(input, "\r\n\r\n") + 1) fail("more responses than the input holds requests");
    return responses;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    running_service();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::uint16_t port = running_service().port();
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string output = talk(port, input);
    const std::vector<Response> responses = check_responses(input, output);

    // The PIN's place holds other digits of the same length (so every Content-Length stays right and
    // every PIN check answers alike): the first PIN may show no more in the first responses than in these.
    const std::vector<PinPlace> pins = pins_in(input);
    if (!pins.empty()) {
        std::string other(input);
        for (const PinPlace& pin : pins) {
            for (std::size_t i = pin.at; i < pin.at + pin.size; ++i) other[i] = static_cast<char>('0' + (other[i] - '0' + 7) % 10);
        }
        const std::string other_output = talk(port, other);
        const std::vector<Response> other_responses = check_responses(other, other_output);
        const std::string first = comparable(output, responses);
        const std::string second = comparable(other_output, other_responses);
        for (const PinPlace& pin : pins) {
            const std::string_view secret = input.substr(pin.at, pin.size);
            if (occurrences(first, secret) > occurrences(second, secret)) fail("a PIN shows in a response");
        }
    }

    // Every so often, whatever the input did, the server still answers a new connection.
    static std::uint64_t runs = 0;
    if (++runs % 64 == 0 || size == 0) {
        const std::string health = talk(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        if (!starts_with(health, "HTTP/1.1 200 OK\r\n")) fail("the server no longer answers GET /healthz");
    }
    return 0;
}
