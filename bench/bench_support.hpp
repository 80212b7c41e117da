// What the benchmark programs share: the US engine, request lines like those
// bench/make_requests.py writes, and generated rules files.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <telpolicy/engine.hpp>

namespace telpolicy::bench {

// The engine over the bundled US plugin and the shipped rules, built once.
const Engine& us_engine();

// EngineOptions for the bundled US plugin and the shipped rules.
EngineOptions us_engine_options();
// The options of an engine over every bundled plugin (the default folders of an installed copy).
EngineOptions bundle_engine_options();

// `count` request lines, the same for a seed: the seven US actions, US and PR in either case, a few
// countries no plugin serves, optional fields, good and bad PINs, a fraction `numbers` listing phone
// numbers and a fraction `invalid` of bad lines (the mix of bench/make_requests.py).
std::vector<std::string> make_request_lines(std::size_t count, double numbers, double invalid, unsigned seed = 1);

// 4,096 lines of the default mix without numbers (numbers cost a libphonenumber parse each, about
// 20 us, measured by bench_numbers.cpp), and the same with 5 % of requests listing numbers.
const std::vector<std::string>& request_lines();
const std::vector<std::string>& request_lines_with_numbers();

// The shipped US rules file's text.
const std::string& us_rules_text();

// The US rules rewritten for a generated plugin `g<index>` serving one generated country code (the
// index-th two-letter code from AA on, skipping US and PR).
std::string generated_rules_text(std::size_t index);
std::string generated_country(std::size_t index);

}  // namespace telpolicy::bench
