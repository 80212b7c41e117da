// Cost of numbers in requests: a US request with 0, 1, 10 and 1,000 numbers, against the cost of
// libphonenumber's own parse of one number (the floor for anything that validates numbers).
#include <benchmark/benchmark.h>

#include <phonenumbers/phonenumberutil.h>

#include <telpolicy/engine.hpp>

#include "number_classifier.hpp"

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const telpolicy::Engine& engine() {
    static const telpolicy::Engine instance = [] {
        telpolicy::EngineOptions options;
        options.plugin_dirs = {TELPOLICY_BENCH_PLUGIN_DIR};
        options.rules_dirs = {TELPOLICY_BENCH_RULES_DIR};
        return telpolicy::Engine(options);
    }();
    return instance;
}

std::vector<std::string> washington_numbers(std::size_t count) {
    std::vector<std::string> numbers;
    for (std::size_t i = 0; i < count; ++i) numbers.push_back("+1202555" + std::to_string(1000 + i));
    return numbers;
}

// The floor: what libphonenumber needs to parse and classify one number.
void LibphonenumberParseOneNumber(benchmark::State& state) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    for (auto _ : state) {
        PhoneNumber number;
        util.Parse("+12025551000", "US", &number);
        std::string region;
        util.GetRegionCodeForNumber(number, &region);
        benchmark::DoNotOptimize(util.IsValidNumber(number));
        benchmark::DoNotOptimize(util.GetNumberType(number));
        benchmark::DoNotOptimize(region);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(LibphonenumberParseOneNumber);

// Our classification of one number (syntax gate, parse, validity, region, kind, E.164).
void ClassifyOneNumber(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(telpolicy::classify_number("+12025551000", "US"));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(ClassifyOneNumber);

// A whole US port-in decision for a request listing `range(0)` numbers; items are numbers.
void EvaluatePortInWithNumbers(benchmark::State& state) {
    telpolicy::Request request;
    request.country = "US";
    request.action = telpolicy::Action::port_in;
    request.number_type = telpolicy::NumberType::user;
    request.numbers = washington_numbers(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(engine().evaluate(request));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(EvaluatePortInWithNumbers)->Arg(0)->Arg(1)->Arg(10)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
