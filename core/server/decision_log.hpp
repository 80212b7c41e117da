// The decision log, as OPA keeps one: a JSON line per decision, written by a thread of its own
// through a bounded queue, so that writing makes no decision wait unless the log is asked to
// (WhenLogFull::block). Lines are written whole, and a line left torn by a writer killed in the
// middle of it is cut off when the file is opened again: every line is one JSON object.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <telpolicy/date_time.hpp>
#include <telpolicy/pin_facts.hpp>
#include <telpolicy/request.hpp>

#include "decision_id.hpp"
#include "server_options.hpp"

namespace telpolicy::server {

// One decision as logged. The request is kept parsed, with its PIN taken out before it is queued:
// the log can only ever write what a Request holds besides the PIN.
struct DecisionRecord {
    DecisionId id;
    std::chrono::system_clock::time_point time;
    std::string_view endpoint;  // a literal: "/v1/decisions" or "/v1/decisions/batch"
    std::string revision;       // LoadReport::digest of the rules that decided
    std::optional<Request> input;  // null when the request could not be read
    bool pin_erased{false};        // the request carried a PIN, erased here
    PinFacts pin_facts;            // what is kept of it instead (pin_facts.hpp), when erased
    Instant decided_for{};         // the instant it was decided for: its as_of, or when it was decided
    std::string decision_json;     // the contract's decision, one line (never holds the PIN)
    std::chrono::nanoseconds duration{0};  // reading the request to writing the decision

    // Takes `request`'s PIN out (wiping it, keeping its facts) and keeps the rest, with the instant
    // it is decided for (its as_of, or `time`).
    void keep_input(Request request) noexcept;
};

class DecisionLog {
public:
    // Appends to `path` ("-": standard output). Throws std::runtime_error saying why when the file
    // cannot be opened.
    DecisionLog(const std::string& path, std::size_t queue_capacity, WhenLogFull when_full = WhenLogFull::drop);
    ~DecisionLog();  // writes what is queued, then stops
    DecisionLog(const DecisionLog&) = delete;
    DecisionLog& operator=(const DecisionLog&) = delete;

    // Queues `record` and returns true. When the queue is full, drops it and returns false
    // (WhenLogFull::drop), or waits until the writer makes room (WhenLogFull::block). Never throws.
    bool submit(DecisionRecord&& record) noexcept;

    [[nodiscard]] std::uint64_t written() const noexcept { return written_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t write_errors() const noexcept { return write_errors_.load(std::memory_order_relaxed); }
    // Decisions that waited for room in the queue (WhenLogFull::block).
    [[nodiscard]] std::uint64_t waited() const noexcept { return waited_.load(std::memory_order_relaxed); }
    // Bytes of torn last lines cut off when the file was opened (at start and at each reopen).
    [[nodiscard]] std::uint64_t torn_bytes_cut() const noexcept { return torn_bytes_cut_.load(std::memory_order_relaxed); }

    // Asks the writer to close the file and open its path again before its next write, so that a
    // log rotated by renaming (logrotate without copytruncate) goes on in a new file. When the path
    // cannot be opened, the writer keeps the file it has and counts a write error. Thread-safe.
    void reopen() noexcept;

    // One record as its JSON line (without the newline): what the writer thread writes.
    static void format(const DecisionRecord& record, std::string& line);

private:
    // How long the writer lets lines gather before a write, unless the queue is filling up.
    static constexpr std::chrono::milliseconds gather_time{5};
    [[nodiscard]] std::size_t wake_threshold() const noexcept { return capacity_ / 4 + 1; }
    void write_loop();
    void write_lines(const std::vector<DecisionRecord>& records, std::string& text);

    void reopen_if_asked();

    std::string path_;
    int fd_;
    bool owns_fd_;
    WhenLogFull when_full_;
    std::atomic<bool> reopen_asked_{false};
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable room_;  // the writer took the queue: submitters waiting for room may go on
    std::vector<DecisionRecord> queue_;
    bool stopping_{false};
    bool writer_idle_{false};
    std::atomic<std::uint64_t> written_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> write_errors_{0};
    std::atomic<std::uint64_t> waited_{0};
    std::atomic<std::uint64_t> torn_bytes_cut_{0};
    std::thread writer_;
};

}  // namespace telpolicy::server
