// The policy-author tools of authoring.hpp, over the rule loader, the analysis and the graph.
#include <telpolicy/authoring.hpp>

#include <algorithm>

#include "analysis/form_checks.hpp"
#include "analysis/rule_analysis.hpp"
#include "analysis/rule_graph.hpp"
#include "policy/rule_loader.hpp"

namespace telpolicy {

RulesCheck check_rules_file(const std::filesystem::path& file, const Limits& limits) {
    RuleLoadResult loaded = load_rules_file(file, limits);
    RulesCheck check;
    check.diagnostics = std::move(loaded.diagnostics);
    if (!loaded.value) return check;
    check.loaded = true;
    check.rule_count = loaded.value->rules.size();
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

RulesGraph draw_rules(const std::filesystem::path& file, GraphFormat format, const Limits& limits) {
    RuleLoadResult loaded = load_rules_file(file, limits);
    RulesGraph graph;
    if (loaded.value) graph.text = draw_rule_graph(*loaded.value, format);
    graph.diagnostics = std::move(loaded.diagnostics);
    return graph;
}

std::vector<std::string> rule_ids(const std::filesystem::path& file, const Limits& limits) {
    RuleLoadResult loaded = load_rules_file(file, limits);
    std::vector<std::string> ids;
    if (loaded.value) {
        for (const Rule& rule : loaded.value->rules) ids.push_back(rule.id);
    }
    return ids;
}

}  // namespace telpolicy
