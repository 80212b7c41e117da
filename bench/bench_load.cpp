// Loading: an Engine built over the US plugin (the library found, checked and opened, its rules file
// read, parsed and compiled), and the compilation of the US rules alone. Figures in bench/README.md.
#include <benchmark/benchmark.h>

#include <telpolicy/engine.hpp>

#include "bench_support.hpp"
#include "policy/rule_loader.hpp"

namespace {

// What a host pays at start-up, and again on every reload.
void LoadUsPluginAndRules(benchmark::State& state) {
    const telpolicy::EngineOptions options = telpolicy::bench::us_engine_options();
    for (auto _ : state) {
        telpolicy::Engine engine(options);
        benchmark::DoNotOptimize(engine.revision());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(LoadUsPluginAndRules)->Unit(benchmark::kMillisecond);

// Start-up with every bundled plugin: 33 libraries found, checked and opened, 33 rules files read,
// parsed and compiled (the bound: under 50 ms).
void LoadBundledPluginsAndRules(benchmark::State& state) {
    const telpolicy::EngineOptions options = telpolicy::bench::bundle_engine_options();
    for (auto _ : state) {
        telpolicy::Engine engine(options);
        if (!engine.load_report().refused.empty()) {
            state.SkipWithError("a bundled plugin was refused");
            return;
        }
        benchmark::DoNotOptimize(engine.revision());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(LoadBundledPluginsAndRules)->Unit(benchmark::kMillisecond);

// The rules file's share: YAML parsed, checked and compiled into a RuleSet.
void CompileUsRules(benchmark::State& state) {
    const std::string& text = telpolicy::bench::us_rules_text();
    for (auto _ : state) benchmark::DoNotOptimize(telpolicy::load_rules_text(text, "us.yaml"));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(CompileUsRules)->Unit(benchmark::kMillisecond);

}  // namespace
