// Cost of numbers in requests: a US request with 0, 1, 10 and 1,000 numbers, against the cost of
// libphonenumber's own parse of one number (the floor for anything that validates numbers).
#include <benchmark/benchmark.h>

#include <array>

#include <phonenumbers/phonenumberutil.h>

#include <telpolicy/engine.hpp>

#include "bench_support.hpp"
#include "request/compiled_number_metadata.hpp"
#include "request/number_classifier.hpp"

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

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

// Our classification of one number (syntax gate, parse, validity, region, kind, E.164), the same
// number each time: after the first, the thread's cache answers.
void ClassifyOneNumber(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(telpolicy::classify_number("+12025551000", "US"));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(ClassifyOneNumber);

// Numbers that are never the same twice in a row of eight times the cache: every one is parsed.
// range(0) picks where: 0 Washington DC (US, first of the 25 regions of +1), 1 San Juan (PR, 19th),
// 2 toll-free 800, 3 London (GB), 4 Paris mobile (FR, a country code of one region).
void ClassifyDistinctNumbers(benchmark::State& state) {
    constexpr std::array<const char*, 5> prefixes{"+1202", "+1787", "+1800", "+44207", "+336"};
    const std::string prefix = prefixes[static_cast<std::size_t>(state.range(0))];
    std::vector<std::string> numbers;
    for (std::size_t i = 0; i < 8 * telpolicy::number_cache_slots; ++i) numbers.push_back(prefix + std::to_string(2000000 + i * 7));
    std::size_t next = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(telpolicy::classify_number(numbers[next], "US"));
        next = next + 1 == numbers.size() ? 0 : next + 1;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(ClassifyDistinctNumbers)->DenseRange(0, 4);

// The type and region of numbers never the same twice in a row (same places as above), parsed
// beforehand: libphonenumber's GetNumberType and GetRegionCodeForNumber (range(1) == 0) against
// CompiledNumberMetadata, its metadata compiled into RE2 sets (range(1) == 1).
void TypeAndRegionOfDistinctNumbers(benchmark::State& state) {
    constexpr std::array<const char*, 5> prefixes{"+1202", "+1787", "+1800", "+44207", "+336"};
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    std::vector<PhoneNumber> numbers(4096);
    std::vector<std::string> national(numbers.size());
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        util.Parse(prefixes[static_cast<std::size_t>(state.range(0))] + std::to_string(2000000 + i * 7), "US", &numbers[i]);
        util.GetNationalSignificantNumber(numbers[i], &national[i]);
    }
    const telpolicy::CompiledNumberMetadata& compiled = telpolicy::CompiledNumberMetadata::instance();
    const bool use_compiled = state.range(1) == 1;
    std::size_t next = 0;
    for (auto _ : state) {
        if (use_compiled) {
            benchmark::DoNotOptimize(compiled.classify(numbers[next].country_code(), national[next]));
        } else {
            std::string region;
            util.GetRegionCodeForNumber(numbers[next], &region);
            benchmark::DoNotOptimize(util.GetNumberType(numbers[next]));
            benchmark::DoNotOptimize(region);
        }
        next = next + 1 == numbers.size() ? 0 : next + 1;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(TypeAndRegionOfDistinctNumbers)->ArgsProduct({{0, 1, 2, 3, 4}, {0, 1}});

// A whole US port-in decision for a request listing `range(0)` numbers; items are numbers.
void EvaluatePortInWithNumbers(benchmark::State& state) {
    telpolicy::Request request;
    request.country = "US";
    request.action = "port_in";
    request.number_type = "user";
    request.numbers = washington_numbers(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(telpolicy::bench::us_engine().evaluate(request));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(EvaluatePortInWithNumbers)->Arg(0)->Arg(1)->Arg(10)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
