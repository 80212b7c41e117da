// Decision ids: random UUIDs (version 4), so that ids from several replicas never collide and say
// nothing about the request or the order of decisions.
#pragma once

#include <array>
#include <string_view>

namespace telpolicy::server {

class DecisionId {
public:
    // A new id. Thread-safe: each thread draws from a generator of its own, seeded once from
    // std::random_device.
    static DecisionId next() noexcept;

    [[nodiscard]] std::string_view text() const noexcept { return {text_.data(), text_.size()}; }

private:
    std::array<char, 36> text_{};
};

}  // namespace telpolicy::server
