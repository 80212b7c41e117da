// In-process evaluation of US requests: time per decision and heap allocations per decision, for
// a Decision returned by value and for one kept and refilled by the caller.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include <telpolicy/engine.hpp>

#include "bench_support.hpp"

// Counts every heap allocation of the process, so that the benchmarks can report allocations per
// decision next to the time.
namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

// GCC sees std::free inlined into delete of memory it thinks came from the standard new: this
// program replaces both, so the pairing is right.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
    throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

namespace {

// The requests of the seed documents without numbers, allowed and refused.
telpolicy::Request request(const char* action, std::optional<std::string> type, const char* pin,
                           bool pin_is_set) {
    telpolicy::Request r;
    r.country = "US";
    r.action = action;
    r.number_type = type;
    if (pin != nullptr) r.pin.emplace(pin);
    r.pin_is_set = pin_is_set;
    return r;
}

const std::vector<telpolicy::Request>& requests() {
    static const std::vector<telpolicy::Request> all{
        request("port_in", "toll_free", nullptr, false),
        request("port_in", std::nullopt, nullptr, false),
        request("new_numbers", std::nullopt, nullptr, false),
        request("set_pin", std::nullopt, "73829", false),
        request("clear_pin", std::nullopt, nullptr, true),
        request("port_out", std::nullopt, "482916", true),
    };
    return all;
}

void report_allocations(benchmark::State& state, std::size_t before) {
    state.counters["allocs_per_decision"] = benchmark::Counter(
        static_cast<double>(allocations.load() - before) / static_cast<double>(state.iterations()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// The Decision returned by value: every string and vector is allocated anew.
void EvaluateReturningDecision(benchmark::State& state) {
    const telpolicy::Request& r = requests()[static_cast<std::size_t>(state.range(0))];
    const std::size_t before = allocations.load();
    for (auto _ : state) benchmark::DoNotOptimize(telpolicy::bench::us_engine().evaluate(r));
    report_allocations(state, before);
}
BENCHMARK(EvaluateReturningDecision)->DenseRange(0, 5);

// One Decision kept by the caller and refilled: the path a host calls on every request.
void EvaluateIntoKeptDecision(benchmark::State& state) {
    const telpolicy::Request& r = requests()[static_cast<std::size_t>(state.range(0))];
    telpolicy::Decision decision;
    telpolicy::bench::us_engine().evaluate(r, decision);  // grows it to its working size
    const std::size_t before = allocations.load();
    for (auto _ : state) {
        telpolicy::bench::us_engine().evaluate(r, decision);
        benchmark::DoNotOptimize(decision);
    }
    report_allocations(state, before);
}
BENCHMARK(EvaluateIntoKeptDecision)->DenseRange(0, 5);

// A host's thread cycling through different requests with one kept Decision.
void EvaluateMixIntoKeptDecision(benchmark::State& state) {
    telpolicy::Decision decision;
    std::size_t next = 0;
    for (const auto& r : requests()) telpolicy::bench::us_engine().evaluate(r, decision);
    const std::size_t before = allocations.load();
    for (auto _ : state) {
        telpolicy::bench::us_engine().evaluate(requests()[next], decision);
        next = next + 1 == requests().size() ? 0 : next + 1;
        benchmark::DoNotOptimize(decision);
    }
    report_allocations(state, before);
}
BENCHMARK(EvaluateMixIntoKeptDecision);

}  // namespace
BENCHMARK_MAIN();
