// Evaluation with the US plugin alone (1), with every bundled plugin (the 33 countries of the
// documentation), and with the bundle and 39 generated data-only plugins (72): a request's cost must
// not grow with the plugins loaded. Figures in bench/README.md.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include <telpolicy/engine.hpp>

#include "bench_support.hpp"

namespace {

constexpr int us_alone = 1;
constexpr int bundle = 33;
constexpr int bundle_and_generated = 72;

const telpolicy::Engine& engine_with(int plugins) {
    static const telpolicy::Engine one(telpolicy::bench::us_engine_options());
    static const telpolicy::Engine bundled(telpolicy::bench::bundle_engine_options());
    static const telpolicy::Engine more = [] {
        telpolicy::EngineOptions options = telpolicy::bench::bundle_engine_options();
        options.plugin_dirs.emplace_back(TELPOLICY_BENCH_EXTRA_PLUGIN_DIR);
        options.rules_dirs.emplace_back(TELPOLICY_BENCH_EXTRA_RULES_DIR);
        return telpolicy::Engine(std::move(options));
    }();
    const telpolicy::Engine& engine = plugins == us_alone ? one : plugins == bundle ? bundled : more;
    if (engine.load_report().loaded.size() != static_cast<std::size_t>(plugins) || !engine.load_report().refused.empty()) {
        throw std::runtime_error("expected " + std::to_string(plugins) + " plugins loaded and none refused, got " +
                                 std::to_string(engine.load_report().loaded.size()) + " and " +
                                 std::to_string(engine.load_report().refused.size()));
    }
    return engine;
}

void Evaluate(benchmark::State& state, const char* request_json) {
    const telpolicy::Engine& engine = engine_with(static_cast<int>(state.range(0)));
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
BENCHMARK(EvaluateUsPortIn)->Arg(us_alone)->Arg(bundle)->Arg(bundle_and_generated);

// A word the US does not offer, known to the other plugins or to no one: the engine's vocabulary.
void EvaluateUsUnsupported(benchmark::State& state) {
    Evaluate(state, R"({"country":"US","action":"publish_directory"})");
}
BENCHMARK(EvaluateUsUnsupported)->Arg(us_alone)->Arg(bundle)->Arg(bundle_and_generated);

void EvaluateUnknownWord(benchmark::State& state) { Evaluate(state, R"({"country":"US","action":"teleport"})"); }
BENCHMARK(EvaluateUnknownWord)->Arg(us_alone)->Arg(bundle)->Arg(bundle_and_generated);

// A country of the bundle: its rules, whatever else is loaded.
void EvaluateDePortIn(benchmark::State& state) {
    if (state.range(0) == us_alone) {
        state.SkipWithError("Germany is not loaded with the US plugin alone");
        return;
    }
    Evaluate(state, R"({"country":"DE","action":"port_in"})");
}
BENCHMARK(EvaluateDePortIn)->Arg(bundle)->Arg(bundle_and_generated);

// A country that no plugin serves.
void EvaluateUnservedCountry(benchmark::State& state) { Evaluate(state, R"({"country":"ZW","action":"port_in"})"); }
BENCHMARK(EvaluateUnservedCountry)->Arg(us_alone)->Arg(bundle)->Arg(bundle_and_generated);

}  // namespace
