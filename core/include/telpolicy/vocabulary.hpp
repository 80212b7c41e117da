// The common vocabulary of the contract: the words every plugin uses for these operations. A rules
// file offers words of it, and words of its own prefixed with its plugin's name (`au.emergency_address`);
// the vocabulary of a running engine is what its loaded rules files offer.
#pragma once

#include <string_view>

namespace telpolicy::common_vocabulary {

inline constexpr std::string_view actions[] = {
    "new_numbers",  "port_in",  "convert_to_service", "transfer_tenant",  "port_out",
    "set_pin",      "clear_pin", "publish_directory", "update_directory",
};

inline constexpr std::string_view number_types[] = {"user", "service", "toll_free"};

// Other words for common ones, as the contract gives them: a rules file that offers the meaning
// understands the synonym too.
struct Synonym {
    std::string_view word;
    std::string_view meaning;
};
inline constexpr Synonym synonyms[] = {{"subscriber", "user"}, {"freephone", "toll_free"}};

}  // namespace telpolicy::common_vocabulary
