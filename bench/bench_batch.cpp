// The pieces of `telpolicy eval --batch`, a line at a time, each against what it replaced: parsing a
// request (the full nlohmann reader against parse_request's simdjson fast path), writing a decision
// (the former nlohmann::ordered_json writer against the direct one), and the whole line (parse,
// evaluate, write), over the request mix of bench/make_requests.py. Figures in bench/README.md.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <telpolicy/engine.hpp>

#include "bench_support.hpp"
#include "legacy_decision_json.hpp"
#include "request/request_parser.hpp"

namespace {

using telpolicy::Decision;
using telpolicy::bench::request_lines;
using telpolicy::bench::request_lines_with_numbers;
using telpolicy::bench::us_engine;

// The valid requests of the mix: the fast path's case.
const std::vector<std::string>& valid_lines() {
    static const std::vector<std::string> lines = [] {
        std::vector<std::string> out;
        for (const std::string& line : request_lines()) {
            if (telpolicy::detail::parse_request_full(line, {}).request) out.push_back(line);
        }
        return out;
    }();
    return lines;
}

const std::vector<std::string>& lines_for(std::int64_t which) {
    return which == 0 ? valid_lines() : request_lines_with_numbers();
}

std::int64_t average_size(const std::vector<std::string>& texts) {
    std::size_t total = 0;
    for (const std::string& text : texts) total += text.size();
    return static_cast<std::int64_t>(total / texts.size());
}

// One text of `texts` an iteration, in turn; items are texts, bytes their average size.
template <typename Work>
void each(benchmark::State& state, const std::vector<std::string>& texts, Work work) {
    std::size_t i = 0;
    for (auto _ : state) {
        work(texts[i]);
        if (++i == texts.size()) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * average_size(texts));
}

// ----- parsing: Arg 0 = the valid requests of the mix, 1 = the whole mix with 5 % numbers, 3 % invalid

// What parse_request was before the fast path, and still is for what the fast path leaves.
void ParseRequestNlohmann(benchmark::State& state) {
    const telpolicy::Limits limits;
    each(state, lines_for(state.range(0)),
         [&](const std::string& line) { benchmark::DoNotOptimize(telpolicy::detail::parse_request_full(line, limits)); });
}
BENCHMARK(ParseRequestNlohmann)->Arg(0)->Arg(1);

void ParseRequestFast(benchmark::State& state) {
    const telpolicy::Limits limits;
    each(state, lines_for(state.range(0)),
         [&](const std::string& line) { benchmark::DoNotOptimize(telpolicy::parse_request(line, limits)); });
}
BENCHMARK(ParseRequestFast)->Arg(0)->Arg(1);

// ----- writing the decisions of the mix (no numbers)

const std::vector<Decision>& mix_decisions() {
    static const std::vector<Decision> decisions = [] {
        std::vector<Decision> out;
        for (const std::string& line : request_lines()) out.push_back(us_engine().evaluate_json(line));
        return out;
    }();
    return decisions;
}

template <typename Write>
void write_each(benchmark::State& state, Write write) {
    const std::vector<Decision>& decisions = mix_decisions();
    std::size_t i = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        bytes += write(decisions[i]);
        if (++i == decisions.size()) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void WriteDecisionNlohmann(benchmark::State& state) {
    write_each(state, [](const Decision& decision) {
        const std::string text = telpolicy::reference::legacy_to_json(decision);
        benchmark::DoNotOptimize(text.data());
        return text.size();
    });
}
BENCHMARK(WriteDecisionNlohmann);

// The batch's way: appended to one buffer that keeps its capacity.
void WriteDecisionDirect(benchmark::State& state) {
    std::string out;
    write_each(state, [&](const Decision& decision) {
        out.clear();
        telpolicy::to_json(decision, out);
        benchmark::DoNotOptimize(out.data());
        return out.size();
    });
}
BENCHMARK(WriteDecisionDirect);

// ----- a whole batch line: Arg 0 = the mix without numbers, 1 = with 5 % of requests listing numbers

const std::vector<std::string>& batch_lines(std::int64_t which) {
    return which == 0 ? request_lines() : request_lines_with_numbers();
}

// The line as it was handled before: the full reader, the engine, the nlohmann writer, a new string.
void BatchLineBefore(benchmark::State& state) {
    const telpolicy::Engine& engine = us_engine();
    const telpolicy::Limits limits;
    std::string out;
    each(state, batch_lines(state.range(0)), [&](const std::string& line) {
        telpolicy::ParsedRequest parsed = telpolicy::detail::parse_request_full(line, limits);
        Decision decision;
        if (parsed.request) {
            decision = engine.evaluate(*parsed.request);
        } else {
            decision.violations.push_back({"request.invalid", std::move(parsed.error), "core.request"});
            decision.matched_rules.emplace_back("core.request");
        }
        out.clear();
        out += telpolicy::reference::legacy_to_json(decision);
        out += '\n';
        benchmark::DoNotOptimize(out.data());
    });
}
BENCHMARK(BatchLineBefore)->Arg(0)->Arg(1);

// The line as run_batch handles it now (core/cli/eval_command.cpp): the fast parser, one Decision
// refilled by the engine, the direct writer appending to one buffer.
void BatchLine(benchmark::State& state) {
    const telpolicy::Engine& engine = us_engine();
    const telpolicy::Limits limits;
    Decision decision;
    std::string out;
    each(state, batch_lines(state.range(0)), [&](const std::string& line) {
        if (telpolicy::ParsedRequest parsed = telpolicy::parse_request(line, limits); parsed.request) {
            engine.evaluate(*parsed.request, decision);
        } else {
            decision = engine.evaluate_json(line);
        }
        out.clear();
        telpolicy::to_json(decision, out);
        out += '\n';
        benchmark::DoNotOptimize(out.data());
    });
}
BENCHMARK(BatchLine)->Arg(0)->Arg(1);

}  // namespace
