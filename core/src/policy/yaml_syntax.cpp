// A line scanner of YAML's block layout, enough to place a syntax mistake where it starts: quoted
// strings (with their escapes), comments, block scalars (`|`, `>`) and flow collections are skipped
// as the parser would; what remains are the lines whose indentation makes the structure.
#include "policy/yaml_syntax.hpp"

#include "policy/yaml_position.hpp"

#include <cctype>
#include <climits>
#include <vector>

#include <yaml-cpp/exceptions.h>

namespace telpolicy {
namespace {

YAML::Mark mark_at(int line, int column) {
    YAML::Mark mark;
    mark.line = line;
    mark.column = column;
    return mark;
}

// Not "quoted": with <iomanip> in the same unity-build unit, a std::string argument makes ADL find
// std::quoted, a better match than this string_view overload.
std::string in_single_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

struct QuotedString {
    int open_line;
    int open_column;
    char quote;
    int close_line{-1};  // -1: never closed
    int close_column{-1};
};

// `[` or `{` and where its match closes it.
struct FlowCollection {
    int open_line;
    int open_column;
    char bracket;
    int close_line{-1};  // -1: never closed
};

// A line that takes part in the block structure: not blank, not a comment, not inside a quoted
// string, a block scalar or a flow collection that began on an earlier line.
struct StructureLine {
    int line;
    int indent;                // spaces before the first character
    int tab_column{-1};        // a tab among the leading blanks, where
    std::vector<int> dashes;   // columns of the "- " that begin list items on this line
    int content_column;        // after the indentation and the dashes
    std::string key;           // when the content is `key: ...`
    bool key_has_value{false};  // `key: value` rather than `key:` opening a block
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

// `key:` or `key: value` (plain keys; a key with ": " inside quotes is rare enough in rules files).
void read_key(std::string_view content, StructureLine& line) {
    std::size_t colon = std::string_view::npos;
    for (std::size_t i = 0; i < content.size(); ++i) {
        if (content[i] == '#' && (i == 0 || is_blank(content[i - 1]))) break;
        if (content[i] == ':' && (i + 1 == content.size() || is_blank(content[i + 1]))) {
            colon = i;
            break;
        }
    }
    if (colon == std::string_view::npos || colon == 0 || content[0] == '"' || content[0] == '\'' ||
        content[0] == '[' || content[0] == '{') {
        return;
    }
    line.key = std::string(content.substr(0, colon));
    std::string_view rest = content.substr(colon + 1);
    while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
    line.key_has_value = !rest.empty() && rest.front() != '#';
}

class LayoutScanner {
public:
    explicit LayoutScanner(std::string_view text) { scan(text); }

    const std::vector<QuotedString>& quoted_strings() const { return quoted_; }
    const std::vector<FlowCollection>& flow_collections() const { return flows_; }
    const std::vector<StructureLine>& structure() const { return structure_; }
    std::string_view line(int number) const { return lines_[static_cast<std::size_t>(number)]; }
    int line_count() const { return static_cast<int>(lines_.size()); }

private:
    void scan(std::string_view text) {
        int number = 0;
        for (std::size_t start = 0; start <= text.size(); ++number) {
            std::size_t end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            lines_.push_back(line);
            scan_line(line, number);
            if (end == text.size()) break;
            start = end + 1;
        }
    }

    void scan_line(std::string_view text, int number) {
        std::size_t first = 0;
        int tab_column = -1;
        while (first < text.size() && is_blank(text[first])) {
            if (text[first] == '\t' && tab_column < 0) tab_column = static_cast<int>(first);
            ++first;
        }
        const int indent = static_cast<int>(first);
        if (block_scalar_parent_ >= 0) {
            if (first == text.size() || indent > block_scalar_parent_) return;  // the block scalar's text
            block_scalar_parent_ = -1;
        }
        const bool starts_inside = in_quote_ != 0 || flow_depth_ > 0;
        if (!starts_inside && first < text.size() && text[first] != '#') {
            StructureLine line{number, indent, tab_column, {}, indent, {}, false};
            std::size_t at = first;
            while (at + 1 < text.size() && text[at] == '-' && is_blank(text[at + 1])) {
                line.dashes.push_back(static_cast<int>(at));
                at += 2;
                while (at < text.size() && is_blank(text[at])) ++at;
            }
            if (at + 1 == text.size() && text[at] == '-') line.dashes.push_back(static_cast<int>(at)), at = text.size();
            line.content_column = static_cast<int>(at);
            read_key(text.substr(at), line);
            structure_.push_back(std::move(line));
        }
        scan_characters(text, number, first, !starts_inside);
    }

    // Follows quotes, comments, flow brackets and block scalar indicators along one line.
    // `on_structure_line`: the line was recorded in structure_ (a block scalar may begin on it).
    void scan_characters(std::string_view text, int number, std::size_t from, bool on_structure_line) {
        char previous = 0;  // the last character outside blanks, 0 at the start of the line
        for (std::size_t i = from; i < text.size(); ++i) {
            const char c = text[i];
            if (in_quote_ != 0) {
                if (in_quote_ == '"' && c == '\\') {
                    ++i;
                } else if (c == in_quote_ && in_quote_ == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                    ++i;
                } else if (c == in_quote_) {
                    quoted_.back().close_line = number;
                    quoted_.back().close_column = static_cast<int>(i);
                    in_quote_ = 0;
                    previous = c;
                }
                continue;
            }
            if (is_blank(c)) continue;
            if (c == '#' && (i == from || is_blank(text[i - 1]))) return;
            const bool value_starts =
                previous == 0 || ((previous == ':' || previous == '-' || previous == '?') && is_blank(text[i - 1])) ||
                previous == '[' || previous == '{' || previous == ',';
            if (value_starts && (c == '"' || c == '\'')) {
                in_quote_ = c;
                quoted_.push_back({number, static_cast<int>(i), c});
            } else if ((value_starts || flow_depth_ > 0) && (c == '[' || c == '{')) {
                if (flow_depth_++ == 0) flows_.push_back({number, static_cast<int>(i), c});
            } else if (flow_depth_ > 0 && (c == ']' || c == '}')) {
                if (--flow_depth_ == 0) flows_.back().close_line = number;
            } else if (value_starts && flow_depth_ == 0 && (c == '|' || c == '>') && on_structure_line) {
                block_scalar_parent_ = structure_.back().content_column;
            }
            previous = c;
        }
    }

    std::vector<std::string_view> lines_;
    std::vector<QuotedString> quoted_;
    std::vector<FlowCollection> flows_;  // the outermost ones
    std::vector<StructureLine> structure_;
    char in_quote_{0};
    int flow_depth_{0};
    int block_scalar_parent_{-1};  // inside a block scalar: the column its text must be indented past
};

// `key:`, `key: value` or `- item`, as a line of a rules file begins: inside a quoted string, the
// sign of text that was meant to be structure.
bool looks_like_structure(std::string_view line) {
    while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    if (line.size() >= 2 && line[0] == '-' && is_blank(line[1])) return true;
    std::size_t i = 0;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == '-' ||
                               line[i] == '.')) {
        ++i;
    }
    return i > 0 && i < line.size() && line[i] == ':' && (i + 1 == line.size() || is_blank(line[i + 1]));
}

std::optional<int> swallowed_line(const LayoutScanner& layout, int open_line, int close_line) {
    const int last = close_line < 0 ? layout.line_count() - 1 : close_line;
    for (int number = open_line + 1; number <= last; ++number) {
        if (looks_like_structure(layout.line(number))) return number;
    }
    return std::nullopt;
}


std::optional<YamlSyntaxProblem> runaway_quote(const LayoutScanner& layout, int before_line) {
    for (const QuotedString& string : layout.quoted_strings()) {
        if (string.open_line > before_line) break;
        const std::string quote(1, string.quote);
        if (string.close_line < 0) {
            return YamlSyntaxProblem{mark_at(string.open_line, string.open_column),
                                     "this quoted string, opened here with " + quote +
                                         ", is never closed: the rest of the file became part of it; add the closing " +
                                         quote + " where the text ends"};
        }
        if (string.close_line == string.open_line) continue;
        if (const auto swallowed = swallowed_line(layout, string.open_line, string.close_line)) {
            return YamlSyntaxProblem{
                mark_at(string.open_line, string.open_column),
                "this quoted string, opened here with " + quote + ", is not closed on its line: it runs on to the " +
                    quote + " at " + line_and_column(mark_at(string.close_line, string.close_column)) + " and takes in line " +
                    std::to_string(*swallowed + 1) + " (" + in_single_quotes(trimmed(layout.line(*swallowed))) +
                    "), which looks like a key; add the closing " + quote +
                    " on this line (for text over several lines, use a block scalar: `key: |`)"};
        }
    }
    return std::nullopt;
}

// A `[` or `{` left open across lines that were meant to be keys (its closing bracket forgotten).
std::optional<YamlSyntaxProblem> runaway_flow(const LayoutScanner& layout, int before_line) {
    for (const FlowCollection& flow : layout.flow_collections()) {
        if (flow.open_line > before_line) break;
        const std::string bracket(1, flow.bracket);
        const std::string closing(1, flow.bracket == '[' ? ']' : '}');
        const auto swallowed = swallowed_line(layout, flow.open_line, flow.close_line);
        if (flow.close_line >= 0 && !swallowed) continue;
        std::string message = "this " + bracket + ", opened here, is not closed with " + closing + " on its line";
        if (swallowed) {
            message += ": it takes in line " + std::to_string(*swallowed + 1) + " (" +
                       in_single_quotes(trimmed(layout.line(*swallowed))) + "), which looks like a key";
        }
        return YamlSyntaxProblem{mark_at(flow.open_line, flow.open_column),
                                 message + "; add the " + closing + " where it ends"};
    }
    return std::nullopt;
}

// An open level of the block structure: the column its keys (or dashes) start at, and the line
// that last stood at that column.
struct Level {
    int indent;
    int line;
    std::string name;  // "'key' (line N)" or "the list item at line N"
    bool has_value;    // a key with its value on the line: nothing may nest under it
};

std::string spaces(int count) { return std::to_string(count) + (count == 1 ? " space" : " spaces"); }

std::optional<YamlSyntaxProblem> misindented_line(const LayoutScanner& layout, int up_to_line) {
    std::vector<Level> open;
    for (const StructureLine& line : layout.structure()) {
        if (line.line > up_to_line) break;
        if (line.tab_column >= 0) {
            return YamlSyntaxProblem{mark_at(line.line, line.tab_column),
                                     "this line is indented with a tab; YAML indents with spaces only: replace the "
                                     "tab with spaces"};
        }
        if (line.key.empty() && line.dashes.empty()) continue;  // a plain text's next line, or rarer syntax
        const std::string what = line.dashes.empty() ? "key" : "list item";
        std::optional<Level> closed;
        while (!open.empty() && open.back().indent > line.indent) {
            closed = open.back();
            open.pop_back();
        }
        if (open.empty() || open.back().indent != line.indent) {
            if (closed) {
                std::string message = "this " + what + " is indented " + spaces(line.indent) +
                                      ", but its siblings above are indented " + std::to_string(closed->indent) +
                                      " (" + closed->name + ")";
                if (!open.empty()) {
                    message += " and what they belong to " + std::to_string(open.back().indent) + " (" +
                               open.back().name + ")";
                }
                return YamlSyntaxProblem{mark_at(line.line, line.indent), message + ": line it up with one of them"};
            }
            if (!open.empty() && open.back().has_value) {
                return YamlSyntaxProblem{
                    mark_at(line.line, line.indent),
                    "this " + what + " is indented " + spaces(line.indent) + ", deeper than " + open.back().name +
                        ", but that key already has a value on its line, so nothing can nest under it: indent it " +
                        spaces(open.back().indent) + " to make it a sibling"};
            }
            open.push_back({});
        }
        // The line's own levels: its first dash or key, then what each "- " opens on the same line.
        const auto name_of = [&](bool is_dash) {
            return is_dash ? "the list item at line " + std::to_string(line.line + 1)
                           : in_single_quotes(line.key) + " at line " + std::to_string(line.line + 1);
        };
        open.back() = {line.indent, line.line, name_of(!line.dashes.empty()), false};
        for (std::size_t i = 1; i < line.dashes.size(); ++i) open.push_back({line.dashes[i], line.line, name_of(true), false});
        if (!line.dashes.empty() && !line.key.empty()) open.push_back({line.content_column, line.line, name_of(false), false});
        open.back().has_value = line.key_has_value;
    }
    return std::nullopt;
}

// yaml-cpp's words (yaml-cpp/exceptions.h, ErrorMsg) for the mistakes authors make, said in the
// author's terms; the rest are kept as they are.
std::string in_plain_words(const std::string& parser_message) {
    using namespace YAML::ErrorMsg;
    if (parser_message == MAP_VALUE) {
        return "a second ': ' on this line: a value that holds ': ' must be quoted (\"a: b\")";
    }
    if (parser_message == END_OF_MAP || parser_message == END_OF_SEQ) {
        return "this line does not line up with the keys or list items above it";
    }
    if (parser_message.rfind(INVALID_ESCAPE, 0) == 0) {
        return "'\\" + parser_message.substr(std::string_view(INVALID_ESCAPE).size()) +
               "' is not an escape of double-quoted YAML text; write '\\\\' for a backslash, or use single quotes";
    }
    if (parser_message == TAB_IN_INDENTATION) return "a tab where YAML wants spaces for indentation";
    return parser_message;
}

}  // namespace

std::optional<YamlSyntaxProblem> find_runaway_quote(std::string_view text) {
    return runaway_quote(LayoutScanner(text), INT_MAX);
}

YamlSyntaxProblem explain_syntax_error(std::string_view text, const YAML::Mark& failure,
                                       const std::string& parser_message) {
    const LayoutScanner layout(text);
    if (auto quote = runaway_quote(layout, failure.line)) return *quote;
    if (auto flow = runaway_flow(layout, failure.line)) return *flow;
    if (auto indentation = misindented_line(layout, failure.line)) return *indentation;
    return {failure, "invalid YAML: " + in_plain_words(parser_message)};
}

}  // namespace telpolicy
