#include "decision_id.hpp"

#include <cstdint>
#include <random>

namespace telpolicy::server {

DecisionId DecisionId::next() noexcept {
    thread_local std::mt19937_64 generator = [] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    std::uint64_t high = generator();
    std::uint64_t low = generator();
    high = (high & ~std::uint64_t{0xF000}) | 0x4000;                         // version 4
    low = (low & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // variant 10xx (RFC 9562)

    static constexpr char hex[] = "0123456789abcdef";
    DecisionId id;
    std::size_t at = 0;
    const auto put = [&](std::uint64_t bits, int nibbles) {
        for (int i = nibbles - 1; i >= 0; --i) id.text_[at++] = hex[(bits >> (4 * i)) & 0xF];
    };
    put(high >> 32, 8);
    id.text_[at++] = '-';
    put(high >> 16, 4);
    id.text_[at++] = '-';
    put(high, 4);
    id.text_[at++] = '-';
    put(low >> 48, 4);
    id.text_[at++] = '-';
    put(low, 12);
    return id;
}

}  // namespace telpolicy::server
