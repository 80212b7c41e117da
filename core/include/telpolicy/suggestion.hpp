// "Did you mean": the closest known word to a misspelt one, as the rule loader offers it, for the
// tools around the engine (policy tests, editors) to offer the same.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telpolicy {

// The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo.
[[nodiscard]] std::optional<std::string> closest_word(std::string_view word,
                                                      const std::vector<std::string_view>& candidates);

}  // namespace telpolicy
