// How `telpolicy serve` listens, what it accepts, and where its decision log goes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace telpolicy::server {

// What a decision does when the decision log's queue is full (its writer is behind).
enum class WhenLogFull {
    drop,   // its line is dropped and counted: decisions never wait, the log may miss some
    block,  // it waits for room: no decision is ever missing from the log, at the cost of latency
};

struct ServerOptions {
    // Loopback by default: a policy service answers its own hosts, and exposing it is a choice.
    std::string address{"127.0.0.1"};
    std::uint16_t port{8181};  // 0: any free port (see HttpServer::port)
    // Connections are served on `threads` I/O threads; decisions, batches and reloads are worked
    // out on `eval_threads` others, so that however long they take, the I/O threads answer health
    // checks at once. 0: one per core, for each.
    unsigned threads{0};
    unsigned eval_threads{0};
    // Requests waiting for, or on, an evaluation thread; beyond, 503 with Retry-After, so that a
    // burst is shed instead of queued into timeouts.
    std::size_t max_queued_requests{1024};

    // Open connections; 0: default_max_connections() (well under the descriptor limit). When they
    // are all open, the connection idle for the longest is closed for a new one; when none is idle,
    // a new one may take one of probe_connections more, which answer only /healthz, /readyz and
    // /metrics (503 otherwise), so that probes get through a full server.
    std::size_t max_connections{0};
    std::size_t probe_connections{16};

    // A request's header and body are bounded before they are read (431 and 413 beyond), and a
    // batch holds at most max_batch requests, so that one client cannot take a worker's memory.
    std::size_t max_header_bytes{8 * 1024};
    std::size_t max_body_bytes{1024 * 1024};
    std::size_t max_batch{1000};
    // A connection that sends nothing between requests is closed after idle_timeout; a request that
    // began must arrive whole within request_timeout (408 otherwise), and a response be taken within
    // write_timeout: a slow client never holds a worker.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
    std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds write_timeout{std::chrono::seconds(10)};

    // The bearer token that admin endpoints (POST /v1/reload) require; empty: they answer 403.
    std::string admin_token;

    // The playground's rules editor (/v1/playground/...): off unless chosen, since it lets any client
    // make the server load a rules file it sends; off, those endpoints answer 403. Each try runs in a
    // child process, stopped after playground_try_timeout (also its CPU bound) or when it needs more
    // than playground_try_memory bytes of address space.
    bool playground_rules{false};
    std::chrono::milliseconds playground_try_timeout{std::chrono::seconds(5)};
    std::size_t playground_try_memory{std::size_t{1} << 30};

    // Decision log: a file to append JSON Lines to, "-" for standard output, empty for none. Lines go
    // through a queue of decision_log_queue entries; what happens when it is full is
    // decision_log_full's choice.
    std::string decision_log;
    std::size_t decision_log_queue{65536};
    WhenLogFull decision_log_full{WhenLogFull::drop};
};

}  // namespace telpolicy::server
