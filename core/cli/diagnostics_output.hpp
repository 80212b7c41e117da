// How `telpolicy validate` writes what it found: text for people (file:line:column, as compilers
// do), JSON for scripts, SARIF 2.1.0 for code-scanning tools. The three carry the same diagnostics.
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

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

void write_diagnostics(std::ostream& out, DiagnosticsFormat format, const std::vector<CheckedFile>& files);

}  // namespace telpolicy::cli
