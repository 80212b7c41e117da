// The one carrier of errors where failure is expected: a value, or why there is none, with every
// problem found on the way, each positioned (file:line:column) for people and editors.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include <telpolicy/diagnostic.hpp>

namespace telpolicy {

template <typename T>
struct Checked {
    std::optional<T> value;                // set only when no problem is an error (warnings allowed)
    std::vector<Diagnostic> diagnostics;  // errors and warnings, in the order of the input

    [[nodiscard]] bool ok() const noexcept { return value.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
};

}  // namespace telpolicy
