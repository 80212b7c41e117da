// The snapshot in use, and each thread's copy of it, owned by the engine.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/snapshot.hpp"

namespace telpolicy {

// Holds the snapshot in use. A mutex held for a pointer copy rather than
// std::atomic<std::shared_ptr>: libstdc++ 12's load() releases its lock bit with a relaxed store, so
// nothing orders its read before the next store's write, and ThreadSanitizer rightly reports a race.
//
// Evaluations read the snapshot through a per-thread seat that the slot owns: the hot path is a look-up
// of this thread's seat and one atomic load, without the mutex or reference-count traffic shared by
// all threads. Seats belong to the slot, so destroying the engine releases every thread's snapshot
// (and its plugin libraries) at once; a thread that ends gives its seat back.
class SnapshotSlot {
public:
    SnapshotSlot();
    ~SnapshotSlot();
    SnapshotSlot(const SnapshotSlot&) = delete;
    SnapshotSlot& operator=(const SnapshotSlot&) = delete;

    [[nodiscard]] std::shared_ptr<const Snapshot> load() const noexcept;
    // Puts `next` in use and returns the snapshot it replaces, for the caller to release outside the lock.
    std::shared_ptr<const Snapshot> exchange(std::shared_ptr<const Snapshot> next) noexcept;

    // The snapshot in use, as this thread last took it while the slot has not changed since. The
    // reference stays valid until this thread's next call on this slot.
    [[nodiscard]] const Snapshot& load_for_this_thread() const;

    struct Seat {
        std::uint64_t generation{UINT64_MAX};
        std::shared_ptr<const Snapshot> snapshot;
    };
    // The seats of one slot; threads keep a weak reference, to give theirs back when they end.
    struct Seats {
        std::mutex mutex;
        std::vector<std::unique_ptr<Seat>> all;  // stable addresses
        std::vector<Seat*> free;
    };

private:
    Seat& seat_for_this_thread() const;

    mutable std::mutex mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::atomic<std::uint64_t> generation_{0};
    const std::uint64_t id_;  // never reused, unlike the slot's address
    std::shared_ptr<Seats> seats_;
};

}  // namespace telpolicy
