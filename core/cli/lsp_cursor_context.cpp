// The cursor's place in a rules file: block structure from indentation, flow structure ({...}, [...])
// from the line itself, as far as the cursor.
#include "lsp_cursor_context.hpp"

#include <algorithm>
#include <optional>

#include <telpolicy/rules_keys.hpp>

namespace telpolicy::cli::lsp {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

bool is_word_byte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
           c == '.' || c == '_' || c == '-';
}

// The column where a line's content starts, past its indentation and its list items' dashes
// ("  - id: x" starts at 4: its key is at the level of the item's other keys).
struct LineStart {
    std::size_t column{0};
};

LineStart content_start(std::string_view line) {
    LineStart start;
    std::size_t i = 0;
    while (i < line.size() && is_space(line[i])) ++i;
    while (i < line.size() && line[i] == '-' && (i + 1 == line.size() || is_space(line[i + 1]))) {
        ++i;
        while (i < line.size() && is_space(line[i])) ++i;
    }
    start.column = i;
    return start;
}

bool is_blank_or_comment(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && is_space(line[i])) ++i;
    return i == line.size() || line[i] == '#';
}

// "key:" at `from`, plain or quoted, followed by a space or the line's end.
std::optional<std::string> key_at(std::string_view line, std::size_t from) {
    if (from >= line.size()) return std::nullopt;
    std::size_t i = from;
    std::string key;
    if (line[i] == '"' || line[i] == '\'') {
        const char quote = line[i];
        const std::size_t close = line.find(quote, i + 1);
        if (close == std::string_view::npos) return std::nullopt;
        key = std::string(line.substr(i + 1, close - i - 1));
        i = close + 1;
    } else {
        while (i < line.size() && line[i] != ':' && line[i] != '#' && line[i] != '{' && line[i] != '[') ++i;
        key = std::string(line.substr(from, i - from));
        while (!key.empty() && is_space(key.back())) key.pop_back();
    }
    if (i >= line.size() || line[i] != ':' || key.empty()) return std::nullopt;
    if (i + 1 < line.size() && !is_space(line[i + 1])) return std::nullopt;
    return key;
}

// The keys of the block mappings enclosing a line whose content starts at `column`: each earlier
// line less indented than what it encloses, nearest first.
std::vector<std::string> block_path(const TextLines& lines, std::size_t line, std::size_t column) {
    std::vector<std::string> reversed;
    std::size_t limit = column;
    for (std::size_t index = line; index-- > 0 && limit > 0;) {
        const std::string_view text = lines.line(index);
        if (is_blank_or_comment(text)) continue;
        const LineStart start = content_start(text);
        if (start.column >= limit) continue;
        limit = start.column;
        if (auto key = key_at(text, start.column)) reversed.push_back(std::move(*key));
    }
    return {reversed.rbegin(), reversed.rend()};
}

// A flow collection open before the cursor, and the key it is the value of ("" for none).
struct Flow {
    bool is_map{false};
    std::string opened_under;
    std::string key;  // a map's key whose value comes next; empty where a key comes next
};

}  // namespace

CursorContext context_at(const TextLines& lines, std::size_t line, std::size_t byte_column) {
    const std::string_view text = lines.line(line).substr(0, byte_column);
    const LineStart start = content_start(text);
    CursorContext context;

    std::optional<std::string> block_key;
    std::vector<Flow> flows;
    std::string last_scalar;
    bool scalar_touches_cursor = false;
    for (std::size_t i = start.column; i < text.size();) {
        const char c = text[i];
        scalar_touches_cursor = false;
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (c == '#' && (i == 0 || is_space(text[i - 1]))) return context;  // in a comment: nothing to offer
        if (c == '{' || c == '[') {
            std::string under = flows.empty() ? block_key.value_or("") : (flows.back().is_map ? flows.back().key : "");
            flows.push_back({c == '{', std::move(under), {}});
            ++i;
            continue;
        }
        if (c == '}' || c == ']') {
            if (!flows.empty()) flows.pop_back();
            ++i;
            continue;
        }
        if (c == ',') {
            if (!flows.empty() && flows.back().is_map) flows.back().key.clear();
            ++i;
            continue;
        }
        if (c == ':' && (i + 1 == text.size() || is_space(text[i + 1]) || !flows.empty())) {
            if (flows.empty()) {
                block_key = last_scalar;
            } else if (flows.back().is_map) {
                flows.back().key = last_scalar;
            }
            ++i;
            continue;
        }
        if (c == '"' || c == '\'') {
            std::size_t close = i + 1;
            while (close < text.size() && text[close] != c) close += (c == '"' && text[close] == '\\') ? std::size_t{2} : std::size_t{1};
            if (close >= text.size()) {  // inside a quoted text: its words so far are what is typed
                last_scalar = std::string(text.substr(i + 1));
                scalar_touches_cursor = true;
                break;
            }
            last_scalar = std::string(text.substr(i + 1, close - i - 1));
            i = close + 1;
            continue;
        }
        const std::size_t begin = i;
        while (i < text.size() && text[i] != ',' && text[i] != '[' && text[i] != ']' && text[i] != '{' &&
               text[i] != '}' && !(text[i] == ':' && (i + 1 == text.size() || is_space(text[i + 1]) || !flows.empty())) &&
               !(text[i] == '#' && is_space(text[i - 1]))) {
            ++i;
        }
        std::string_view scalar = text.substr(begin, i - begin);
        while (!scalar.empty() && is_space(scalar.back())) scalar.remove_suffix(1);
        last_scalar = std::string(scalar);
        scalar_touches_cursor = i == text.size() && !scalar.empty() && !is_space(text.back());
    }
    if (scalar_touches_cursor) context.typed = last_scalar;

    context.path = block_path(lines, line, start.column);
    if (flows.empty()) {
        if (block_key) {
            context.value_of = *block_key;
        } else {
            context.at_key = true;
        }
    } else {
        for (const Flow& flow : flows) {
            if (!flow.opened_under.empty()) context.path.push_back(flow.opened_under);
        }
        const Flow& innermost = flows.back();
        if (innermost.is_map) {
            if (innermost.key.empty()) {
                context.at_key = true;
            } else {
                context.value_of = innermost.key;
            }
        } else if (!innermost.opened_under.empty()) {
            context.value_of = innermost.opened_under;
            context.path.pop_back();
        }
    }
    // A key where no mapping of the format is: a list item of the enclosing key's value ("forms:"
    // then "  - f" on the next line).
    if (context.at_key && !context.path.empty() && place_of(context.path) == Place::unknown) {
        context.at_key = false;
        context.value_of = context.path.back();
        context.path.pop_back();
    }
    return context;
}

Place place_of(const std::vector<std::string>& path) {
    const auto is = [&](std::initializer_list<std::string_view> keys) {
        return path.size() == keys.size() && std::equal(keys.begin(), keys.end(), path.begin());
    };
    if (path.empty()) return Place::top_level;
    if (is({"pin"})) return Place::pin;
    if (is({"pin", "length"})) return Place::pin_length;
    if (is({"forms"})) return Place::form;
    if (is({"mailboxes"})) return Place::mailbox;
    if (is({"contacts"})) return Place::contact;
    if (is({"rules"})) return Place::rule;
    if (is({"rules", "when"})) return Place::when;
    if (is({"rules", "when", "count"})) return Place::when_count;
    if (is({"rules", "when", "numbers"})) return Place::when_numbers;
    if (is({"rules", "when", "numbers", "each"}) || is({"rules", "when", "numbers", "all"})) return Place::number_filter;
    if (is({"rules", "then"})) return Place::then;
    if (is({"rules", "then", "deny"})) return Place::deny;
    return Place::unknown;
}

std::span<const std::string_view> keys_of(Place place) {
    switch (place) {
        case Place::top_level: return rules_keys::top_level;
        case Place::pin: return rules_keys::pin;
        case Place::pin_length: return rules_keys::pin_length;
        case Place::form: return rules_keys::form;
        case Place::mailbox: return rules_keys::mailbox;
        case Place::contact: return rules_keys::contact;
        case Place::rule: return rules_keys::rule;
        case Place::when: return rules_keys::when;
        case Place::when_count: return rules_keys::when_count;
        case Place::when_numbers: return rules_keys::when_numbers;
        case Place::number_filter: return rules_keys::number_filter;
        case Place::then: return rules_keys::then;
        case Place::deny: return rules_keys::deny;
        case Place::unknown: break;
    }
    return {};
}

WordAt word_at(std::string_view line, std::size_t byte_column) {
    std::size_t begin = std::min(byte_column, line.size());
    std::size_t end = begin;
    while (begin > 0 && is_word_byte(line[begin - 1])) --begin;
    while (end < line.size() && is_word_byte(line[end])) ++end;
    return {begin, std::string(line.substr(begin, end - begin))};
}

}  // namespace telpolicy::cli::lsp
