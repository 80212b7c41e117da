#include "http_server.hpp"

#include "connection_registry.hpp"
#include "request_framing.hpp"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <string.h>  // explicit_bzero

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace telpolicy::server {

// What every connection shares: the server's options and service, the connection limit, and the
// evaluation threads with their bounded queue. Outside the anonymous namespace, since
// HttpServer::State holds one (in a unity build, State would otherwise have a member of internal
// linkage, which GCC's -Wsubobject-linkage refuses).
struct ConnectionsShare {
    const ServerOptions& options;
    DecisionService& service;
    const std::atomic<bool>& stopping;
    ConnectionRegistry& connections;
    boost::asio::thread_pool& evaluators;
    std::atomic<std::size_t>& queued;  // requests waiting for or on an evaluation thread
};

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// One connection: waits for a request (idle_timeout), reads it whole (request_timeout, header and
// body limits), answers (write_timeout), and again while the client keeps the connection alive.
// Everything runs on the connection's strand, so its members need no lock; a request that needs
// an evaluation is handed to an evaluation thread, and the strand waits, doing nothing, for its
// response.
class Session : public std::enable_shared_from_this<Session>, public IdleConnection {
public:
    Session(tcp::socket socket, const ConnectionsShare& shared, ConnectionRegistry::Admitted admitted)
        : stream_(std::move(socket)),
          timer_(stream_.get_executor()),
          shared_(shared),
          options_(shared.options),
          service_(shared.service),
          stopping_(shared.stopping),
          admission_(admitted.admission) {
        ServiceMetrics& metrics = service_.metrics();
        if (admitted.displaced_one) metrics.connection_displaced();
        if (admission_ == Admission::full) {
            metrics.connection_refused();
        } else {
            metrics.connection_opened();
        }
    }

    ~Session() override {
        shared_.connections.busy(idle_entry_);
        shared_.connections.release(admission_);
        if (admission_ != Admission::full) service_.metrics().connection_closed();
    }

    void start() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            if (self->admission_ != Admission::full) return self->wait_for_request();
            // Answered before anything is read: there is no place to read a request into.
            self->refuse_for_a_while("connection_limit",
                                     "the service has as many connections open as it serves (--max-connections), "
                                     "and none is idle; try again");
        });
    }

    void close_if_idle() override {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            if (self->waiting_idle_) self->close();
        });
    }

private:
    // Waits for the first bytes of a request with the idle timeout, then reads the rest with the
    // request timeout: an idle keep-alive connection and a request that is slow to arrive differ.
    void wait_for_request() {
        if (stopping_.load()) return close();
        if (buffer_.size() > 0) return read_request();  // pipelined: the next request is already here
        arm_timer(options_.idle_timeout);
        // Idle, it may give way to a new connection when every place is taken; a probe's never is.
        if (admission_ == Admission::admitted) shared_.connections.idle(shared_from_this(), idle_entry_);
        waiting_idle_ = true;
        stream_.async_read_some(buffer_.prepare(first_read_bytes),
                                [self = shared_from_this()](beast::error_code error, std::size_t got) {
                                    self->waiting_idle_ = false;
                                    self->shared_.connections.busy(self->idle_entry_);
                                    self->disarm_timer();
                                    if (error || self->timed_out_) return self->close();  // idle: close, no word
                                    self->buffer_.commit(got);
                                    self->read_request();
                                });
    }

    void read_request() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
        parser_->body_limit(options_.max_body_bytes);
        arm_timer(options_.request_timeout);
        if (!may_expect_continue()) return read_body();
        // The header first: a client that sent "Expect: 100-continue" (curl does, for bodies over
        // 1 KiB) waits for a word before sending its body.
        http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, std::size_t) {
            if (error || self->parser_->is_done()) return self->on_read(error);
            const auto expect = self->parser_->get().find(http::field::expect);
            if (expect != self->parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
                return self->send_continue();
            }
            self->read_body();
        });
    }

    // Whether the request may carry "Expect:": read in two steps only then, since one read costs
    // less. A header not yet received whole counts as maybe.
    [[nodiscard]] bool may_expect_continue() const {
        const auto bytes = buffer_.cdata();
        const std::string_view received(static_cast<const char*>(bytes.data()), bytes.size());
        const std::size_t header_end = received.find("\r\n\r\n");
        if (header_end == std::string_view::npos) return true;
        constexpr std::string_view field = "\nexpect:";
        const std::string_view header = received.substr(0, header_end);
        return std::search(header.begin(), header.end(), field.begin(), field.end(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == b;
               }) != header.end();
    }

    void send_continue() {
        static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
        net::async_write(stream_, net::buffer(continue_line.data(), continue_line.size()),
                         [self = shared_from_this()](beast::error_code error, std::size_t) {
                             if (error) return self->on_read(error);
                             self->read_body();
                         });
    }

    void read_body() {
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
    }

    void on_read(beast::error_code error) {
        disarm_timer();
        if (timed_out_) {
            return refuse(http::status::request_timeout, "request_timeout",
                          "the request did not arrive within " + std::to_string(options_.request_timeout.count()) +
                              " ms");
        }
        if (error == http::error::end_of_stream) return close();
        if (error == http::error::body_limit) {
            return refuse(http::status::payload_too_large, "body_too_large",
                          "the body is larger than the limit of " + std::to_string(options_.max_body_bytes) +
                              " bytes (--max-body-bytes)");
        }
        if (error == http::error::header_limit) {
            return refuse(http::status::request_header_fields_too_large, "header_too_large",
                          "the header is larger than the limit of " + std::to_string(options_.max_header_bytes) +
                              " bytes (--max-header-bytes)");
        }
        if (error && error.category() == http::make_error_code(http::error::bad_target).category()) {
            return refuse(http::status::bad_request, "bad_request", parse_error_message(error));
        }
        if (error) return close();  // the connection failed or was reset: nobody to answer

        HttpRequest& request = parser_->get();
        if (auto refusal = framing_refusal(request)) {
            wipe_body();
            return refuse(refusal->status, refusal->code, refusal->message);
        }
        if (admission_ == Admission::probe_only && !DecisionService::is_probe(request)) {
            wipe_body();
            return refuse_for_a_while("connection_limit",
                                      "the service has as many connections open as it serves (--max-connections); "
                                      "this one, of the probes' reserve, answers only /healthz, /readyz and /metrics");
        }
        if (DecisionService::needs_evaluation(request)) return evaluate();
        service_.handle(request, response_);
        wipe_body();
        write(!response_.keep_alive() || stopping_.load());
    }

    // On an evaluation thread, unless max_queued_requests are already waiting. Until the response
    // comes back to the strand, nothing else touches the parser or the response.
    void evaluate() {
        if (shared_.queued.fetch_add(1) >= options_.max_queued_requests) {
            shared_.queued.fetch_sub(1);
            wipe_body();
            return refuse_for_a_while("overloaded", "the service has " + std::to_string(options_.max_queued_requests) +
                                                        " requests waiting to be evaluated "
                                                        "(--max-queued-requests); try again");
        }
        service_.metrics().evaluation_queued();
        net::post(shared_.evaluators, [self = shared_from_this()] {
            self->service_.handle(self->parser_->get(), self->response_);
            self->wipe_body();
            self->shared_.queued.fetch_sub(1);
            self->service_.metrics().evaluation_finished();
            net::post(self->stream_.get_executor(), [self] {
                self->write(!self->response_.keep_alive() || self->stopping_.load());
            });
        });
    }

    // The body may hold a PIN: wiped before it is freed.
    void wipe_body() {
        std::string& body = parser_->get().body();
        explicit_bzero(body.data(), body.size());
    }

    // 503 with Retry-After, the connection closed: the service is full, for a moment.
    void refuse_for_a_while(std::string_view code, const std::string& message) {
        response_ = {};
        service_.refuse(http::status::service_unavailable, code, message, response_);
        response_.set(http::field::retry_after, "1");
        write(true);
    }

    void refuse(http::status status, std::string_view code, const std::string& message) {
        response_ = {};
        service_.refuse(status, code, message, response_);
        write(true);
    }

    void write(bool close_after) {
        if (close_after) response_.keep_alive(false);
        // A response to HEAD carries the length of the body it leaves out, set by the service.
        if (!response_.has_content_length()) response_.prepare_payload();
        arm_timer(options_.write_timeout);
        http::async_write(stream_, response_,
                          [self = shared_from_this(), close_after](beast::error_code error, std::size_t) {
                              self->disarm_timer();
                              if (error || close_after || self->timed_out_) return self->close();
                              self->response_ = {};
                              self->wait_for_request();
                          });
    }

    // A timer per connection rather than tcp_stream's own, which closes the socket when it fires:
    // this one cancels the operation, so that a request that is too slow still hears 408.
    void arm_timer(std::chrono::milliseconds timeout) {
        timed_out_ = false;
        const std::uint64_t generation = ++timer_generation_;
        timer_.expires_after(timeout);
        timer_.async_wait([self = shared_from_this(), generation](beast::error_code error) {
            if (error || generation != self->timer_generation_) return;  // disarmed meanwhile
            self->timed_out_ = true;
            beast::error_code ignored;
            self->stream_.socket().cancel(ignored);
        });
    }

    void disarm_timer() {
        ++timer_generation_;
        timer_.cancel();
    }

    void close() {
        disarm_timer();
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }

    // What the first read of a request asks for: a whole ordinary request, header and body.
    static constexpr std::size_t first_read_bytes = 4096;

    beast::tcp_stream stream_;
    net::steady_timer timer_;
    std::uint64_t timer_generation_{0};
    bool timed_out_{false};
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    HttpResponse response_;
    const ConnectionsShare& shared_;
    const ServerOptions& options_;
    DecisionService& service_;
    const std::atomic<bool>& stopping_;
    const Admission admission_;
    // Set while the connection waits for a request's first bytes (on the strand), and its place in
    // the registry's list of idle connections (under the registry's lock).
    bool waiting_idle_{false};
    std::optional<ConnectionRegistry::IdleEntry> idle_entry_;
};

}  // namespace

struct HttpServer::State {
    State(const ServerOptions& server_options, DecisionService& decision_service)
        : options(server_options),
          service(decision_service),
          connections(options.max_connections, options.probe_connections),
          context(static_cast<int>(or_one_per_core(options.threads))),
          acceptor(net::make_strand(context)),
          retry(acceptor.get_executor()),
          grace(acceptor.get_executor()),
          signals(context, SIGINT, SIGTERM),
          evaluators(or_one_per_core(options.eval_threads)),
          shared{options, service, stopping, connections, evaluators, queued} {
        service.metrics().connection_limit(connections.max_connections());
    }

    static unsigned or_one_per_core(unsigned threads) {
        if (threads > 0) return threads;
        const unsigned cores = std::thread::hardware_concurrency();
        return cores > 0 ? cores : 1;
    }

    void accept() {
        acceptor.async_accept(net::make_strand(context), [this](beast::error_code error, tcp::socket socket) {
            if (!acceptor.is_open()) return;
            if (error) {
                // Out of descriptors, say: try again shortly rather than spin.
                retry.expires_after(std::chrono::milliseconds(50));
                retry.async_wait([this](beast::error_code waited) {
                    if (!waited) accept();
                });
                return;
            }
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::make_shared<Session>(std::move(socket), shared, connections.admit())->start();
            accept();
        });
    }

    void wait_for_signal() {
        signals.async_wait([this](beast::error_code error, int signal) {
            if (error) return;
            if (signal != SIGHUP) return begin_stop(std::chrono::milliseconds(500));
            hangup();
            wait_for_signal();
        });
    }

    void begin_stop(std::chrono::milliseconds grace_period) {
        if (stopping.exchange(true)) return;
        net::dispatch(acceptor.get_executor(), [this, grace_period] {
            beast::error_code ignored;
            acceptor.close(ignored);
            retry.cancel();
            signals.cancel(ignored);
            grace.expires_after(grace_period);
            grace.async_wait([this](beast::error_code) { context.stop(); });
        });
    }

    // In this order: sessions, which the context's and the evaluators' queues may still hold when
    // they are destroyed, use the registry and the queue count; the evaluators' handlers use the
    // context, and go first.
    const ServerOptions& options;
    DecisionService& service;
    std::atomic<bool> stopping{false};
    ConnectionRegistry connections;
    std::atomic<std::size_t> queued{0};
    net::io_context context;
    tcp::acceptor acceptor;
    net::steady_timer retry;
    net::steady_timer grace;
    net::signal_set signals;
    std::function<void()> hangup;
    net::thread_pool evaluators;
    ConnectionsShare shared;
};

HttpServer::HttpServer(const ServerOptions& options, DecisionService& service)
    : state_(std::make_unique<State>(options, service)) {
    beast::error_code error;
    const auto address = net::ip::make_address(options.address, error);
    if (error) {
        throw std::system_error(error, "cannot listen on '" + options.address + "': not an IP address");
    }
    const tcp::endpoint endpoint(address, options.port);
    const std::string where = options.address + ":" + std::to_string(options.port);
    tcp::acceptor& acceptor = state_->acceptor;
    if (acceptor.open(endpoint.protocol(), error); error) throw std::system_error(error, "cannot listen on " + where);
    acceptor.set_option(net::socket_base::reuse_address(true), error);
    if (acceptor.bind(endpoint, error); error) throw std::system_error(error, "cannot listen on " + where);
    if (acceptor.listen(net::socket_base::max_listen_connections, error); error) {
        throw std::system_error(error, "cannot listen on " + where);
    }
}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const noexcept {
    beast::error_code error;
    const auto endpoint = state_->acceptor.local_endpoint(error);
    return error ? 0 : endpoint.port();
}

void HttpServer::run(std::function<void()> on_hangup) {
    State& state = *state_;
    if (state.stopping.load()) return;
    if (on_hangup) state.signals.add(SIGHUP);
    state.hangup = std::move(on_hangup);
    state.wait_for_signal();
    state.accept();
    std::vector<std::thread> workers;
    const unsigned count = State::or_one_per_core(state.options.threads);
    workers.reserve(count - 1);
    for (unsigned i = 1; i < count; ++i) workers.emplace_back([&state] { state.context.run(); });
    state.context.run();
    for (std::thread& worker : workers) worker.join();
    // Evaluations not begun are dropped with their connections; those under way finish.
    state.evaluators.stop();
    state.evaluators.join();
}

void HttpServer::stop(std::chrono::milliseconds grace) { state_->begin_stop(grace); }

}  // namespace telpolicy::server
