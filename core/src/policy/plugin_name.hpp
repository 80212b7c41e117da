// What a plugin's name may be: the one rule shared by the plugin descriptor, the `plugin:` key of a
// rules file and the file's name (<plugin>.yaml), since the engine matches the three.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string_view>

namespace telpolicy {

inline constexpr std::size_t max_plugin_name_length = 32;

// 1 to 32 lower-case ASCII letters, digits and '_': a name safe in file names, URLs and code prefixes.
[[nodiscard]] inline bool is_plugin_name(std::string_view text) noexcept {
    return !text.empty() && text.size() <= max_plugin_name_length && std::all_of(text.begin(), text.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
}

}  // namespace telpolicy
