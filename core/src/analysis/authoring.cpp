// The policy-author tools of authoring.hpp, over the rule loader, the analysis and the graph.
#include <telpolicy/authoring.hpp>

#include <algorithm>
#include <optional>

#include "analysis/form_checks.hpp"
#include "analysis/rule_analysis.hpp"
#include "analysis/rule_graph.hpp"
#include "policy/plugin_name.hpp"
#include "policy/rule_loader.hpp"

namespace telpolicy {
namespace {

// The engine finds a plugin's rules as <plugin>.yaml and refuses a file that names another plugin.
// A file whose name could not be a plugin's (a draft, "us-new.yaml") is one being worked on: no word;
// otherwise a warning, as a copy being edited under another name is not yet wrong.
std::optional<Diagnostic> file_name_mismatch(const RuleSet& rules, const std::filesystem::path& file) {
    const std::string stem = file.stem().string();
    if (!is_plugin_name(stem) || stem == rules.plugin) return std::nullopt;
    return Diagnostic{file.string(), rules.plugin_location.line, rules.plugin_location.column, Severity::warning,
                      "this file declares plugin '" + rules.plugin + "' but is named '" + file.filename().string() +
                          "': the engine reads plugin " + rules.plugin + "'s rules from '" + rules.plugin +
                          file.extension().string() + "' only, and would refuse this file as plugin " + stem +
                          "'s; rename the file, or set plugin: " + stem,
                      "file.plugin_name"};
}

// What takes effect and what ends at each instant the rules' dates name.
std::vector<ScheduledChange> schedule_of(const RuleSet& rules) {
    std::vector<ScheduledChange> schedule;
    for (const Instant instant : rules.change_instants) {
        ScheduledChange change{format_date_time(instant), {}};
        const auto note = [&](const EffectivePeriod& period, const std::string& what) {
            if (period.from == instant) change.changes.push_back(what + " takes effect");
            if (period.until == instant) change.changes.push_back(what + " ends");
        };
        for (const FormEntry& form : rules.forms) note(form.period, "form '" + form.form.id + "'");
        for (const ContactEntry& contact : rules.contacts) note(contact.period, "contact '" + contact.id + "'");
        for (const Rule& rule : rules.rules) note(rule.when.period, "rule '" + rule.id + "'");
        schedule.push_back(std::move(change));
    }
    return schedule;
}

}  // namespace

namespace {

// Validate's checks after loading: the file's name, the analysis and the form checks.
RulesCheck check_loaded(RuleLoadResult loaded, const std::filesystem::path& file) {
    RulesCheck check;
    check.diagnostics = std::move(loaded.diagnostics);
    if (!loaded.value) return check;
    if (auto mismatch = file_name_mismatch(*loaded.value, file)) check.diagnostics.push_back(std::move(*mismatch));
    check.loaded = true;
    check.rule_count = loaded.value->rules.size();
    check.schedule = schedule_of(*loaded.value);
    RuleAnalysis analysis = analyze_rules(*loaded.value, file.string());
    check.requests_examined = analysis.requests_examined;
    check.diagnostics.insert(check.diagnostics.end(), analysis.findings.begin(), analysis.findings.end());
    const auto form_findings = check_forms(*loaded.value, file.string());
    check.diagnostics.insert(check.diagnostics.end(), form_findings.begin(), form_findings.end());
    std::stable_sort(check.diagnostics.begin(), check.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    return check;
}

}  // namespace

RulesCheck check_rules_file(const std::filesystem::path& file, const Limits& limits) {
    return check_loaded(load_rules_file(file, limits), file);
}

RulesCheck check_rules_text(std::string_view text, const std::filesystem::path& file, const Limits& limits) {
    return check_loaded(load_rules_text(text, file.string(), limits), file);
}

namespace {

RulesGraph draw_loaded(RuleLoadResult loaded, GraphFormat format) {
    RulesGraph graph;
    if (loaded.value) graph.text = draw_rule_graph(*loaded.value, format);
    graph.diagnostics = std::move(loaded.diagnostics);
    return graph;
}

}  // namespace

RulesGraph draw_rules(const std::filesystem::path& file, GraphFormat format, const Limits& limits) {
    return draw_loaded(load_rules_file(file, limits), format);
}

RulesGraph draw_rules_text(std::string_view text, const std::filesystem::path& file, GraphFormat format,
                           const Limits& limits) {
    return draw_loaded(load_rules_text(text, file.string(), limits), format);
}

std::vector<RuleLocation> rule_locations(const std::filesystem::path& file, const Limits& limits) {
    RuleLoadResult loaded = load_rules_file(file, limits);
    std::vector<RuleLocation> rules;
    if (loaded.value) {
        for (const Rule& rule : loaded.value->rules) rules.push_back({rule.id, rule.location.line, rule.location.column});
    }
    return rules;
}

}  // namespace telpolicy
