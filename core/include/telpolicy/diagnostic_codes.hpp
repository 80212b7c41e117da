// The kinds of problem `telpolicy validate` reports (Diagnostic::code), each with what it means:
// stable names for CI, code-scanning tools (SARIF's rules) and editors.
#pragma once

#include <optional>
#include <string_view>

namespace telpolicy {

struct DiagnosticKind {
    std::string_view code;
    std::string_view summary;  // one line, for a tool's list of rules
};

inline constexpr DiagnosticKind diagnostic_kinds[] = {
    {"rules.invalid", "A key, type, value or reference of the rules file is wrong; the engine would refuse the file."},
    {"rules.warning", "The rules file loads, but something in it is likely a mistake."},
    {"text.encoding", "The file is not UTF-8 text (Latin-1 bytes, a NUL, a binary file)."},
    {"yaml.syntax", "The YAML cannot be read: an unclosed quote or bracket, a misindented key, a tab."},
    {"yaml.duplicate_key", "A key is given twice in one mapping; YAML would keep one value and drop the other."},
    {"yaml.limit", "The file crosses a limit on nesting or aliases (a hostile or runaway file)."},
    {"file.plugin_name", "The file's name and the plugin it declares differ; the engine would not read it."},
    {"analysis.gap", "Some allowed request gets no form and no destination, or matches no rule at all."},
    {"analysis.shadowed", "A rule never applies: final rules above it stop every request it matches."},
    {"analysis.never_matches", "A rule's conditions cannot all hold for any request."},
    {"analysis.mailbox_conflict", "Two rules match the same request with different mailboxes; the first wins silently."},
    {"analysis.unused_form", "A form is defined but no rule gives it."},
    {"form.url_country", "A form's link is the file of another country than its title names."},
    {"form.url_version", "A form's link names another version than the form's version."},
    {"form.locale", "A form's locale is not a well-formed BCP 47 tag."},
    {"form.expected_warning_absent", "A form expects a warning that validate no longer gives."},
};

[[nodiscard]] constexpr std::optional<DiagnosticKind> diagnostic_kind(std::string_view code) noexcept {
    for (const DiagnosticKind& kind : diagnostic_kinds) {
        if (kind.code == code) return kind;
    }
    return std::nullopt;
}

}  // namespace telpolicy
