// Rules files' vocabularies: word lookups, and what makes a word acceptable.
#include "policy/vocabulary.hpp"

#include <algorithm>
#include <cstring>

#include <telpolicy/vocabulary.hpp>

namespace telpolicy {
namespace {

// Lengths first: most words differ in length, and then need no comparison of their bytes.
bool same(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

template <typename Words>
bool contains(const Words& words, std::string_view word) noexcept {
    return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

bool is_identifier(std::string_view text) noexcept {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

std::optional<std::size_t> Vocabulary::action(std::string_view word) const noexcept {
    for (std::size_t i = 0; i < actions.size(); ++i) {
        if (same(actions[i], word)) return i;
    }
    for (const auto& [synonym, id] : action_synonyms) {
        if (same(synonym, word)) return id;
    }
    return std::nullopt;
}

std::optional<std::size_t> Vocabulary::number_type(std::string_view word) const noexcept {
    for (std::size_t i = 0; i < number_types.size(); ++i) {
        if (same(number_types[i], word)) return i + 1;
    }
    for (const auto& [synonym, id] : number_type_synonyms) {
        if (same(synonym, word)) return id;
    }
    return std::nullopt;
}

std::vector<std::string> Vocabulary::action_words() const {
    std::vector<std::string> words = actions;
    for (const auto& entry : action_synonyms) words.push_back(entry.first);
    return words;
}

std::vector<std::string> Vocabulary::number_type_words() const {
    std::vector<std::string> words = number_types;
    for (const auto& entry : number_type_synonyms) words.push_back(entry.first);
    return words;
}

bool is_common_action(std::string_view word) noexcept { return contains(common_vocabulary::actions, word); }
bool is_common_number_type(std::string_view word) noexcept { return contains(common_vocabulary::number_types, word); }

std::string vocabulary_word_problem(std::string_view word, std::string_view plugin, bool action) {
    if (action ? is_common_action(word) : is_common_number_type(word)) return {};
    const std::string prefix = std::string(plugin) + ".";
    if (!plugin.empty() && word.size() > prefix.size() && word.substr(0, prefix.size()) == prefix) {
        if (is_identifier(word.substr(prefix.size()))) return {};
        return "after '" + prefix + "', a word of the plugin's own is lower-case letters, digits and '_'";
    }
    return "it is neither a word of the common vocabulary nor prefixed with the plugin's name ('" + prefix + "')";
}

}  // namespace telpolicy
