// A request's action and number type as ids of one rule set's vocabulary: what conditions compare.
#pragma once

#include <cstddef>

#include "policy/vocabulary.hpp"

namespace telpolicy {

struct RequestWords {
    std::size_t action{0};
    std::size_t number_type{Vocabulary::unspecified_number_type};
};

}  // namespace telpolicy
