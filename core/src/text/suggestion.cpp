// Edit-distance suggestions for misspelt keys, actions and ids.
#include <telpolicy/suggestion.hpp>

#include <algorithm>
#include <numeric>

namespace telpolicy {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
        }
    }
    return row[b.size()];
}

}  // namespace

std::optional<std::string> closest_word(std::string_view word, const std::vector<std::string_view>& candidates) {
    // Each comparison costs the product of the lengths: typos worth a guess are short, and a huge
    // catalogue gets guesses from its first entries only, so that a hostile file cannot make the
    // loader spin (a fuzzing finding: two 200 kB ids took minutes).
    constexpr std::size_t longest_guessed = 64;
    constexpr std::size_t most_compared = 100;
    if (word.size() > longest_guessed) return std::nullopt;
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;  // beyond this, no guess
    std::size_t compared = 0;
    for (std::string_view candidate : candidates) {
        // The distance is at least the difference in length.
        const std::size_t gap = word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
        if (gap >= best_distance) continue;
        if (++compared > most_compared) break;
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = std::string(candidate);
        }
    }
    return best;
}

}  // namespace telpolicy
