// The subcommands of the telpolicy command line, each a thin layer over the public API.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <telpolicy/engine.hpp>

namespace telpolicy::cli {

// Exit statuses of the contract.
inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_not_loaded = 3;

enum class ExplainFormat { none, text, json };

struct EvalOptions {
    std::string request_file;  // empty: standard input
    ExplainFormat explain{ExplainFormat::none};  // explain: the decision and the trace of every rule
    std::string input_file;    // batch input; empty or "-": standard input
    bool batch{false};
    bool compact{false};
    std::size_t max_request_bytes{1u << 20};
    // The engine's limits (max_request_bytes included): a batch parses each line itself, then keeps
    // one Decision that the engine refills line after line.
    Limits limits;
};

struct ValidateOptions {
    std::vector<std::string> files;                // empty: every rules file in rules_dirs
    std::vector<std::filesystem::path> rules_dirs;
    bool strict{false};                            // warnings count as errors
};

// The rules files (*.yaml but not *.tests.yaml) of the given folders, sorted.
std::vector<std::filesystem::path> rules_files_in(const std::vector<std::filesystem::path>& dirs);

int run_validate(const ValidateOptions& options);
struct PolicyTestOptions {
    std::vector<std::string> paths;                   // tests files or folders of *.tests.yaml
    std::vector<std::filesystem::path> default_dirs;  // searched when no path is given
    bool coverage{false};
    bool require_full_coverage{false};
};

int run_policy_tests(const Engine& engine, const PolicyTestOptions& options);
int run_graph(const std::filesystem::path& rules_file, const std::string& format);
int run_eval(const Engine& engine, const EvalOptions& options);
int run_batch(const Engine& engine, const EvalOptions& options);
int run_plugins(const Engine& engine, bool as_json);

}  // namespace telpolicy::cli
