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

    // "file:line:column: error: message", the format compilers and editors understand.
    [[nodiscard]] std::string to_string() const;
};

[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept;

}  // namespace telpolicy
