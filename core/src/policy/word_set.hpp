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
        if (id < 64) {
            low_ |= std::uint64_t{1} << id;
            return;
        }
        const std::size_t word = id / 64 - 1;
        if (word >= high_.size()) high_.resize(word + 1, 0);
        high_[word] |= std::uint64_t{1} << (id % 64);
    }
    // The first 64 ids are held inline: the usual file's words are tested without a pointer chase.
    [[nodiscard]] bool contains(std::size_t id) const noexcept {
        if (id < 64) return ((low_ >> id) & 1u) != 0;
        const std::size_t word = id / 64 - 1;
        return word < high_.size() && ((high_[word] >> (id % 64)) & 1u) != 0;
    }
    [[nodiscard]] bool empty() const noexcept {
        if (low_ != 0) return false;
        for (std::uint64_t word : high_) {
            if (word != 0) return false;
        }
        return true;
    }
    [[nodiscard]] bool intersects(const WordSet& other) const noexcept {
        if ((low_ & other.low_) != 0) return true;
        for (std::size_t i = 0; i < high_.size() && i < other.high_.size(); ++i) {
            if ((high_[i] & other.high_[i]) != 0) return true;
        }
        return false;
    }
    WordSet& operator|=(const WordSet& other) {
        low_ |= other.low_;
        if (other.high_.size() > high_.size()) high_.resize(other.high_.size(), 0);
        for (std::size_t i = 0; i < other.high_.size(); ++i) high_[i] |= other.high_[i];
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
        if (a.low_ != b.low_) return false;
        const std::size_t n = a.high_.size() > b.high_.size() ? a.high_.size() : b.high_.size();
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t x = i < a.high_.size() ? a.high_[i] : 0;
            const std::uint64_t y = i < b.high_.size() ? b.high_[i] : 0;
            if (x != y) return false;
        }
        return true;
    }

private:
    std::uint64_t low_{0};
    std::vector<std::uint64_t> high_;  // ids 64 and up
};

}  // namespace telpolicy
