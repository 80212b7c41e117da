// A snapshot: everything one evaluation reads (plugin libraries, rule sets, the country table, the
// vocabulary), immutable once built and swapped whole on reload.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <telpolicy/decision.hpp>
#include <telpolicy/engine.hpp>
#include <telpolicy/explanation.hpp>
#include <telpolicy/request.hpp>

#include "policy/rule_set.hpp"
#include "runtime/plugin_loader.hpp"

namespace telpolicy {

inline constexpr std::uint16_t no_rule_set = 0xFFFF;

// Held while plugin libraries are loaded or unloaded. glibc already serializes dlopen and dlclose,
// with a lock ThreadSanitizer cannot see; this one shows it the order when engines on several
// threads, or an evaluation releasing the last snapshot, load and unload libraries at once.
// Constant-initialized, so that it outlives any engine, static ones included.
extern std::mutex library_mutex;

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

}  // namespace telpolicy
