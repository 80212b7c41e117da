// The snapshot slot and its per-thread seats (see the header).
#include "runtime/snapshot_slot.hpp"

#include <algorithm>

namespace telpolicy {
namespace {

std::uint64_t next_slot_id() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

// This thread's seats, one per slot it has read: ids and pointers only, no snapshot. When the thread
// ends, each seat whose slot still lives is given back, and its snapshot released.
class ThreadSeats {
public:
    struct Entry {
        std::uint64_t slot{0};
        SnapshotSlot::Seat* seat{nullptr};
        std::weak_ptr<SnapshotSlot::Seats> owner;
    };

    ThreadSeats() = default;
    ThreadSeats(const ThreadSeats&) = delete;
    ThreadSeats& operator=(const ThreadSeats&) = delete;
    ~ThreadSeats() {
        for (Entry& entry : entries) give_back(entry);
    }

    static void give_back(Entry& entry) noexcept {
        const std::shared_ptr<SnapshotSlot::Seats> owner = entry.owner.lock();
        if (!owner) return;
        std::shared_ptr<const Snapshot> released;  // freed outside the lock: it may unload libraries
        const std::lock_guard lock(owner->mutex);
        released.swap(entry.seat->snapshot);
        entry.seat->generation = UINT64_MAX;
        try {
            owner->free.push_back(entry.seat);
        } catch (...) {  // out of memory: the seat is not reused, and is freed with its slot
        }
    }

    std::vector<Entry> entries;
};

thread_local ThreadSeats this_thread_seats;

}  // namespace

SnapshotSlot::SnapshotSlot() : id_(next_slot_id()), seats_(std::make_shared<Seats>()) {}

SnapshotSlot::~SnapshotSlot() = default;

std::shared_ptr<const Snapshot> SnapshotSlot::load() const noexcept {
    const std::lock_guard lock(mutex_);
    return snapshot_;
}

std::shared_ptr<const Snapshot> SnapshotSlot::exchange(std::shared_ptr<const Snapshot> next) noexcept {
    const std::lock_guard lock(mutex_);
    snapshot_.swap(next);
    generation_.fetch_add(1, std::memory_order_release);
    return next;
}

SnapshotSlot::Seat& SnapshotSlot::seat_for_this_thread() const {
    std::vector<ThreadSeats::Entry>& entries = this_thread_seats.entries;
    for (const ThreadSeats::Entry& entry : entries) {
        if (entry.slot == id_) return *entry.seat;
    }
    // First read of this slot by this thread: drop the seats of slots that are gone, take one.
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [](const ThreadSeats::Entry& entry) { return entry.owner.expired(); }),
                  entries.end());
    Seat* seat = nullptr;
    {
        const std::lock_guard lock(seats_->mutex);
        if (seats_->free.empty()) {
            seats_->all.push_back(std::make_unique<Seat>());
            seat = seats_->all.back().get();
        } else {
            seat = seats_->free.back();
            seats_->free.pop_back();
        }
    }
    entries.push_back({id_, seat, seats_});
    return *seat;
}

const Snapshot& SnapshotSlot::load_for_this_thread() const {
    Seat& seat = seat_for_this_thread();
    const std::uint64_t generation = generation_.load(std::memory_order_acquire);
    if (seat.generation != generation) {
        std::shared_ptr<const Snapshot> fresh = load();
        seat.snapshot.swap(fresh);  // the one replaced is released here, outside the slot's lock
        seat.generation = generation;
    }
    return *seat.snapshot;
}

}  // namespace telpolicy
