// The engine a host application embeds: loads plugins and their rules, evaluates requests.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/decision.hpp>
#include <telpolicy/diagnostic.hpp>
#include <telpolicy/explanation.hpp>
#include <telpolicy/limits.hpp>
#include <telpolicy/pin_facts.hpp>
#include <telpolicy/request.hpp>

namespace spdlog {
class logger;
}

namespace telpolicy {

// The outcome of a reload. When it failed, the engine keeps deciding with the rules it had.
struct ReloadResult {
    bool applied{false};             // true: the new rules are in use; false: the previous ones still are
    std::uint64_t revision{0};       // the revision in use after the reload (see LoadReport::revision)
    // Every error found, with file:line:column when it is in a rules file; empty when applied.
    std::vector<Diagnostic> errors;

    explicit operator bool() const noexcept { return applied; }
};

// One plugin's rules held in memory: an edit being tried, never written anywhere (see
// EngineOptions::rules_text).
struct RulesText {
    std::string plugin;               // the plugin whose rules these are
    std::string text;                 // the rules file's content (YAML)
    std::filesystem::path file_name;  // read as if it were this file: diagnostics and traces name it
};

struct EngineOptions {
    std::vector<std::filesystem::path> plugin_dirs;  // searched for plugin libraries, in order
    std::vector<std::filesystem::path> rules_dirs;   // searched for each plugin's rules file, in order
    // null: a logger that discards everything. Engines log from evaluate() and, with a watch, from
    // their watch thread: give a thread-safe logger (an _mt sink) when either may run concurrently.
    std::shared_ptr<spdlog::logger> logger;
    // Above zero: the engine starts a watch at construction (see Engine::watch).
    std::chrono::milliseconds watch_interval{0};
    // Called after every reload, explicit or by the watch, on the thread that reloaded, outside any
    // lock of the engine. It must not throw (what it throws is logged and dropped), and must not
    // call Engine::watch.
    std::function<void(const ReloadResult&)> on_reload;
    // Bounds on requests and rules files, each with its default in limits.hpp.
    Limits limits;
    // Plugin files and folders that someone other than their owner may write (group- or
    // world-writable), or that belong to neither root nor the user running the engine, are refused
    // unless this is set, as sudo and osquery refuse them: whoever can write a plugin runs code here.
    bool allow_untrusted_plugins{false};
    // Set: the engine serves rules_text->plugin alone (found in plugin_dirs as always, so that its
    // native checks are bound), with rules_text->text as its rules; rules_dirs are not read. Every
    // check and limit of a rules file applies. For trying a policy author's edit in a sandbox.
    std::optional<RulesText> rules_text;
};

struct LoadedPlugin {
    std::string name;
    std::string version;
    std::filesystem::path library;
    std::filesystem::path rules_file;
    std::vector<std::string> countries;
    std::string rules_digest;  // 16 hex digits (FNV-1a, 64 bits) of the rules file's bytes as loaded
    std::vector<std::string> sources;  // the rules file's `sources`: the pages it encodes
};

struct RefusedPlugin {
    std::filesystem::path path;  // the library, or the rules file when only that was at fault
    std::string reason;          // why, with file:line:column for rule errors
};

// What one set of rules in use was loaded from. Each successful load or reload makes a new one.
struct LoadReport {
    std::vector<LoadedPlugin> loaded;
    std::vector<RefusedPlugin> refused;
    std::uint64_t revision{0};  // 1 for the rules loaded at construction, then one more per applied reload
    // 16 hex digits naming what decides: every loaded plugin's name and version and its rules'
    // digest. Unlike `revision`, it is the same for the same plugins and rules in every process, so
    // that replicas, and decision logs written by them, can be compared.
    std::string digest;
};

// {"loaded": [{"name", "version", "countries", "library", "rules"}], "refused": [{"path", "reason"}],
// "revision", "digest"}; one line when indent < 0. What `telpolicy plugins --json` prints.
std::string to_json(const LoadReport& report, int indent = -1);

// Evaluates requests against an immutable snapshot of plugins and rules; a reload builds a new
// snapshot and swaps it in atomically. Every member function but the special ones may be called
// from any number of threads at once: an evaluation in flight finishes on the snapshot it started
// with, and never sees a mix of two. Engines share nothing: a process may hold several.
//
// Move-only. A moved-from engine answers every evaluation with a core.internal violation and every
// reload with an error; assign to it or destroy it.
class Engine {
public:
    // Loads every plugin found and its rules; a plugin that cannot be used is refused (see
    // load_report()) and the others still load. Throws only std::bad_alloc and std::system_error
    // (when the watch thread of options.watch_interval cannot start).
    explicit Engine(EngineOptions options);
    ~Engine();  // stops the watch, if any, and waits for it
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Never throws: bad input gives a decision with a request.invalid violation. A Request built in
    // C++ may give its country in either case, as the JSON may.
    [[nodiscard]] Decision evaluate(const Request& request) const noexcept;
    [[nodiscard]] Decision evaluate_json(std::string_view request_json) const noexcept;
    // Fills `decision` as evaluate(request) would, reusing its strings and vectors: a host that keeps
    // one Decision per thread decides without heap allocation once that Decision has grown to its
    // working size (a request that lists numbers still allocates for them). Never throws.
    void evaluate(const Request& request, Decision& decision) const noexcept;
    // The decision, plus every rule considered in order: matched, not matched (with the first
    // condition that failed) or not reached, each with its file:line:column. Never throws.
    [[nodiscard]] Explanation explain(const Request& request) const noexcept;
    [[nodiscard]] Explanation explain_json(std::string_view request_json) const noexcept;

    // The verdicts of the native checks that deciding `request` runs on its PIN (the plugin's
    // `pin.checks`, which run once the PIN has the characters its rules allow), in order, without
    // deciding; empty when none runs. Decision logs keep them in place of the PIN (pin_facts.hpp).
    // Never throws: empty when memory runs out.
    [[nodiscard]] std::vector<PinCheckVerdict> pin_check_verdicts(const Request& request) const noexcept;

    // JSON in, the contract's decision JSON out (one line when indent < 0). Never throws; the
    // result is empty only when memory ran out.
    [[nodiscard]] std::string evaluate_to_json(std::string_view request_json, int indent = -1) const noexcept;

    // Which plugins the rules in use were loaded from, and which were refused and why. A copy, so
    // that it stays valid across reloads.
    [[nodiscard]] LoadReport load_report() const;
    // The revision of the rules in use: 1 after construction, one more per applied reload.
    [[nodiscard]] std::uint64_t revision() const noexcept;

    // Reads the plugin folders and every rules file again, as the constructor does. The new rules
    // replace the old ones only when every rules file read is valid and every plugin in use still
    // finds its rules file; otherwise nothing changes and `errors` lists every problem with
    // file:line:column. A plugin library that cannot be loaded is refused, as at construction.
    // Reloads are serialized; evaluations go on meanwhile. Never throws.
    ReloadResult reload() noexcept;

    // Polls the plugin and rules folders every `interval` from a background thread and reloads when
    // a file was added, removed or modified (its size or time changed); options.on_reload and the
    // log hear the outcome. A new interval replaces the previous watch; zero stops it. Throws
    // std::system_error when the thread cannot start, std::logic_error when called from on_reload.
    void watch(std::chrono::milliseconds interval);
    [[nodiscard]] bool watching() const noexcept;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace telpolicy
