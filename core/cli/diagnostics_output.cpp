// The three outputs of validate, from one list of checked files.
#include "diagnostics_output.hpp"

#include "file_uri.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include <telpolicy/diagnostic_codes.hpp>

namespace telpolicy::cli {
namespace {

using json = nlohmann::ordered_json;  // keys in the order written, for people reading it too

std::string_view severity_word(Severity severity) { return severity == Severity::error ? "error" : "warning"; }

json position(int value) { return value > 0 ? json(value) : json(nullptr); }

}  // namespace

json diagnostics_json(const std::vector<CheckedFile>& files) {
    json out{{"files", json::array()}, {"diagnostics", json::array()}, {"errors", 0}, {"warnings", 0}};
    std::size_t errors = 0;
    std::size_t warnings = 0;
    for (const CheckedFile& checked : files) {
        json schedule = json::array();
        for (const ScheduledChange& change : checked.schedule) schedule.push_back({{"when", change.when}, {"changes", change.changes}});
        out["files"].push_back({{"file", checked.file.string()},
                                {"loaded", checked.loaded},
                                {"rules", checked.rule_count},
                                {"requests_examined", checked.requests_examined},
                                {"schedule", std::move(schedule)}});
        for (const Diagnostic& diagnostic : checked.diagnostics) {
            (diagnostic.severity == Severity::error ? errors : warnings) += 1;
            out["diagnostics"].push_back({{"file", diagnostic.file},
                                          {"line", position(diagnostic.line)},
                                          {"column", position(diagnostic.column)},
                                          {"severity", severity_word(diagnostic.severity)},
                                          {"code", diagnostic.code_or_default()},
                                          {"message", diagnostic.message}});
        }
    }
    out["errors"] = errors;
    out["warnings"] = warnings;
    return out;
}

namespace {

json as_sarif(const std::vector<CheckedFile>& files) {
    json rules = json::array();
    for (const DiagnosticKind& kind : diagnostic_kinds) {
        rules.push_back({{"id", kind.code}, {"shortDescription", {{"text", kind.summary}}}});
    }
    json results = json::array();
    json artifacts = json::array();
    for (const CheckedFile& checked : files) {
        artifacts.push_back({{"location", {{"uri", uri_from_path(checked.file.string())}}}});
        for (const Diagnostic& diagnostic : checked.diagnostics) {
            json location{{"artifactLocation", {{"uri", uri_from_path(diagnostic.file)}}}};
            if (diagnostic.line > 0) {
                location["region"] = {{"startLine", diagnostic.line}, {"startColumn", std::max(diagnostic.column, 1)}};
            }
            results.push_back({{"ruleId", diagnostic.code_or_default()},
                               {"level", severity_word(diagnostic.severity)},
                               {"message", {{"text", diagnostic.message}}},
                               {"locations", json::array({{{"physicalLocation", location}}})}});
        }
    }
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({{{"tool", {{"driver", {{"name", "telpolicy"},
                                                         {"semanticVersion", TELPOLICY_VERSION},
                                                         {"rules", rules}}}}},
                                   {"artifacts", artifacts},
                                   {"results", results}}})}};
}

}  // namespace

void write_diagnostics(std::ostream& out, DiagnosticsFormat format, const std::vector<CheckedFile>& files) {
    switch (format) {
        case DiagnosticsFormat::text:
            for (const CheckedFile& checked : files) {
                for (const Diagnostic& diagnostic : checked.diagnostics) out << diagnostic.to_string() << "\n";
            }
            return;
        case DiagnosticsFormat::json:
            out << diagnostics_json(files).dump(2) << "\n";
            return;
        case DiagnosticsFormat::sarif:
            out << as_sarif(files).dump(2) << "\n";
            return;
    }
}

}  // namespace telpolicy::cli
