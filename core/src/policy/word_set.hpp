// A set of small integer ids (a rule set's action or number-type words) as a growable bit set:
// no fixed cap on how many words a rules file declares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace telpolicy {

class WordSet {
public:
    WordSet() = default;

    void insert(std::size_t id) {
        if (id / 64 >= bits_.size()) bits_.resize(id / 64 + 1, 0);
        bits_[id / 64] |= std::uint64_t{1} << (id % 64);
    }
    void erase(std::size_t id) noexcept {
        if (id / 64 < bits_.size()) bits_[id / 64] &= ~(std::uint64_t{1} << (id % 64));
    }
    [[nodiscard]] bool contains(std::size_t id) const noexcept {
        return id / 64 < bits_.size() && ((bits_[id / 64] >> (id % 64)) & 1u) != 0;
    }
    [[nodiscard]] bool empty() const noexcept {
        for (std::uint64_t word : bits_) {
            if (word != 0) return false;
        }
        return true;
    }
    [[nodiscard]] bool intersects(const WordSet& other) const noexcept {
        for (std::size_t i = 0; i < bits_.size() && i < other.bits_.size(); ++i) {
            if ((bits_[i] & other.bits_[i]) != 0) return true;
        }
        return false;
    }
    WordSet& operator|=(const WordSet& other) {
        if (other.bits_.size() > bits_.size()) bits_.resize(other.bits_.size(), 0);
        for (std::size_t i = 0; i < other.bits_.size(); ++i) bits_[i] |= other.bits_[i];
        return *this;
    }
    // The ids in the set, in increasing order, below `limit`.
    template <typename Visit>
    void for_each(std::size_t limit, Visit visit) const {
        for (std::size_t id = 0; id < limit; ++id) {
            if (contains(id)) visit(id);
        }
    }
    friend bool operator==(const WordSet& a, const WordSet& b) noexcept {
        const std::size_t n = a.bits_.size() > b.bits_.size() ? a.bits_.size() : b.bits_.size();
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t x = i < a.bits_.size() ? a.bits_[i] : 0;
            const std::uint64_t y = i < b.bits_.size() ? b.bits_[i] : 0;
            if (x != y) return false;
        }
        return true;
    }

private:
    std::vector<std::uint64_t> bits_;
};

}  // namespace telpolicy
