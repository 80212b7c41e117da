// One line of `eval --batch`: its decision, appended to the output as one JSON line. The one
// definition of what a line gets, whether one thread decides the lines or several do.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <telpolicy/engine.hpp>

namespace telpolicy::cli {

// A line the reader could not keep (longer than the limit) has no text, only its number.
struct BatchLine {
    std::string_view text;
    std::size_t number{0};  // from 1
    bool too_long{false};
};

// Appends the line's decision and "\n" to `out`. `decision` is the caller's, kept from line to line
// so that the engine refills its strings and vectors rather than allocating them again.
void decide_batch_line(const Engine& engine, const Limits& limits, const BatchLine& line, Decision& decision,
                       std::string& out);

// The message of a request over the size limit; `eval` says it of one request, a batch of a line.
std::string too_long_message(std::size_t limit);

}  // namespace telpolicy::cli
