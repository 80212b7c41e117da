// Rules files loaded by a few threads that take the next file from a shared counter.
#include "runtime/rules_loading.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace telpolicy {

std::vector<std::optional<RuleLoadResult>> load_rules_files(const std::vector<std::optional<std::filesystem::path>>& paths,
                                                            const Limits& limits) {
    std::vector<std::optional<RuleLoadResult>> results(paths.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t i = next++; i < paths.size(); i = next++) {
            if (paths[i]) results[i] = load_rules_file(*paths[i], limits);
        }
    };
    // A thread costs more than a small file: one per core, and none for one file.
    const std::size_t threads = std::min<std::size_t>(std::max(1U, std::thread::hardware_concurrency()), paths.size());
    std::vector<std::jthread> helpers;
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
    return results;  // the helpers join as they go out of scope
}

}  // namespace telpolicy
