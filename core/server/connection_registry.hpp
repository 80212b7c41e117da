// How many connections the service keeps open, and which one gives way when they are all open: the
// one idle for the longest (nginx's reuse of keep-alive connections). With none idle, a few more
// are let in for probes only, so that a full server still answers /healthz.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>

namespace telpolicy::server {

// A connection the registry can ask to close while it waits for a request.
class IdleConnection {
public:
    virtual ~IdleConnection() = default;
    // Called with the registry's lock released; closes the connection if it is still idle (the
    // connection checks on its own strand: a request may have begun meanwhile).
    virtual void close_if_idle() = 0;
};

// What a new connection may do.
enum class Admission {
    full,        // every place is taken: answered 503 and closed
    probe_only,  // one of the probe places: health checks and metrics only
    admitted,
};

// min(10,000, RLIMIT_NOFILE - 64 - probe_connections): the 64 leave room for plugins, rules files
// being reloaded and the decision log.
std::size_t default_max_connections(std::size_t probe_connections);

class ConnectionRegistry {
    struct IdleSlot;

public:
    using IdleEntry = std::list<IdleSlot>::iterator;

    ConnectionRegistry(std::size_t max_connections, std::size_t probe_connections);

    struct Admitted {
        Admission admission;
        bool displaced_one;  // the connection idle for the longest was asked to close for this one
    };
    // For a connection just accepted. With every place taken, the connection idle for the longest
    // is asked to close, and the new one takes its place.
    Admitted admit();
    // When an admitted or probe-only connection ends.
    void release(Admission admission);

    // An admitted connection waits for a request (it may be displaced) or has begun one. `entry`
    // is the connection's own, set and cleared under the registry's lock, also when the registry
    // displaces it; a connection calls busy() before it ends.
    void idle(const std::shared_ptr<IdleConnection>& connection, std::optional<IdleEntry>& entry);
    void busy(std::optional<IdleEntry>& entry);

    [[nodiscard]] std::size_t max_connections() const noexcept { return max_connections_; }
    [[nodiscard]] std::size_t open() const;

private:
    const std::size_t max_connections_;
    const std::size_t probe_connections_;
    mutable std::mutex mutex_;
    std::size_t admitted_{0};
    std::size_t probes_{0};
    struct IdleSlot {
        std::weak_ptr<IdleConnection> connection;
        std::optional<IdleEntry>* entry;  // the connection's, cleared when the slot is taken out
    };
    // Idle connections, the longest idle first.
    std::list<IdleSlot> idle_;
};

}  // namespace telpolicy::server
