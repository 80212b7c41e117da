// The engine: plugins and their rules loaded into an immutable snapshot, swapped atomically on
// reload; evaluation routes each request to its country's rule set in the snapshot it started with.
#include <telpolicy/engine.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <telpolicy/violation_codes.hpp>
#include <telpolicy/vocabulary.hpp>

#include "evaluation/decision_builder.hpp"
#include "evaluation/evaluator.hpp"
#include "evaluation/explain.hpp"
#include "runtime/plugin_loader.hpp"
#include "policy/rule_loader.hpp"
#include "text/suggestion.hpp"
#include "text/text_excerpt.hpp"

namespace telpolicy {
namespace {

constexpr std::uint16_t no_rule_set = 0xFFFF;

// Two-letter codes index a flat table: no hashing and no allocation on the hot path.
std::size_t country_slot(std::string_view code) noexcept {
    return static_cast<std::size_t>(code[0] - 'A') * 26 + static_cast<std::size_t>(code[1] - 'A');
}

bool is_ascii_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool is_ascii_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }

// A Request built in C++ may hold anything: what the country table relies on is checked here.
enum class CountryCode { invalid, upper_case, lower_case };

CountryCode country_code_of(const std::string& country) noexcept {
    const bool letters = country.size() == 2 && (is_ascii_upper(country[0]) || is_ascii_lower(country[0])) &&
                         (is_ascii_upper(country[1]) || is_ascii_lower(country[1]));
    if (!letters) return CountryCode::invalid;
    return is_ascii_upper(country[0]) && is_ascii_upper(country[1]) ? CountryCode::upper_case : CountryCode::lower_case;
}


std::optional<std::filesystem::path> find_rules_file(const std::vector<std::filesystem::path>& dirs,
                                                     const std::string& name) {
    for (const auto& dir : dirs) {
        std::error_code error;
        if (std::filesystem::is_regular_file(dir / name, error)) return dir / name;
    }
    return std::nullopt;
}

std::string join_lines(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const Diagnostic& d : diagnostics) {
        if (d.severity != Severity::error) continue;
        if (!out.empty()) out += "\n";
        out += d.to_string();
    }
    return out;
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
    return out;
}

std::string dirs_text(const std::vector<std::filesystem::path>& dirs) {
    std::string out;
    for (const auto& dir : dirs) out += (out.empty() ? "" : ", ") + dir.string();
    return out.empty() ? "(none)" : out;
}

// FNV-1a: a cheap, stable fingerprint for telling rule versions apart in reports, not a security hash.
std::string digest_of(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (std::size_t i = 0; i < 16; ++i) out[15 - i] = hex[(hash >> (4 * i)) & 0xF];
    return out;
}

// Loads a rules file and digests the very bytes that were compiled, so that the digest describes
// the rules in use even when the file changes meanwhile.
RuleLoadResult load_rules_with_digest(const std::filesystem::path& path, std::string& digest, const Limits& limits) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (!error && size <= limits.max_rules_file_bytes) {
        std::ifstream in(path, std::ios::binary);
        if (in.is_open()) {
            std::ostringstream text;
            if (size > 0) text << in.rdbuf();
            if (!in.bad()) {
                std::string bytes = std::move(text).str();
                digest = digest_of(bytes);
                if (bytes.size() <= limits.max_rules_file_bytes) return load_rules_text(bytes, path.string(), limits);
            }
        }
    }
    return load_rules_file(path, limits);  // reports why the file cannot be read, with its own wording
}

// Binds the checks `rules` names to `plugin`'s functions; says which one is missing, if any.
std::string bind_checks(RuleSet& rules, const PluginLibrary& plugin) {
    rules.pin.bound_checks.clear();
    for (const std::string& name : rules.pin.checks) {
        const auto found = std::find_if(plugin.checks.begin(), plugin.checks.end(),
                                        [&](const telpolicy_plugin_check& check) { return name == check.name; });
        if (found == plugin.checks.end()) {
            std::string offered;
            for (const telpolicy_plugin_check& check : plugin.checks) offered += (offered.empty() ? "" : ", ") + std::string(check.name);
            return "its rules call the check '" + name + "', which the plugin does not offer (it offers: " +
                   (offered.empty() ? "none" : offered) + ")";
        }
        rules.pin.bound_checks.push_back(found->check);
    }
    return {};
}

Diagnostic whole_file_error(std::string file, std::string message) {
    return {std::move(file), 0, 0, Severity::error, std::move(message)};
}

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

// What the watch compares between two polls: every file of the plugin and rules folders, with its
// size and modification time.
struct FileStamp {
    std::filesystem::path path;
    std::uintmax_t size{0};
    std::filesystem::file_time_type::rep time{0};
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};
using Fingerprint = std::vector<FileStamp>;

Fingerprint fingerprint_of(const EngineOptions& options) {
    Fingerprint stamps;
    const auto add_folder = [&](const std::filesystem::path& dir) {
        std::error_code error;
        for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
            const std::string name = it->path().filename().string();
            // Editors' swap and backup files come and go while one types; they are never rules.
            if (name.empty() || name.front() == '.' || name.back() == '~') continue;
            std::error_code stat_error;
            if (!it->is_regular_file(stat_error)) continue;
            FileStamp stamp{it->path(), std::filesystem::file_size(it->path(), stat_error), 0};
            stamp.time = std::filesystem::last_write_time(it->path(), stat_error).time_since_epoch().count();
            stamps.push_back(std::move(stamp));
        }
    };
    for (const auto& dir : options.plugin_dirs) add_folder(dir);
    for (const auto& dir : options.rules_dirs) add_folder(dir);
    std::sort(stamps.begin(), stamps.end(), [](const FileStamp& a, const FileStamp& b) { return a.path < b.path; });
    return stamps;
}

// Held while plugin libraries are loaded or unloaded. glibc already serializes dlopen and dlclose,
// with a lock ThreadSanitizer cannot see; this one shows it the order when engines on several
// threads, or an evaluation releasing the last snapshot, load and unload libraries at once. Constant-
// initialized, so that it outlives any engine, static ones included.
constinit std::mutex library_mutex;

// Everything one evaluation reads, immutable once built. It holds its plugin libraries loaded, and
// unloads them last: nothing taken from a plugin may outlive its library.
struct Snapshot {
    std::vector<PluginLibrary> libraries;
    LoadReport report;
    std::vector<RuleSet> rule_sets;
    std::vector<PluginIdentity> identities;  // parallel to rule_sets
    std::array<std::uint16_t, 26 * 26> rule_set_by_country{};
    // The common vocabulary and every word some loaded rules file knows (sorted): a word outside it
    // is request.invalid.
    std::vector<std::string> action_words;
    std::vector<std::string> number_type_words;
    // Why a country's plugin was refused, when one was: its requests are told so.
    std::vector<std::pair<std::string, std::string>> refused_countries;

    Snapshot() = default;
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;
    ~Snapshot() {
        rule_sets.clear();
        identities.clear();
        const std::lock_guard lock(library_mutex);
        libraries.clear();
    }

    // Decides `request` (country upper case) into `decision`; with a `trace`, records every step.
    void decide(const Request& request, Decision& decision, std::vector<TraceStep>* trace) const;
};

bool contains_sorted(const std::vector<std::string>& words, std::string_view word) noexcept {
    const auto it = std::lower_bound(words.begin(), words.end(), word,
                                     [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
    return it != words.end() && *it == word;
}

// The words of the request that no loaded rules file knows: request.invalid, with the known words.
std::optional<std::string> unknown_word(const Snapshot& snapshot, const Request& request) {
    const auto problem = [](std::string_view field, const std::string& word, const std::vector<std::string>& known) {
        std::string message = "field '" + std::string(field) + "' has the value \"" + printable_excerpt(word) +
                              "\", which no loaded plugin knows";
        const std::vector<std::string_view> views(known.begin(), known.end());
        if (const auto guess = closest_word(word, views)) message += "; did you mean '" + *guess + "'?";
        std::string list;
        for (const std::string& each : known) list += (list.empty() ? "" : ", ") + each;
        return message + " (known: " + (list.empty() ? std::string("none") : list) + ")";
    };
    if (!contains_sorted(snapshot.action_words, request.action)) return problem("action", request.action, snapshot.action_words);
    if (request.number_type && !contains_sorted(snapshot.number_type_words, *request.number_type)) {
        return problem("number_type", *request.number_type, snapshot.number_type_words);
    }
    return std::nullopt;
}

void Snapshot::decide(const Request& request, Decision& decision, std::vector<TraceStep>* trace) const {
    const std::uint16_t index = rule_set_by_country[country_slot(request.country)];
    // The country's own words are the usual case, and need no look-up in the engine's vocabulary. A
    // country no plugin serves is country.unsupported whatever its words: no rules say what they mean.
    if (index != no_rule_set && !resolve_words(rule_sets[index], request)) {
        if (std::optional<std::string> problem = unknown_word(*this, request)) {
            decision = Decision::invalid_request(std::move(*problem));
            return;
        }
    }
    if (index == no_rule_set) {
        DecisionBuilder out(decision);
        Violation& violation = out.add_violation(violation_code::country_unsupported, "core.country");
        const auto refused = std::find_if(refused_countries.begin(), refused_countries.end(),
                                          [&](const auto& entry) { return entry.first == request.country; });
        if (refused != refused_countries.end()) {
            violation.message.assign("the plugin for country ").append(request.country).append(" was refused: ").append(refused->second);
        } else {
            violation.message.assign("no loaded plugin serves country ").append(request.country);
        }
        out.add_matched_rule("core.country");
        out.set_action(request.action);
        decision.plugin.reset();
    } else {
        decision.plugin = identities[index];
        if (trace != nullptr) {
            explain_rules(rule_sets[index], request, decision, *trace);
        } else {
            evaluate_rules(rule_sets[index], request, decision);
        }
    }
    decision.country = request.country;
}

// Builds a snapshot from the folders of `options`. A plugin that cannot be used is refused and the
// others load, as at construction; the problems that must stop a reload (a rules file with an
// error, a plugin of `in_use` that no longer finds its rules file) are also added to `errors`.
std::shared_ptr<Snapshot> build_snapshot(const EngineOptions& options, spdlog::logger& log, const Snapshot* in_use,
                                         std::uint64_t revision, std::vector<Diagnostic>& errors) {
    auto snapshot = std::make_shared<Snapshot>();
    Snapshot& next = *snapshot;
    next.report.revision = revision;
    next.rule_set_by_country.fill(no_rule_set);
    const auto in_use_by = [&](std::string_view name) {
        return in_use != nullptr && std::any_of(in_use->report.loaded.begin(), in_use->report.loaded.end(),
                                                [&](const LoadedPlugin& loaded) { return loaded.name == name; });
    };

    PluginDiscovery discovery;
    {
        const std::lock_guard lock(library_mutex);
        discovery = discover_plugins(options.plugin_dirs, log, options.allow_untrusted_plugins);
    }
    next.report.refused = std::move(discovery.refused);
    for (PluginLibrary& plugin : discovery.plugins) {
        const telpolicy_plugin_descriptor& descriptor = *plugin.descriptor;
        const auto refuse = [&](std::filesystem::path path, std::string reason) {
            log.warn("plugin {} refused: {}", plugin.path.string(), reason);
            // Its countries' requests say why (the first line of the reason; the log has the rest).
            const std::string first_line = reason.substr(0, reason.find('\n'));
            for (const std::string& country : plugin.countries) {
                if (country_code_of(country) != CountryCode::upper_case) continue;
                next.refused_countries.emplace_back(country, "plugin '" + std::string(descriptor.name) + "' (" +
                                                                 path.filename().string() + "): " + first_line);
            }
            next.report.refused.push_back({std::move(path), std::move(reason)});
        };
        const auto same_name = std::find_if(next.report.loaded.begin(), next.report.loaded.end(),
                                            [&](const LoadedPlugin& loaded) { return loaded.name == descriptor.name; });
        if (same_name != next.report.loaded.end()) {
            refuse(plugin.path, "a plugin named '" + same_name->name + "' is already loaded from " +
                                    same_name->library.string());
            continue;
        }
        const auto rules_path = find_rules_file(options.rules_dirs, descriptor.rules_file);
        if (!rules_path) {
            std::string reason = "its rules file " + std::string(descriptor.rules_file) +
                                 " is in none of the rules directories: " + dirs_text(options.rules_dirs);
            if (in_use_by(descriptor.name)) {
                errors.push_back(whole_file_error(descriptor.rules_file,
                                                  "the rules file of plugin '" + std::string(descriptor.name) +
                                                      "' is in none of the rules directories: " +
                                                      dirs_text(options.rules_dirs)));
            }
            refuse(plugin.path, std::move(reason));
            continue;
        }
        std::string digest;
        RuleLoadResult loaded_rules = load_rules_with_digest(*rules_path, digest, options.limits);
        for (const Diagnostic& d : loaded_rules.diagnostics) {
            if (d.severity == Severity::warning) log.warn("{}", d.to_string());
        }
        if (!loaded_rules.rules) {
            for (const Diagnostic& d : loaded_rules.diagnostics) {
                if (d.severity == Severity::error) errors.push_back(d);
            }
            refuse(plugin.path, "its rules file is invalid: " + join_lines(loaded_rules.diagnostics));
            continue;
        }
        RuleSet& rules = *loaded_rules.rules;
        if (rules.plugin != descriptor.name) {
            errors.push_back(whole_file_error(rules_path->string(), "the rules file is for plugin '" + rules.plugin +
                                                                        "', not '" + descriptor.name + "'"));
            refuse(plugin.path, "its rules file " + rules_path->string() + " is for plugin '" + rules.plugin +
                                    "', not '" + descriptor.name + "'");
            continue;
        }
        if (std::multiset<std::string>(rules.countries.begin(), rules.countries.end()) !=
            std::multiset<std::string>(plugin.countries.begin(), plugin.countries.end())) {
            errors.push_back(whole_file_error(rules_path->string(),
                                              "the rules file's countries (" + join_words(rules.countries) +
                                                  ") differ from those plugin '" + descriptor.name + "' serves (" +
                                                  join_words(plugin.countries) + ")"));
            refuse(plugin.path, "the countries of its rules file " + rules_path->string() +
                                    " differ from those its descriptor serves");
            continue;
        }
        // The rules call the plugin's native checks by name: bind each to the plugin's function.
        if (std::string missing = bind_checks(rules, plugin); !missing.empty()) {
            errors.push_back(whole_file_error(rules_path->string(), missing));
            refuse(plugin.path, missing);
            continue;
        }
        // Two plugins for one country: the first in load order keeps it, and the message names both.
        std::string clash;
        for (const std::string& country : plugin.countries) {
            const std::uint16_t owner = next.rule_set_by_country[country_slot(country)];
            if (owner != no_rule_set) {
                clash = "country " + country + " is already served by plugin '" + next.identities[owner].name +
                        "' from " + next.report.loaded[owner].library.string();
                break;
            }
        }
        if (!clash.empty()) {
            refuse(plugin.path, clash);
            continue;
        }
        const auto index = static_cast<std::uint16_t>(next.rule_sets.size());
        for (const std::string& country : plugin.countries) next.rule_set_by_country[country_slot(country)] = index;
        next.identities.push_back({descriptor.name, descriptor.version});
        next.report.loaded.push_back(
            {descriptor.name, descriptor.version, plugin.path, *rules_path, plugin.countries, std::move(digest)});
        log.info("loaded plugin {} {} from {} with rules {} for {}", descriptor.name, descriptor.version,
                 plugin.path.string(), rules_path->string(), join_words(plugin.countries));
        next.rule_sets.push_back(std::move(rules));
        next.libraries.push_back(std::move(plugin));
    }
    {
        const std::lock_guard lock(library_mutex);
        discovery.plugins.clear();  // the refused ones; the others moved into the snapshot
    }
    // The contract's common vocabulary is known to every engine: a word of it that a country does not
    // offer is action.unsupported, whichever plugins are loaded. Each plugin adds its own words.
    next.action_words.assign(std::begin(common_vocabulary::actions), std::end(common_vocabulary::actions));
    next.number_type_words.assign(std::begin(common_vocabulary::number_types), std::end(common_vocabulary::number_types));
    for (const common_vocabulary::Synonym& synonym : common_vocabulary::synonyms) {
        next.number_type_words.emplace_back(synonym.word);
    }
    for (const RuleSet& rules : next.rule_sets) {
        for (std::string& word : rules.words.action_words()) next.action_words.push_back(std::move(word));
        for (std::string& word : rules.words.number_type_words()) next.number_type_words.push_back(std::move(word));
    }
    for (auto* words : {&next.action_words, &next.number_type_words}) {
        std::sort(words->begin(), words->end());
        words->erase(std::unique(words->begin(), words->end()), words->end());
    }
    std::string identity;
    for (const LoadedPlugin& loaded : next.report.loaded) {
        identity.append(loaded.name).append(1, '\0').append(loaded.version).append(1, '\0');
        identity.append(loaded.rules_digest).append(1, '\n');
    }
    next.report.digest = digest_of(identity);
    return snapshot;
}

// Holds the snapshot in use. A mutex held for a pointer copy rather than
// std::atomic<std::shared_ptr>: libstdc++ 12's load() releases its lock bit with a relaxed store, so
// nothing orders its read before the next store's write, and ThreadSanitizer rightly reports a race.
class SnapshotSlot {
public:
    [[nodiscard]] std::shared_ptr<const Snapshot> load() const noexcept {
        const std::lock_guard lock(mutex_);
        return snapshot_;
    }
    // Puts `next` in use and returns the snapshot it replaces, for the caller to release outside the lock.
    std::shared_ptr<const Snapshot> exchange(std::shared_ptr<const Snapshot> next) noexcept {
        const std::lock_guard lock(mutex_);
        snapshot_.swap(next);
        generation_.fetch_add(1, std::memory_order_release);
        return next;
    }

    // The snapshot in use, as this thread last took it while the slot has not changed since: the hot
    // path is one atomic load, without the mutex or reference-count traffic shared by all threads.
    // The reference stays valid until this thread's next call. A thread keeps the snapshot it last
    // used alive until it evaluates again with a newer one or ends.
    [[nodiscard]] const Snapshot& load_for_this_thread() const {
        struct Entry {
            std::uint64_t slot{0};
            std::uint64_t generation{0};
            std::shared_ptr<const Snapshot> snapshot;
        };
        thread_local std::array<Entry, 4> cache;  // a few engines per thread; the oldest is evicted
        thread_local std::size_t next_victim = 0;
        const std::uint64_t generation = generation_.load(std::memory_order_acquire);
        for (Entry& entry : cache) {
            if (entry.slot == id_ && entry.generation == generation) return *entry.snapshot;
        }
        Entry* entry = std::find_if(cache.begin(), cache.end(), [&](const Entry& e) { return e.slot == id_; });
        if (entry == cache.end()) {
            entry = &cache[next_victim];
            next_victim = (next_victim + 1) % cache.size();
        }
        std::shared_ptr<const Snapshot> fresh = load();
        entry->slot = id_;
        entry->generation = generation;
        entry->snapshot = std::move(fresh);
        return *entry->snapshot;
    }

private:
    static std::uint64_t next_id() noexcept {
        static std::atomic<std::uint64_t> counter{0};
        return counter.fetch_add(1, std::memory_order_relaxed) + 1;
    }

    mutable std::mutex mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::atomic<std::uint64_t> generation_{0};
    const std::uint64_t id_ = next_id();  // never reused, unlike the slot's address
};

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
