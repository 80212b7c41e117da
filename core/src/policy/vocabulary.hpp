// A rules file's own vocabulary: the actions and number types it knows, with their synonyms, as the
// ids that its compiled conditions use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telpolicy {

struct Vocabulary {
    // Every action word the file names: those it offers, and those only its PIN roles name.
    std::vector<std::string> actions;
    // The number types it offers. Id 0 stands for "the request gives no number_type"; the word at
    // index i has id i + 1.
    std::vector<std::string> number_types;
    std::vector<std::pair<std::string, std::size_t>> action_synonyms;       // word -> action id
    std::vector<std::pair<std::string, std::size_t>> number_type_synonyms;  // word -> number type id

    static constexpr std::size_t unspecified_number_type = 0;

    [[nodiscard]] std::optional<std::size_t> action(std::string_view word) const noexcept;
    // The id of a number type word or synonym (never 0).
    [[nodiscard]] std::optional<std::size_t> number_type(std::string_view word) const noexcept;
    [[nodiscard]] std::string_view number_type_word(std::size_t id) const noexcept {
        return id == unspecified_number_type ? std::string_view("unspecified") : std::string_view(number_types[id - 1]);
    }
    // Every word and synonym, for did-you-mean suggestions and the engine's vocabulary.
    [[nodiscard]] std::vector<std::string> action_words() const;
    [[nodiscard]] std::vector<std::string> number_type_words() const;
};

// Whether `word` is a word of the contract's common vocabulary of actions / number types.
bool is_common_action(std::string_view word) noexcept;
bool is_common_number_type(std::string_view word) noexcept;

// What is wrong with `word` as a word of plugin `plugin`'s vocabulary (a common word, or
// "<plugin>." and lower-case letters, digits and '_'); empty when nothing is.
std::string vocabulary_word_problem(std::string_view word, std::string_view plugin, bool action);

}  // namespace telpolicy
