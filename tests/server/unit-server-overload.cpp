// The service under load, over real sockets: health checks are answered while every evaluation
// thread is held up, a full evaluation queue is a 503 with Retry-After, and at the connection limit
// the longest idle connection gives way, then a reserve lets probes in.
//
// Evaluations are held up for real, without a test hook: the decision log is a FIFO that the test
// fills before the server writes to it, in block mode with a queue of one, so that the log's writer
// waits for room in the pipe, the next decision waits for room in the queue, on its evaluation
// thread, and nothing moves until the test drains the FIFO.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "connection_registry.hpp"
#include "http_client.hpp"
#include "server_fixture.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// The value of an unlabelled metric in GET /metrics, or -1.
double metric(std::uint16_t port, const std::string& name) {
    const HttpReply reply = http_request(port, "GET", "/metrics");
    const std::regex line("(^|\n)" + name + " ([0-9.e+-]+)");
    std::smatch found;
    return std::regex_search(reply.body, found, line) ? std::stod(found[2]) : -1;
}

// Polls `done` for up to 20 s; a deadline for a server that misbehaves, not a timing assertion.
template <typename Condition>
bool eventually(Condition done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

std::string batch_of(std::size_t count) {
    std::string array = "[";
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) array += ",";
        array += R"({"country":"US","action":"port_in","number_type":"user"})";
    }
    return array + "]";
}

// Reads a FIFO, without blocking, into `read` until told to stop.
class FifoDrain {
public:
    explicit FifoDrain(const std::filesystem::path& fifo)
        : fd_(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {}
    ~FifoDrain() {
        stop();
        if (fd_ >= 0) ::close(fd_);
    }
    void start() {
        thread_ = std::thread([this] {
            char chunk[65536];
            while (true) {
                pollfd ready{fd_, POLLIN, 0};
                ::poll(&ready, 1, 20);
                const ssize_t got = ::read(fd_, chunk, sizeof chunk);
                if (got > 0) {
                    read_.append(chunk, static_cast<std::size_t>(got));
                } else if (stopping_.load()) {
                    return;
                }
            }
        });
    }
    // Reads what is left, then stops.
    void stop() {
        stopping_.store(true);
        if (thread_.joinable()) thread_.join();
    }
    [[nodiscard]] bool opened() const { return fd_ >= 0; }
    [[nodiscard]] std::size_t lines() const { return static_cast<std::size_t>(std::count(read_.begin(), read_.end(), '\n')); }

private:
    int fd_;
    std::string read_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

server::ServerOptions held_up_evaluations(const std::filesystem::path& fifo) {
    server::ServerOptions options = RunningServer::small_limits();
    options.threads = 1;
    options.eval_threads = 1;
    options.max_queued_requests = 4;
    options.idle_timeout = std::chrono::seconds(30);
    options.request_timeout = std::chrono::seconds(30);
    options.write_timeout = std::chrono::seconds(30);
    options.decision_log = fifo.string();
    options.decision_log_queue = 1;
    options.decision_log_full = server::WhenLogFull::block;
    return options;
}

// Fills the FIFO's pipe, so that the next write to it waits for a reader.
void fill(const std::filesystem::path& fifo) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const std::string filler(4096, 'x');  // no newline: the lines read back are the server's alone
    while (::write(fd, filler.data(), filler.size()) > 0) {
    }
    ::close(fd);
}

// Before, evaluation ran on the I/O threads: one request held up there held /healthz up with it
// (32 clients of 10,000-number requests delayed it 4.3 s, beyond Kubernetes' 2 s probe timeout).
TEST(ServerOverload, HealthChecksAreAnsweredWhileEveryEvaluationIsHeldUpAndAFullQueueIs503) {
    const auto dir = make_temp_dir("telpolicy-overload");
    const auto fifo = dir / "decisions.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    FifoDrain drain(fifo);  // opened first, so that filling it does not wait for a reader
    ASSERT_TRUE(drain.opened());
    fill(fifo);
    RunningServer server(held_up_evaluations(fifo));

    // As many batches as the queue holds: the first holds the one evaluation thread up, the others wait.
    const std::string batch = batch_of(50);
    std::vector<unsigned> statuses(4, 0);
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        clients.emplace_back([&, i] { statuses[i] = http_request(server.port(), "POST", "/v1/decisions/batch", batch).status; });
    }
    ASSERT_TRUE(eventually([&] { return metric(server.port(), "telpolicy_evaluations_queued") == 4; }))
        << "the evaluation queue never filled up: " << http_request(server.port(), "GET", "/metrics").body;

    // The I/O thread still answers the probes, and refuses what the queue cannot take.
    EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200u);
    EXPECT_EQ(http_request(server.port(), "GET", "/readyz").status, 200u);
    const HttpReply refused = http_request(server.port(), "POST", "/v1/decisions",
                                           R"({"country":"US","action":"port_in","number_type":"user"})");
    EXPECT_EQ(refused.status, 503u);
    EXPECT_EQ(refused.header("retry-after"), "1");
    EXPECT_THAT(refused.body, HasSubstr(R"("code":"overloaded")"));
    EXPECT_THAT(refused.body, HasSubstr("--max-queued-requests"));

    // Drained, the log lets every held-up evaluation finish; none of its decisions is missing.
    drain.start();
    for (std::thread& client : clients) client.join();
    EXPECT_THAT(statuses, ::testing::Each(200u));
    server.stop();
    drain.stop();
    EXPECT_EQ(drain.lines(), statuses.size() * 50);
    std::filesystem::remove_all(dir);
}

// A TCP connection that sends what it is told to, and can tell whether the server closed it.
class RawConnection {
public:
    explicit RawConnection(std::uint16_t port) : socket_(context_) {
        socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    }
    void send(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }
    // Everything until the server closes the connection (or 10 s pass).
    std::string read_to_end() {
        timeval limit{10, 0};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        std::string received;
        boost::system::error_code error;
        net::read(socket_, net::dynamic_buffer(received), error);
        return received;
    }
    // Whether the server has closed it: a read that does not wait finds the end.
    bool closed_by_server() {
        pollfd ready{socket_.native_handle(), POLLIN, 0};
        if (::poll(&ready, 1, 0) <= 0) return false;
        char byte;
        return ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
    }

private:
    net::io_context context_;
    tcp::socket socket_;
};

server::ServerOptions three_connections() {
    server::ServerOptions options = RunningServer::small_limits();
    options.max_connections = 3;
    options.probe_connections = 1;
    options.idle_timeout = std::chrono::seconds(30);
    options.request_timeout = std::chrono::seconds(30);
    return options;
}

// Before, there was no limit: 1,100 idle connections at the descriptor limit locked every new
// client out for the 30 s idle timeout. Connections are made a moment apart so that the server has
// seen each before the next (the order in which they became idle is what is checked); nothing else
// connects until the sockets are checked, since every new connection would displace one more.
TEST(ServerConnectionLimit, AtTheLimitTheLongestIdleConnectionIsClosedForANewOne) {
    RunningServer server(three_connections());
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 3; ++i) {
        idle.push_back(std::make_unique<RawConnection>(server.port()));
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
    const HttpReply served = http_request(server.port(), "POST", "/v1/decisions",
                                          R"({"country":"US","action":"port_in","number_type":"user"})");
    EXPECT_EQ(served.status, 200u);
    EXPECT_TRUE(eventually([&] { return idle[0]->closed_by_server(); })) << "the longest idle was not closed";
    EXPECT_FALSE(idle[1]->closed_by_server());
    EXPECT_FALSE(idle[2]->closed_by_server());
    EXPECT_GE(metric(server.port(), "telpolicy_connections_displaced_total"), 1);
    EXPECT_EQ(metric(server.port(), "telpolicy_connections_max"), 3);
}

TEST(ServerConnectionLimit, WithNoneIdleProbesGetThroughAndOthersHear503) {
    RunningServer server(three_connections());
    // Three connections that have begun a request (so they are not idle) fill every place; the
    // pause lets the server read their first bytes before anything else connects.
    std::vector<std::unique_ptr<RawConnection>> busy;
    for (int i = 0; i < 3; ++i) {
        busy.push_back(std::make_unique<RawConnection>(server.port()));
        busy.back()->send("POST /v1/decisions HTTP/1.1\r\nHost: x\r\n");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));

    // A probe's connection is let in beyond the limit, for probes only (a connection of an earlier
    // try may still hold the one place of the reserve: try again).
    std::unique_ptr<HttpConnection> reserved;
    ASSERT_TRUE(eventually([&] {
        reserved = std::make_unique<HttpConnection>(server.port());
        return reserved->request("GET", "/healthz").status == 200;
    }));
    EXPECT_EQ(reserved->request("GET", "/metrics").body.find("telpolicy_connections_displaced_total 0") !=
                  std::string::npos,
              true)
        << "a busy connection was displaced";

    // With the reserve taken too, a new connection hears 503 at once, and is closed.
    RawConnection refused(server.port());
    const std::string reply = refused.read_to_end();
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 503"));
    EXPECT_THAT(reply, HasSubstr("Retry-After: 1"));
    EXPECT_THAT(reply, HasSubstr("--max-connections"));

    // On a connection of the reserve, anything but a probe is refused, and the connection closed.
    const HttpReply decision =
        reserved->request("POST", "/v1/decisions", R"({"country":"US","action":"port_in","number_type":"user"})");
    EXPECT_EQ(decision.status, 503u);
    EXPECT_EQ(decision.header("retry-after"), "1");
    EXPECT_THAT(decision.body, HasSubstr(R"("code":"connection_limit")"));
    EXPECT_THAT(decision.body, HasSubstr("only /healthz, /readyz and /metrics"));
    reserved.reset();

    // The busy ones were never displaced: each still gets its decision.
    const std::string body = R"({"country":"US","action":"port_in"})";
    for (const auto& connection : busy) {
        connection->send("Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\nConnection: close\r\n\r\n" + body);
        EXPECT_THAT(connection->read_to_end(), StartsWith("HTTP/1.1 200"));
    }
    busy.clear();
    EXPECT_TRUE(eventually([&] { return metric(server.port(), "telpolicy_connections_refused_total") >= 1; }));
}

// ----- the registry itself -----

class RecordedConnection : public server::IdleConnection {
public:
    void close_if_idle() override { ++closes; }
    int closes{0};
};

TEST(ConnectionRegistry, DisplacesTheLongestIdleThenLetsProbesInThenRefuses) {
    server::ConnectionRegistry registry(2, 1);
    const auto first = std::make_shared<RecordedConnection>();
    const auto second = std::make_shared<RecordedConnection>();
    std::optional<server::ConnectionRegistry::IdleEntry> first_entry;
    std::optional<server::ConnectionRegistry::IdleEntry> second_entry;
    EXPECT_EQ(registry.admit().admission, server::Admission::admitted);
    EXPECT_EQ(registry.admit().admission, server::Admission::admitted);
    registry.idle(first, first_entry);
    registry.idle(second, second_entry);

    const auto displacing = registry.admit();
    EXPECT_EQ(displacing.admission, server::Admission::admitted);
    EXPECT_TRUE(displacing.displaced_one);
    EXPECT_EQ(first->closes, 1);
    EXPECT_EQ(second->closes, 0);
    EXPECT_FALSE(first_entry.has_value()) << "the displaced connection's entry is cleared for it";
    registry.busy(first_entry);  // what the displaced connection does as it ends: nothing to undo

    registry.busy(second_entry);  // the second begins a request: nobody is idle now
    EXPECT_EQ(registry.admit().admission, server::Admission::probe_only);
    EXPECT_EQ(registry.admit().admission, server::Admission::full);
    EXPECT_EQ(registry.open(), 4u) << "three admitted (one of them closing) and one probe";

    registry.release(server::Admission::probe_only);
    EXPECT_EQ(registry.admit().admission, server::Admission::probe_only);
    registry.release(server::Admission::admitted);
    EXPECT_EQ(registry.admit().admission, server::Admission::full) << "still one over the limit";
    registry.release(server::Admission::admitted);
    EXPECT_EQ(registry.admit().admission, server::Admission::admitted);
}

TEST(ConnectionRegistry, AnEndingConnectionIsNotDisplacedAndTheDefaultStaysUnderTheDescriptorLimit) {
    server::ConnectionRegistry registry(1, 0);
    std::optional<server::ConnectionRegistry::IdleEntry> entry;
    ASSERT_EQ(registry.admit().admission, server::Admission::admitted);
    {
        const auto ending = std::make_shared<RecordedConnection>();
        registry.idle(ending, entry);
    }  // its last owner is gone; it has not yet told the registry
    EXPECT_EQ(registry.admit().admission, server::Admission::full);
    EXPECT_FALSE(entry.has_value());

    rlimit limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    const std::size_t chosen = server::default_max_connections(16);
    EXPECT_GE(chosen, 1u);
    EXPECT_LE(chosen, 10000u);
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur > 80) {
        EXPECT_LE(chosen, static_cast<std::size_t>(limit.rlim_cur) - 80);
    }
}

}  // namespace
}  // namespace telpolicy::test
