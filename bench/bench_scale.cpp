// Scale: 1, 10, 100 and 250 generated country rule sets (the US rules, renamed for a plugin of their
// own and one generated country code each). One plugin library per country would need 250 libraries,
// so this works at the RuleSet level with the engine's own pieces: load_rules_text, the engine's
// country table (a flat array of 26 x 26 slots, as Snapshot::rule_set_by_country in engine.cpp) and
// evaluate_rules. It shows that loading grows linearly with the rule sets, that memory per rule set is
// constant, and that evaluating a request costs the same whatever the number loaded. Figures in
// bench/README.md.
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include <telpolicy/decision.hpp>
#include <telpolicy/request.hpp>

#include "bench_support.hpp"
#include "evaluation/evaluator.hpp"
#include "pin_digits.hpp"
#include "policy/rule_loader.hpp"

namespace {

using telpolicy::RuleSet;
using telpolicy::bench::generated_country;
using telpolicy::bench::generated_rules_text;

constexpr std::uint16_t no_rule_set = 0xFFFF;

std::size_t country_slot(std::string_view code) {
    return static_cast<std::size_t>(code[0] - 'A') * 26 + static_cast<std::size_t>(code[1] - 'A');
}

const std::vector<std::string>& rules_texts() {
    static const std::vector<std::string> texts = [] {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < 250; ++i) out.push_back(generated_rules_text(i));
        return out;
    }();
    return texts;
}

RuleSet load(std::size_t index) {
    telpolicy::RuleLoadResult loaded = telpolicy::load_rules_text(rules_texts()[index], "g" + std::to_string(index) + ".yaml");
    if (!loaded.value) throw std::runtime_error("generated rules file " + std::to_string(index) + " is invalid");
    // Bound as the engine binds the US plugin's check.
    loaded.value->pin.bound_checks.assign(loaded.value->pin.checks.size(), &telpolicy::us::check_pin_digits);
    return std::move(*loaded.value);
}

// Loads `count` rule sets; items are rule sets, so items_per_second's inverse is the time per rule set.
void LoadRuleSets(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    rules_texts();  // generated outside the timing
    for (auto _ : state) {
        std::vector<RuleSet> sets;
        sets.reserve(count);
        for (std::size_t i = 0; i < count; ++i) sets.push_back(load(i));
        benchmark::DoNotOptimize(sets.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
    // Memory held by the loaded rule sets, from the allocator's count of bytes in use.
    const std::size_t before = mallinfo2().uordblks;
    std::vector<RuleSet> sets;
    sets.reserve(count);
    for (std::size_t i = 0; i < count; ++i) sets.push_back(load(i));
    const std::size_t after = mallinfo2().uordblks;
    state.counters["bytes_per_rule_set"] =
        static_cast<double>(after - before) / static_cast<double>(count);
}
BENCHMARK(LoadRuleSets)->Arg(1)->Arg(10)->Arg(100)->Arg(250)->Unit(benchmark::kMillisecond);

// Evaluates requests for one country with `count` rule sets loaded, routed through the engine's flat
// country table. The requests go to the middle rule set; items are requests.
void EvaluateWithRuleSets(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    std::vector<RuleSet> sets;
    std::array<std::uint16_t, 26 * 26> table{};
    table.fill(no_rule_set);
    for (std::size_t i = 0; i < count; ++i) {
        sets.push_back(load(i));
        table[country_slot(generated_country(i))] = static_cast<std::uint16_t>(i);
    }
    const std::string country = generated_country(count / 2);
    std::vector<telpolicy::Request> requests(3);
    for (telpolicy::Request& request : requests) request.country = country;
    requests[0].action = "port_in";
    requests[1].action = "set_pin";
    requests[1].pin.emplace("482916");
    requests[2].action = "new_numbers";
    requests[2].number_type = "user";
    std::size_t i = 0;
    for (auto _ : state) {
        const telpolicy::Request& request = requests[i];
        const std::uint16_t index = table[country_slot(request.country)];
        telpolicy::Decision decision;
        decision.country = request.country;
        decision.action = request.action;
        telpolicy::evaluate_rules(sets[index], request, decision);
        benchmark::DoNotOptimize(decision.violations.data());
        if (++i == requests.size()) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(EvaluateWithRuleSets)->Arg(1)->Arg(10)->Arg(100)->Arg(250);

}  // namespace
