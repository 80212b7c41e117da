// Failed admin authentications: each one logged (never the token), and after a few in a row, admin
// endpoints refuse every attempt for a while, doubling each time, as pam_faillock and fail2ban slow
// a guesser down. The service has one admin token, so the lockout is the server's, not a client's:
// a guesser delays the operator too, but never learns the token faster than the lockout allows.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace telpolicy::server {

class AdminGuard {
public:
    using Clock = std::chrono::steady_clock;

    // Failures in a row allowed before the first lockout, and the longest lockout.
    static constexpr std::uint32_t free_failures = 5;
    static constexpr std::chrono::seconds longest_lockout{60};

    // Nothing when an attempt may be checked now; otherwise how long until one may.
    [[nodiscard]] std::optional<std::chrono::seconds> locked_for(Clock::time_point now = Clock::now());
    // Counts a failed attempt; returns how many failed in a row, this one included.
    std::uint32_t failed(Clock::time_point now = Clock::now());
    // A right token: the count starts again.
    void succeeded();

private:
    std::mutex mutex_;
    std::uint32_t failures_{0};
    Clock::time_point locked_until_{};
};

}  // namespace telpolicy::server
