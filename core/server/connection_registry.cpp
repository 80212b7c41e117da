#include "connection_registry.hpp"

#include <algorithm>

#include <sys/resource.h>

namespace telpolicy::server {

std::size_t default_max_connections(std::size_t probe_connections) {
    constexpr std::size_t ceiling = 10000;
    constexpr std::size_t other_descriptors = 64;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return ceiling;
    const auto descriptors = static_cast<std::size_t>(limit.rlim_cur);
    const std::size_t kept = other_descriptors + probe_connections;
    return descriptors > kept ? std::clamp<std::size_t>(descriptors - kept, 1, ceiling) : 1;
}

ConnectionRegistry::ConnectionRegistry(std::size_t max_connections, std::size_t probe_connections)
    : max_connections_(max_connections > 0 ? max_connections : default_max_connections(probe_connections)),
      probe_connections_(probe_connections) {}

ConnectionRegistry::Admitted ConnectionRegistry::admit() {
    std::shared_ptr<IdleConnection> displaced;
    {
        const std::lock_guard lock(mutex_);
        if (admitted_ < max_connections_) {
            ++admitted_;
            return {Admission::admitted, false};
        }
        // A connection that is ending (its last owner gone) cannot be displaced; its place is
        // about to be free, but the new connection cannot wait for it.
        while (!idle_.empty() && !displaced) {
            displaced = idle_.front().connection.lock();
            idle_.front().entry->reset();
            idle_.pop_front();
        }
        if (!displaced) {
            if (probes_ < probe_connections_) {
                ++probes_;
                return {Admission::probe_only, false};
            }
            return {Admission::full, false};
        }
        // The displaced connection keeps its place until it has closed: for a moment there is one
        // connection more than the limit, never one descriptor more than the reserve allows.
        ++admitted_;
    }
    displaced->close_if_idle();
    return {Admission::admitted, true};
}

void ConnectionRegistry::release(Admission admission) {
    const std::lock_guard lock(mutex_);
    if (admission == Admission::admitted && admitted_ > 0) --admitted_;
    if (admission == Admission::probe_only && probes_ > 0) --probes_;
}

void ConnectionRegistry::idle(const std::shared_ptr<IdleConnection>& connection, std::optional<IdleEntry>& entry) {
    const std::lock_guard lock(mutex_);
    if (entry) return;
    entry = idle_.insert(idle_.end(), IdleSlot{connection, &entry});
}

void ConnectionRegistry::busy(std::optional<IdleEntry>& entry) {
    const std::lock_guard lock(mutex_);
    if (!entry) return;
    idle_.erase(*entry);
    entry.reset();
}

std::size_t ConnectionRegistry::open() const {
    const std::lock_guard lock(mutex_);
    return admitted_ + probes_;
}

}  // namespace telpolicy::server
