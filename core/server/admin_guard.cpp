#include "admin_guard.hpp"

#include <algorithm>

namespace telpolicy::server {

std::optional<std::chrono::seconds> AdminGuard::locked_for(Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    if (now >= locked_until_) return std::nullopt;
    // Rounded up: a client that waits as long as Retry-After says is let in.
    return std::chrono::ceil<std::chrono::seconds>(locked_until_ - now);
}

std::uint32_t AdminGuard::failed(Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    ++failures_;
    if (failures_ >= free_failures) {
        // 1 s after the fifth failure in a row, then 2, 4, ... up to a minute.
        const std::uint32_t doublings = std::min<std::uint32_t>(failures_ - free_failures, 6);
        const auto lockout = std::min<std::chrono::seconds>(std::chrono::seconds(1u << doublings), longest_lockout);
        locked_until_ = now + lockout;
    }
    return failures_;
}

void AdminGuard::succeeded() {
    const std::lock_guard lock(mutex_);
    failures_ = 0;
    locked_until_ = {};
}

}  // namespace telpolicy::server
