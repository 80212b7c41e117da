// A problem found in a rules file, positioned for people and editors: file:line:column.
#pragma once

#include <string>
#include <vector>

namespace telpolicy {

enum class Severity { error, warning };

struct Diagnostic {
    std::string file;
    int line{0};    // 1-based; 0 when the problem concerns the whole file
    int column{0};  // 1-based
    Severity severity{Severity::error};
    std::string message;
    // What kind of problem, stable for tools (SARIF's ruleId, editors' codes): "yaml.syntax",
    // "text.encoding", "analysis.gap", "form.url_version"... Empty for the loader's checks of keys,
    // types and references, which code_or_default() calls "rules.invalid" (or "rules.warning").
    std::string code{};

    [[nodiscard]] std::string code_or_default() const {
        return !code.empty() ? code : severity == Severity::error ? "rules.invalid" : "rules.warning";
    }

    // "file:line:column: error: message", the format compilers and editors understand.
    [[nodiscard]] std::string to_string() const;
};

[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept;

}  // namespace telpolicy
