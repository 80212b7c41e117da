// Evaluation with one plugin loaded (the US) and with forty (the US and 39 generated data-only
// plugins): a request's cost must not grow with the plugins loaded. Figures in bench/README.md.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include <telpolicy/engine.hpp>

#include "bench_support.hpp"

namespace {

const telpolicy::Engine& engine_with(std::size_t plugins) {
    static const telpolicy::Engine one(telpolicy::bench::us_engine_options());
    static const telpolicy::Engine forty = [] {
        telpolicy::EngineOptions options = telpolicy::bench::us_engine_options();
        options.plugin_dirs.emplace_back(TELPOLICY_BENCH_EXTRA_PLUGIN_DIR);
        options.rules_dirs.emplace_back(TELPOLICY_BENCH_EXTRA_RULES_DIR);
        return telpolicy::Engine(std::move(options));
    }();
    const telpolicy::Engine& engine = plugins == 1 ? one : forty;
    if (engine.load_report().loaded.size() != plugins) {
        throw std::runtime_error("expected " + std::to_string(plugins) + " plugins loaded, got " +
                                 std::to_string(engine.load_report().loaded.size()));
    }
    return engine;
}

void Evaluate(benchmark::State& state, const char* request_json) {
    const telpolicy::Engine& engine = engine_with(static_cast<std::size_t>(state.range(0)));
    const telpolicy::ParsedRequest parsed = telpolicy::parse_request(request_json);
    if (!parsed.request) throw std::runtime_error(parsed.error);
    telpolicy::Decision decision;
    for (auto _ : state) {
        engine.evaluate(*parsed.request, decision);
        benchmark::DoNotOptimize(decision);
    }
}

// A US request: its country's rules, whatever else is loaded.
void EvaluateUsPortIn(benchmark::State& state) { Evaluate(state, R"({"country":"US","action":"port_in"})"); }
BENCHMARK(EvaluateUsPortIn)->Arg(1)->Arg(40);

// A word the US does not offer, known to the other plugins or to no one: the engine's vocabulary.
void EvaluateUsUnsupported(benchmark::State& state) {
    Evaluate(state, R"({"country":"US","action":"publish_directory"})");
}
BENCHMARK(EvaluateUsUnsupported)->Arg(1)->Arg(40);

void EvaluateUnknownWord(benchmark::State& state) { Evaluate(state, R"({"country":"US","action":"teleport"})"); }
BENCHMARK(EvaluateUnknownWord)->Arg(1)->Arg(40);

// A country that no plugin serves.
void EvaluateUnservedCountry(benchmark::State& state) { Evaluate(state, R"({"country":"ZW","action":"port_in"})"); }
BENCHMARK(EvaluateUnservedCountry)->Arg(1)->Arg(40);

}  // namespace
