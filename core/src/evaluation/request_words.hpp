// A request's action and number type as ids of one rule set's vocabulary, and the instant it is
// decided for: what conditions compare.
#pragma once

#include <cstddef>

#include <telpolicy/date_time.hpp>

#include "policy/vocabulary.hpp"

namespace telpolicy {

struct RequestWords {
    std::size_t action{0};
    std::size_t number_type{Vocabulary::unspecified_number_type};
    Instant as_of{};  // the request's `as_of`, or the time it was decided at
};

}  // namespace telpolicy
