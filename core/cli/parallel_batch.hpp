// `eval --batch --threads N`: the lines decided on N threads, the decisions written in input order.
#pragma once

#include <cstddef>
#include <cstdio>

#include <telpolicy/engine.hpp>

#include "line_reader.hpp"

namespace telpolicy::cli {

// How a batch's reading ended: the lines read, and whether the input failed after them.
struct BatchEnd {
    std::size_t lines{0};
    bool read_failed{false};
};

// Reads every line of `reader`, and writes each line's decision (decide_batch_line) to `out`.
// `threads` == 1 decides them on the calling thread. More: the calling thread reads and cuts the
// input into blocks of lines; `threads` workers decide a block each, and the block next in input
// order is written as soon as it is decided. The blocks in flight are bounded (two per worker), so
// memory stays flat however long the input, and the output is byte for byte what one thread writes.
// A block is cut early when the input read so far is used up, so that a caller feeding one line at
// a time gets each answer at once. An exception in a worker stops the run and is thrown here.
BatchEnd decide_batch(const Engine& engine, const Limits& limits, LineReader& reader, unsigned threads, std::FILE* out);

// The cores this process may run on (its CPU affinity), at least 1: --threads' default.
unsigned available_cores() noexcept;

}  // namespace telpolicy::cli
