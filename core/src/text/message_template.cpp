// Placeholder parsing and filling for rule messages.
#include "text/message_template.hpp"

namespace telpolicy {

std::optional<std::vector<std::string>> placeholders_in(std::string_view text) {
    std::vector<std::string> names;
    // Read on after each '}', as fill_message does: restarting at every '{' would make "{{{{...}"
    // quadratic in time and in the names collected (a fuzzing finding).
    for (std::size_t open = text.find('{'); open != std::string_view::npos;) {
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) return std::nullopt;
        names.emplace_back(text.substr(open + 1, close - open - 1));
        open = text.find('{', close + 1);
    }
    return names;
}

std::string fill_message(std::string_view text, const std::function<std::string(std::string_view)>& value) {
    std::string out;
    fill_message(text, value, out);
    return out;
}

void fill_message(std::string_view text, const std::function<std::string(std::string_view)>& value, std::string& out) {
    std::size_t open = text.find('{');
    if (open == std::string_view::npos) {
        out.assign(text);
        return;
    }
    out.clear();
    std::size_t position = 0;
    for (; open != std::string_view::npos; open = text.find('{', position)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) break;
        out.append(text.substr(position, open - position));
        out += value(text.substr(open + 1, close - open - 1));
        position = close + 1;
    }
    out.append(text.substr(position));
}

}  // namespace telpolicy
