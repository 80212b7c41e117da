// The subcommands of the telpolicy command line, each a thin layer over the public API.
#pragma once

#include <cstddef>
#include <string>

#include <telpolicy/engine.hpp>

namespace telpolicy::cli {

// Exit statuses of the contract.
inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_not_loaded = 3;

struct EvalOptions {
    std::string request_file;  // empty: standard input
    std::string input_file;    // batch input; empty or "-": standard input
    bool batch{false};
    bool compact{false};
    std::size_t max_request_bytes{1u << 20};
};

int run_eval(const Engine& engine, const EvalOptions& options);
int run_batch(const Engine& engine, const EvalOptions& options);
int run_plugins(const Engine& engine, bool as_json);

}  // namespace telpolicy::cli
