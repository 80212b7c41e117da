// Runs one try of the playground's rules editor in a child process of its own, bounded in CPU time
// (RLIMIT_CPU), address space (RLIMIT_AS), wall-clock time (killed when it runs over) and output,
// so that rules that take too long or too much memory cost that child, never the server.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace telpolicy::server {

struct SandboxLimits {
    std::chrono::milliseconds wall{std::chrono::seconds(5)};  // the CPU bound is this, rounded up to a second
    std::size_t memory_bytes{std::size_t{1} << 30};           // address space; not set under a sanitizer
    std::size_t output_bytes{std::size_t{16} << 20};
    unsigned concurrent{2};  // tries running at once; more are told to come back
};

struct SandboxResult {
    enum class Outcome {
        finished,       // the child exited; `exit_code` and `output` say how
        over_time,      // killed at the wall-clock bound, or by its CPU bound
        over_memory,    // it ran out of its address space
        failed,         // it could not start, crashed, or wrote more than output_bytes
        busy,           // `concurrent` tries were already running: not started
    };
    Outcome outcome{Outcome::failed};
    int exit_code{-1};
    std::string output;   // what it wrote on stdout
    std::string message;  // for people, when it did not finish
};

class RulesSandbox {
public:
    // `command`: the program and its arguments (the telpolicy command and its hidden
    // `playground-try`), run with the server's environment.
    RulesSandbox(std::vector<std::string> command, SandboxLimits limits);

    // Runs the command with `input` on its stdin. Thread-safe; never throws for the child's sake.
    [[nodiscard]] SandboxResult run(std::string_view input) const;

    [[nodiscard]] const SandboxLimits& limits() const noexcept { return limits_; }

private:
    std::vector<std::string> command_;
    SandboxLimits limits_;
    mutable std::atomic<unsigned> running_{0};
};

}  // namespace telpolicy::server
