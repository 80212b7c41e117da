// How `telpolicy validate` writes what it found: text for people (file:line:column, as compilers
// do), JSON for scripts, SARIF 2.1.0 for code-scanning tools. The three carry the same diagnostics.
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <telpolicy/authoring.hpp>
#include <telpolicy/diagnostic.hpp>

namespace telpolicy::cli {

enum class DiagnosticsFormat { text, json, sarif };

struct CheckedFile {
    std::filesystem::path file;
    bool loaded{false};
    std::size_t rule_count{0};
    std::size_t requests_examined{0};
    std::vector<Diagnostic> diagnostics;
    std::vector<ScheduledChange> schedule;
};

// {"files": [{"file", "loaded", "rules", "requests_examined", "schedule"}], "diagnostics": [{"file", "line", "column",
// "severity", "code", "message"}], "errors", "warnings"}: what `validate --format json` prints.
nlohmann::ordered_json diagnostics_json(const std::vector<CheckedFile>& files);

void write_diagnostics(std::ostream& out, DiagnosticsFormat format, const std::vector<CheckedFile>& files);

}  // namespace telpolicy::cli
