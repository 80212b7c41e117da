// The counters of one Prometheus family, found by their label values without building a label map:
// the decision service counts on every request, and prometheus-cpp's Family::Add would build a
// std::map of strings and hash it each time. A family here has few counters (outcomes by served
// countries, endpoints by status codes), so they are kept once made.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/labels.h>

namespace telpolicy::server {

class CounterIndex {
public:
    explicit CounterIndex(prometheus::Family<prometheus::Counter>& family) : family_(family) {}

    // The counter for (`name`, `number`), made with the labels `labels()` gives the first time.
    // `name` must outlive the index (a literal): the index keeps the view. Thread-safe.
    template <typename MakeLabels>
    prometheus::Counter& get(std::string_view name, std::uint32_t number, MakeLabels&& labels) {
        const Key key{name, number};
        {
            const std::shared_lock lock(mutex_);
            if (const auto found = counters_.find(key); found != counters_.end()) return *found->second;
        }
        const std::unique_lock lock(mutex_);
        prometheus::Counter*& counter = counters_[key];
        if (counter == nullptr) counter = &family_.Add(std::forward<MakeLabels>(labels)());
        return *counter;
    }

private:
    using Key = std::pair<std::string_view, std::uint32_t>;
    struct KeyHash {
        std::size_t operator()(const Key& key) const noexcept {
            return std::hash<std::string_view>{}(key.first) ^ (std::size_t{key.second} * 0x9E3779B97F4A7C15ull);
        }
    };

    prometheus::Family<prometheus::Counter>& family_;
    std::shared_mutex mutex_;
    std::unordered_map<Key, prometheus::Counter*, KeyHash> counters_;
};

}  // namespace telpolicy::server
