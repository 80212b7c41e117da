// The engine: plugins and their rules loaded once at construction, then immutable; evaluation
// routes each request to its country's rule set.
#include <telpolicy/engine.hpp>

#include <algorithm>
#include <array>
#include <set>

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <telpolicy/violation_codes.hpp>

#include "evaluator.hpp"
#include "plugin_loader.hpp"
#include "rule_loader.hpp"

namespace telpolicy {
namespace {

constexpr std::uint16_t no_rule_set = 0xFFFF;

// Two-letter codes index a flat table: no hashing and no allocation on the hot path.
std::size_t country_slot(std::string_view code) noexcept {
    return static_cast<std::size_t>(code[0] - 'A') * 26 + static_cast<std::size_t>(code[1] - 'A');
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

}  // namespace

struct Engine::State {
    std::shared_ptr<spdlog::logger> log;
    LoadReport report;
    std::vector<PluginLibrary> libraries;  // kept loaded for the engine's lifetime
    std::vector<RuleSet> rule_sets;
    std::vector<PluginIdentity> identities;  // parallel to rule_sets
    std::array<std::uint16_t, 26 * 26> rule_set_by_country{};

    void load(const EngineOptions& options);
    Decision decide(const Request& request) const;
};

void Engine::State::load(const EngineOptions& options) {
    rule_set_by_country.fill(no_rule_set);
    PluginDiscovery discovery = discover_plugins(options.plugin_dirs, *log);
    report.refused = std::move(discovery.refused);
    for (PluginLibrary& plugin : discovery.plugins) {
        const telpolicy_plugin_descriptor& descriptor = *plugin.descriptor;
        const auto refuse = [&](std::filesystem::path path, std::string reason) {
            log->warn("plugin {} refused: {}", plugin.path.string(), reason);
            report.refused.push_back({std::move(path), std::move(reason)});
        };
        const auto same_name = std::find_if(report.loaded.begin(), report.loaded.end(),
                                            [&](const LoadedPlugin& loaded) { return loaded.name == descriptor.name; });
        if (same_name != report.loaded.end()) {
            refuse(plugin.path, "a plugin named '" + same_name->name + "' is already loaded from " +
                                    same_name->library.string());
            continue;
        }
        const auto rules_path = find_rules_file(options.rules_dirs, descriptor.rules_file);
        if (!rules_path) {
            refuse(plugin.path, "its rules file " + std::string(descriptor.rules_file) +
                                    " is in none of the rules directories: " + dirs_text(options.rules_dirs));
            continue;
        }
        RuleLoadResult loaded_rules = load_rules_file(*rules_path);
        for (const Diagnostic& d : loaded_rules.diagnostics) {
            if (d.severity == Severity::warning) log->warn("{}", d.to_string());
        }
        if (!loaded_rules.rules) {
            refuse(plugin.path, "its rules file is invalid:\n" + join_lines(loaded_rules.diagnostics));
            continue;
        }
        RuleSet& rules = *loaded_rules.rules;
        if (rules.plugin != descriptor.name) {
            refuse(plugin.path, "its rules file " + rules_path->string() + " is for plugin '" + rules.plugin +
                                    "', not '" + descriptor.name + "'");
            continue;
        }
        if (std::multiset<std::string>(rules.countries.begin(), rules.countries.end()) !=
            std::multiset<std::string>(plugin.countries.begin(), plugin.countries.end())) {
            refuse(plugin.path, "the countries of its rules file " + rules_path->string() +
                                    " differ from those its descriptor serves");
            continue;
        }
        // Two plugins for one country: the first in load order keeps it, and the message names both.
        std::string clash;
        for (const std::string& country : plugin.countries) {
            const std::uint16_t owner = rule_set_by_country[country_slot(country)];
            if (owner != no_rule_set) {
                clash = "country " + country + " is already served by plugin '" + identities[owner].name +
                        "' from " + report.loaded[owner].library.string();
                break;
            }
        }
        if (!clash.empty()) {
            refuse(plugin.path, clash);
            continue;
        }
        const auto index = static_cast<std::uint16_t>(rule_sets.size());
        for (const std::string& country : plugin.countries) rule_set_by_country[country_slot(country)] = index;
        identities.push_back({descriptor.name, descriptor.version});
        report.loaded.push_back({descriptor.name, descriptor.version, plugin.path, *rules_path, plugin.countries});
        log->info("loaded plugin {} {} from {} with rules {} for {}", descriptor.name, descriptor.version,
                  plugin.path.string(), rules_path->string(), join_words(plugin.countries));
        rule_sets.push_back(std::move(rules));
        libraries.push_back(std::move(plugin));
    }
}

Decision Engine::State::decide(const Request& request) const {
    Decision decision;
    decision.country = request.country;
    decision.action = request.action;
    const std::uint16_t index = rule_set_by_country[country_slot(request.country)];
    if (index == no_rule_set) {
        decision.violations.push_back({std::string(violation_code::country_unsupported),
                                       "no loaded plugin serves country " + request.country, "core.country"});
        decision.matched_rules.emplace_back("core.country");
        return decision;
    }
    decision.plugin = identities[index];
    evaluate_rules(rule_sets[index], request, decision);
    return decision;
}

Engine::Engine(EngineOptions options) : state_(std::make_unique<State>()) {
    state_->log = options.logger ? options.logger
                                 : std::make_shared<spdlog::logger>("telpolicy", std::make_shared<spdlog::sinks::null_sink_mt>());
    state_->load(options);
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

Decision Engine::evaluate(const Request& request) const noexcept {
    try {
        // A Request built in C++ may hold anything: check what the table lookup relies on.
        const bool country_ok = request.country.size() == 2 && request.country[0] >= 'A' && request.country[0] <= 'Z' &&
                                request.country[1] >= 'A' && request.country[1] <= 'Z';
        if (!country_ok) {
            Decision decision;
            decision.violations.push_back({std::string(violation_code::request_invalid),
                                           "field 'country' must be an upper-case ISO 3166-1 alpha-2 code",
                                           "core.request"});
            decision.matched_rules.emplace_back("core.request");
            return decision;
        }
        Decision decision = state_->decide(request);
        if (state_->log->should_log(spdlog::level::debug)) {
            std::string codes;
            for (const Violation& v : decision.violations) codes += (codes.empty() ? "" : ",") + v.code;
            state_->log->debug("decided {} {}: allowed={} violations=[{}]", request.country, to_string(request.action),
                               decision.allowed(), codes);
        }
        return decision;
    } catch (const std::exception&) {
        Decision decision;
        decision.violations.push_back(
            {"core.internal", "the engine could not decide this request (out of memory)", "core.internal"});
        return decision;
    }
}

Decision Engine::evaluate_json(std::string_view request_json) const noexcept {
    ParsedRequest parsed = parse_request(request_json);
    if (parsed.request) return evaluate(*parsed.request);
    try {
        Decision decision;
        decision.violations.push_back(
            {std::string(violation_code::request_invalid), std::move(parsed.error), "core.request"});
        decision.matched_rules.emplace_back("core.request");
        state_->log->debug("invalid request: {}", decision.violations.front().message);
        return decision;
    } catch (const std::exception&) {
        return Decision{};
    }
}

const LoadReport& Engine::load_report() const noexcept { return state_->report; }

}  // namespace telpolicy
