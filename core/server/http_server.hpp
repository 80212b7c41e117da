// The decision service's transport: HTTP/1.1 with keep-alive on Boost.Beast, a pool of threads
// running one io_context, and the limits that keep a slow or oversized client from holding a worker.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "decision_service.hpp"
#include "server_options.hpp"

namespace telpolicy::server {

class HttpServer {
public:
    // Binds and listens on options.address:options.port. Throws std::system_error saying which
    // address could not be used and why.
    HttpServer(const ServerOptions& options, DecisionService& service);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // The port listened on (the one chosen when options.port was 0).
    [[nodiscard]] std::uint16_t port() const noexcept;

    // Serves on options.threads threads (this one included) until stop(), SIGINT or SIGTERM. On
    // SIGHUP, calls `on_hangup` (when given) on one of those threads, as daemons reopen their logs.
    void run(std::function<void()> on_hangup = {});
    // Stops accepting, gives responses under way `grace` to go out, then returns from run().
    // Thread-safe; may be called before run().
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(500));

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace telpolicy::server
