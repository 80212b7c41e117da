// Tools for policy authors and the hosts that serve them: check a rules file, draw it, list its rules.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/diagnostic.hpp>
#include <telpolicy/limits.hpp>

namespace telpolicy {

// An instant at which a country's decisions change, and what changes then: forms, contacts and rules
// whose `valid_from` or `valid_until` it is ("form 'us-loa-v3-2' takes effect").
struct ScheduledChange {
    std::string when;  // as rules files write it: "2027-01-01", or a date-time in UTC
    std::vector<std::string> changes;
};

struct RulesCheck {
    std::vector<Diagnostic> diagnostics;  // errors and warnings, ordered by position
    std::vector<ScheduledChange> schedule;  // in time order; empty when nothing is dated
    bool loaded{false};                   // no error: an engine would accept the file
    std::size_t rule_count{0};
    std::size_t requests_examined{0};  // the size of the request space the analysis enumerated
};

// Loads `file` as the engine would, then, when it loads, proves its static properties over the
// whole request space, in every period between the instants its dates name (see `schedule`): rules that can never match (shadowed), rules whose mailboxes conflict, and
// gaps (allowed requests that get neither a form nor a mailbox). Findings are warnings.
RulesCheck check_rules_file(const std::filesystem::path& file, const Limits& limits = {});
// The same checks on `text`, as if it were the content of `file` (an editor's unsaved buffer): the
// diagnostics name `file`, whose name is checked against the plugin it declares.
RulesCheck check_rules_text(std::string_view text, const std::filesystem::path& file, const Limits& limits = {});

enum class GraphFormat {
    dot,      // Graphviz's text, for `dot -Tsvg`
    mermaid,  // a Mermaid flowchart, which Markdown renderers draw
    svg,      // the picture itself (SVG 1.1, laid out by telpolicy: no tool needed to see it)
};

struct RulesGraph {
    std::string text;                     // empty when the file does not load
    std::vector<Diagnostic> diagnostics;  // why it did not
};

// The rules of `file` as a decision diagram: actions, then the rules in the order they are read,
// then what they decide (forms, mailboxes, denials).
RulesGraph draw_rules(const std::filesystem::path& file, GraphFormat format, const Limits& limits = {});
// The same from `text`, as if it were the content of `file` (an unsaved edit).
RulesGraph draw_rules_text(std::string_view text, const std::filesystem::path& file, GraphFormat format,
                           const Limits& limits = {});

struct RuleLocation {
    std::string id;
    int line{0};  // 1-based, where the rule begins
    int column{0};
};

// The rules of `file`, in file order, with where each begins; empty when the file does not load.
std::vector<RuleLocation> rule_locations(const std::filesystem::path& file, const Limits& limits = {});

}  // namespace telpolicy
