// Building snapshots: plugin acceptance, one check after another, each refusal with its reason.
#include "runtime/snapshot_builder.hpp"

#include <algorithm>
#include <set>

#include <telpolicy/vocabulary.hpp>

#include "policy/rule_loader.hpp"
#include "runtime/country_code.hpp"
#include "runtime/rules_loading.hpp"
#include "text/fingerprint.hpp"

namespace telpolicy {
namespace {

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

// As load_rules_file reads a file, bounded by the same limit, from memory.
RuleLoadResult load_rules_in_memory(const RulesText& rules, const Limits& limits) {
    if (rules.text.size() > limits.max_rules_file_bytes) {
        RuleLoadResult refused;
        refused.diagnostics.push_back(whole_file_error(
            rules.file_name.string(), "the rules are " + std::to_string(rules.text.size()) +
                                          " bytes, more than the limit of " + std::to_string(limits.max_rules_file_bytes) +
                                          " (change it with --max-rules-file-bytes)"));
        return refused;
    }
    RuleLoadResult loaded = load_rules_text(rules.text, rules.file_name.string(), limits);
    loaded.digest = digest_of(rules.text);
    return loaded;
}

}  // namespace

Diagnostic whole_file_error(std::string file, std::string message) {
    return {std::move(file), 0, 0, Severity::error, std::move(message)};
}

std::string dirs_text(const std::vector<std::filesystem::path>& dirs) {
    std::string out;
    for (const auto& dir : dirs) out += (out.empty() ? "" : ", ") + dir.string();
    return out.empty() ? "(none)" : out;
}

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
        // Rules in memory are one plugin's: the other libraries are let go at once.
        if (options.rules_text) {
            std::erase_if(discovery.plugins, [&](const PluginLibrary& plugin) {
                return plugin.descriptor->name != options.rules_text->plugin;
            });
        }
    }
    next.report.refused = std::move(discovery.refused);
    if (options.rules_text && discovery.plugins.empty()) {
        next.report.refused.push_back({options.rules_text->file_name, "no plugin named '" + options.rules_text->plugin +
                                                                          "' in " + dirs_text(options.plugin_dirs)});
    }
    std::vector<std::optional<std::filesystem::path>> rules_paths;
    std::vector<std::optional<RuleLoadResult>> rules_results;
    if (options.rules_text) {
        for (std::size_t i = 0; i < discovery.plugins.size(); ++i) {
            rules_paths.emplace_back(options.rules_text->file_name);
            rules_results.emplace_back(load_rules_in_memory(*options.rules_text, options.limits));
        }
    } else {
        for (const PluginLibrary& plugin : discovery.plugins) {
            rules_paths.push_back(find_rules_file(options.rules_dirs, plugin.descriptor->rules_file));
        }
        rules_results = load_rules_files(rules_paths, options.limits);
    }
    for (std::size_t plugin_index = 0; plugin_index < discovery.plugins.size(); ++plugin_index) {
        PluginLibrary& plugin = discovery.plugins[plugin_index];
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
        const auto& rules_path = rules_paths[plugin_index];
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
        RuleLoadResult loaded_rules = std::move(*rules_results[plugin_index]);
        std::string digest = loaded_rules.digest;
        for (const Diagnostic& d : loaded_rules.diagnostics) {
            if (d.severity == Severity::warning) log.warn("{}", d.to_string());
        }
        if (!loaded_rules.value) {
            for (const Diagnostic& d : loaded_rules.diagnostics) {
                if (d.severity == Severity::error) errors.push_back(d);
            }
            refuse(plugin.path, "its rules file is invalid: " + join_lines(loaded_rules.diagnostics));
            continue;
        }
        RuleSet& rules = *loaded_rules.value;
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
            refuse(plugin.path, "the countries of its rules file " + rules_path->string() + " (" +
                                    join_words(rules.countries) + ") differ from those its descriptor serves (" +
                                    join_words(plugin.countries) + ")");
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
            {descriptor.name, descriptor.version, plugin.path, *rules_path, plugin.countries, std::move(digest), rules.sources});
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

}  // namespace telpolicy
