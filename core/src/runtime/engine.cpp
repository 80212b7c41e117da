// The Engine API: a snapshot in use, swapped whole on reload (one at a time, all or nothing), a
// watch that reloads when the folders change, and evaluation in the snapshot a request started with.
#include <telpolicy/engine.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include "evaluation/pin_check.hpp"
#include "request/request_parser.hpp"
#include "runtime/country_code.hpp"
#include "runtime/folder_fingerprint.hpp"
#include "runtime/snapshot_builder.hpp"
#include "runtime/snapshot_slot.hpp"
#include "text/text_excerpt.hpp"

namespace telpolicy {
namespace {

// The last resort of the noexcept entry points: when even this cannot be built, an empty decision.
Decision internal_error(const char* message) noexcept {
    try {
        Decision decision;
        decision.violations.push_back({"core.internal", message, "core.internal"});
        return decision;
    } catch (...) {
        return Decision{};
    }
}

}  // namespace

struct Engine::State {
    EngineOptions options;  // read-only after construction, by reloads and the watch
    std::shared_ptr<spdlog::logger> log;
    // The snapshot in use. Evaluations load it once and keep their copy to the end; reloads exchange.
    SnapshotSlot current;

    std::mutex reload_mutex;       // one reload at a time; guards last_fingerprint
    Fingerprint last_fingerprint;  // the folders as they were just before the last load began

    std::mutex watch_control_mutex;  // serializes watch() calls
    std::mutex watch_mutex;          // guards watch_stop
    std::condition_variable watch_wakeup;
    bool watch_stop{false};
    std::thread watch_thread;
    std::atomic<std::thread::id> watch_thread_id{};
    std::atomic<bool> watch_running{false};

    explicit State(EngineOptions engine_options);
    ~State();
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    ReloadResult reload() noexcept;
    void watch(std::chrono::milliseconds interval);
    void stop_watch() noexcept;
    void watch_loop(std::chrono::milliseconds interval) noexcept;
    void report_reload(const ReloadResult& result) noexcept;
};

Engine::State::State(EngineOptions engine_options) : options(std::move(engine_options)) {
    log = options.logger ? options.logger
                         : std::make_shared<spdlog::logger>("telpolicy", std::make_shared<spdlog::sinks::null_sink_mt>());
    last_fingerprint = fingerprint_of(options);
    // At construction nothing is in use yet: every problem is a refusal, reported in load_report().
    std::vector<Diagnostic> ignored;
    current.exchange(build_snapshot(options, *log, nullptr, 1, ignored));
}

Engine::State::~State() { stop_watch(); }

ReloadResult Engine::State::reload() noexcept {
    ReloadResult result;
    try {
        std::shared_ptr<const Snapshot> replaced;  // released after the lock, not under it
        {
            const std::lock_guard lock(reload_mutex);
            // Taken before reading, so that an edit made during the reload is seen by the next poll.
            Fingerprint before = fingerprint_of(options);
            const std::shared_ptr<const Snapshot> in_use = current.load();
            std::vector<Diagnostic> errors;
            std::shared_ptr<const Snapshot> next =
                build_snapshot(options, *log, in_use.get(), in_use->report.revision + 1, errors);
            last_fingerprint = std::move(before);
            if (errors.empty()) {
                result.applied = true;
                result.revision = next->report.revision;
                replaced = current.exchange(std::move(next));
            } else {
                result.revision = in_use->report.revision;
                result.errors = std::move(errors);
            }
        }
    } catch (const std::exception& error) {
        result.applied = false;
        result.revision = current.load()->report.revision;
        try {
            result.errors.push_back(whole_file_error("", std::string("the reload failed: ") + error.what()));
        } catch (...) {
        }
    }
    report_reload(result);
    return result;
}

void Engine::State::report_reload(const ReloadResult& result) noexcept {
    try {
        if (result.applied) {
            log->info("rules reloaded: revision {} in use", result.revision);
        } else {
            log->error("rules reload failed; revision {} stays in use", result.revision);
            for (const Diagnostic& error : result.errors) log->error("{}", error.to_string());
        }
        if (options.on_reload) options.on_reload(result);
    } catch (const std::exception& error) {
        try {
            log->error("the on_reload callback threw: {}", error.what());
        } catch (...) {
        }
    } catch (...) {
        try {
            log->error("the on_reload callback threw");
        } catch (...) {
        }
    }
}

void Engine::State::watch(std::chrono::milliseconds interval) {
    if (watch_thread_id.load() == std::this_thread::get_id()) {
        throw std::logic_error("telpolicy::Engine::watch cannot be called from the on_reload callback");
    }
    const std::lock_guard control(watch_control_mutex);
    stop_watch();
    if (interval <= std::chrono::milliseconds::zero()) return;
    {
        const std::lock_guard lock(watch_mutex);
        watch_stop = false;
    }
    watch_thread = std::thread([this, interval] { watch_loop(interval); });
    watch_thread_id = watch_thread.get_id();
    watch_running = true;
    log->info("watching {} and {} every {} ms", dirs_text(options.plugin_dirs), dirs_text(options.rules_dirs),
              interval.count());
}

void Engine::State::stop_watch() noexcept {
    if (!watch_thread.joinable()) return;
    {
        const std::lock_guard lock(watch_mutex);
        watch_stop = true;
    }
    watch_wakeup.notify_all();
    try {
        watch_thread.join();
    } catch (...) {
        watch_thread.detach();  // not reachable: the watch thread never stops itself
    }
    watch_thread_id = std::thread::id{};
    watch_running = false;
}

void Engine::State::watch_loop(std::chrono::milliseconds interval) noexcept {
    std::unique_lock lock(watch_mutex);
    while (!watch_wakeup.wait_for(lock, interval, [this] { return watch_stop; })) {
        lock.unlock();
        try {
            const Fingerprint now = fingerprint_of(options);
            bool changed = false;
            {
                const std::lock_guard reload_lock(reload_mutex);
                changed = now != last_fingerprint;
            }
            if (changed) {
                log->info("a plugin or rules file changed: reloading");
                (void)reload();
            }
        } catch (const std::exception& error) {
            try {
                log->error("the rules watch could not poll its folders: {}", error.what());
            } catch (...) {
            }
        }
        lock.lock();
    }
}

Engine::Engine(EngineOptions options) : state_(std::make_unique<State>(std::move(options))) {
    if (state_->options.watch_interval > std::chrono::milliseconds::zero()) state_->watch(state_->options.watch_interval);
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

namespace {

// Rare (JSON requests arrive upper-cased): a copy keeps the caller's request untouched.
Request with_upper_case_country(const Request& request) {
    Request upper = request;
    for (char& c : upper.country) c = is_ascii_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
    return upper;
}

Decision invalid_country() {
    return Decision::invalid_request("field 'country' must be an ISO 3166-1 alpha-2 code");
}

}  // namespace

Decision Engine::evaluate(const Request& request) const noexcept {
    Decision decision;
    evaluate(request, decision);
    return decision;
}

void Engine::evaluate(const Request& request, Decision& decision) const noexcept {
    if (!state_) {
        decision = internal_error("this engine was moved from");
        return;
    }
    try {
        switch (country_code_of(request.country)) {
            case CountryCode::invalid: decision = invalid_country(); return;
            case CountryCode::lower_case: evaluate(with_upper_case_country(request), decision); return;
            case CountryCode::upper_case: break;
        }
        // One snapshot per evaluation: the whole decision comes from it, whatever reloads do.
        const Snapshot& snapshot = state_->current.load_for_this_thread();
        snapshot.decide(request, decision, nullptr);
        if (state_->log->should_log(spdlog::level::debug)) {
            std::string codes;
            for (const Violation& v : decision.violations) codes += (codes.empty() ? "" : ",") + v.code;
            state_->log->debug("decided {} {}: allowed={} violations=[{}] revision={}", request.country,
                               printable_excerpt(request.action), decision.allowed(), codes, snapshot.report.revision);
        }
    } catch (const std::exception&) {
        decision = internal_error("the engine could not decide this request (out of memory)");
    }
}

std::vector<PinCheckVerdict> Engine::pin_check_verdicts(const Request& request) const noexcept {
    if (!state_) return {};
    try {
        switch (country_code_of(request.country)) {
            case CountryCode::invalid: return {};
            case CountryCode::lower_case: return pin_check_verdicts(with_upper_case_country(request));
            case CountryCode::upper_case: break;
        }
        const Snapshot& snapshot = state_->current.load_for_this_thread();
        const std::uint16_t index = snapshot.rule_set_by_country[country_slot(request.country)];
        if (index == no_rule_set) return {};
        return native_check_verdicts(snapshot.rule_sets[index], request);
    } catch (const std::exception&) {
        return {};
    }
}

Explanation Engine::explain(const Request& request) const noexcept {
    Explanation explanation;
    if (!state_) {
        explanation.decision = internal_error("this engine was moved from");
        return explanation;
    }
    try {
        switch (country_code_of(request.country)) {
            case CountryCode::invalid: explanation.decision = invalid_country(); return explanation;
            case CountryCode::lower_case: return explain(with_upper_case_country(request));
            case CountryCode::upper_case: break;
        }
        state_->current.load()->decide(request, explanation.decision, &explanation.trace);
    } catch (const std::exception&) {
        explanation.trace.clear();
        explanation.decision = internal_error("the engine could not explain this request (out of memory)");
    }
    return explanation;
}

Explanation Engine::explain_json(std::string_view request_json) const noexcept {
    if (!state_) return {internal_error("this engine was moved from"), {}};
    ParsedRequest parsed = parse_request(request_json, state_->options.limits);
    if (parsed.request) return explain(*parsed.request);
    try {
        return {Decision::invalid_request(std::move(parsed.error)), {}};
    } catch (const std::exception&) {
        return {internal_error("the engine could not explain this request (out of memory)"), {}};
    }
}

Decision Engine::evaluate_json(std::string_view request_json) const noexcept {
    if (!state_) return internal_error("this engine was moved from");
    ParsedRequest parsed = parse_request(request_json, state_->options.limits);
    if (parsed.request) return evaluate(*parsed.request);
    try {
        Decision decision = Decision::invalid_request(std::move(parsed.error));
        state_->log->debug("invalid request: {}", decision.violations.front().message);
        return decision;
    } catch (const std::exception&) {
        return internal_error("the engine could not decide this request (out of memory)");
    }
}

std::string Engine::evaluate_to_json(std::string_view request_json, int indent) const noexcept {
    try {
        return to_json(evaluate_json(request_json), indent);
    } catch (...) {
        return {};
    }
}

LoadReport Engine::load_report() const {
    if (!state_) return {};
    return state_->current.load()->report;
}

std::uint64_t Engine::revision() const noexcept {
    if (!state_) return 0;
    // As evaluations read the snapshot: a host may ask on every request (the decision service does).
    return state_->current.load_for_this_thread().report.revision;
}

ReloadResult Engine::reload() noexcept {
    if (!state_) {
        ReloadResult result;
        try {
            result.errors.push_back(whole_file_error("", "this engine was moved from"));
        } catch (...) {
        }
        return result;
    }
    return state_->reload();
}

void Engine::watch(std::chrono::milliseconds interval) {
    if (!state_) throw std::logic_error("telpolicy::Engine::watch on an engine that was moved from");
    state_->watch(interval);
}

bool Engine::watching() const noexcept { return state_ && state_->watch_running.load(); }

}  // namespace telpolicy
