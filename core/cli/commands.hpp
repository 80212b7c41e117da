// The subcommands of the telpolicy command line, each a thin layer over the public API.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <telpolicy/engine.hpp>

#include "diagnostics_output.hpp"
#include "server_options.hpp"

namespace telpolicy::cli {

// Exit statuses of the contract.
inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_not_loaded = 3;
// replay --fail-on-change: some decision changed.
inline constexpr int exit_changed = 1;

enum class ExplainFormat { none, text, json };

struct EvalOptions {
    std::string request_file;  // empty: standard input
    ExplainFormat explain{ExplainFormat::none};  // explain: the decision and the trace of every rule
    std::string input_file;    // batch input; empty or "-": standard input
    bool batch{false};
    unsigned threads{0};       // batch: threads that decide lines; 0: one per available core
    bool compact{false};
    // The engine's limits, the request's size among them (its one owner: Limits::max_request_bytes):
    // a batch parses each line itself, then keeps one Decision that the engine refills line after line.
    Limits limits;
};

struct ValidateOptions {
    std::vector<std::string> files;                // empty: every rules file in rules_dirs
    std::vector<std::filesystem::path> rules_dirs;
    bool strict{false};                            // warnings count as errors
    DiagnosticsFormat format{DiagnosticsFormat::text};
    Limits limits;                                 // the --max-* options, as every command has them
};

// The rules files (*.yaml but not *.tests.yaml) of the given folders, sorted.
std::vector<std::filesystem::path> rules_files_in(const std::vector<std::filesystem::path>& dirs);

int run_validate(const ValidateOptions& options);
struct PolicyTestOptions {
    std::vector<std::string> paths;                   // tests files or folders of *.tests.yaml
    std::vector<std::filesystem::path> default_dirs;  // searched when no path is given
    bool coverage{false};
    bool require_full_coverage{false};
    Limits limits;  // the tests files are held to the rules files' limits
};

struct ReplayOptions {
    std::string log_file;  // a decision log (serve --decision-log); "-": standard input
    bool json{false};      // the report as JSON, for tools
    bool fail_on_change{false};
    std::size_t examples{3};        // examples kept of each kind of change
    std::optional<Instant> as_of;   // decide every request for this instant, not the one it was decided for
    Limits limits;
};

struct ServeOptions {
    std::string listen{"127.0.0.1:8181"};  // HOST:PORT
    std::string admin_token_file;          // empty: TELPOLICY_ADMIN_TOKEN, if set
    std::chrono::milliseconds watch_interval{0};
    server::ServerOptions server;  // address, port and token are filled from the above
};

int run_policy_tests(const Engine& engine, const PolicyTestOptions& options);
int run_graph(const std::filesystem::path& rules_file, const std::string& format, const Limits& limits);
int run_eval(const Engine& engine, const EvalOptions& options);
int run_batch(const Engine& engine, const EvalOptions& options);
int run_plugins(const Engine& engine, bool as_json);
int run_replay(const Engine& engine, const ReplayOptions& options);
// The language server for rules files, over standard input and output (LSP 3.17); logs to `log`.
int run_lsp(const Limits& limits, std::shared_ptr<spdlog::logger> log);
// One try of the playground's rules editor, read as JSON on stdin (the hidden `playground-try`,
// which the service runs in a sandbox: core/server/rules_sandbox.hpp).
int run_playground_try(const Limits& limits, bool allow_untrusted_plugins);
// Builds its own engine, so that reloads reach the service's metrics.
int run_serve(EngineOptions engine_options, ServeOptions options);

}  // namespace telpolicy::cli
