// Structure-aware mutation of requests for the fuzz targets that read the contract's JSON: the
// ways real requests vary (a field's type or value, a key missing or given twice, deeper nesting,
// odd numbers and strings, bytes after the object) rather than random bytes that are seldom JSON.
// Linking request_mutator.cpp into a target gives it libFuzzer's LLVMFuzzerCustomMutator.
#pragma once

#include <cstddef>
#include <cstdint>

namespace telpolicy::fuzz {

// Mutates the `size` bytes at `data` (room for `max_size`) and returns their new size. When they
// read as a JSON object (nlohmann), a mutation of its structure, serialized again; otherwise, and
// now and then anyway, libFuzzer's own byte-level mutation (LLVMFuzzerMutate, with the -dict words).
// The same input and seed give the same result.
std::size_t mutate_request(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed);

}  // namespace telpolicy::fuzz
