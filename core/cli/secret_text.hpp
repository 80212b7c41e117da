// Text that may hold a PIN (a request, a batch's lines): grown by hand, so that no copy of it is
// left behind in freed memory when the buffer moves.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include <string.h>  // explicit_bzero

namespace telpolicy::cli {

// Appends `more` to `text`. When `text` must grow, the old buffer is cleared before it is freed
// (std::string's own growth would free it as it is).
inline void append_secret_text(std::string& text, std::string_view more) {
    if (text.size() + more.size() > text.capacity()) {
        std::string larger;
        larger.reserve(std::max(text.capacity() * 2, text.size() + more.size()));
        larger.append(text);
        explicit_bzero(text.data(), text.capacity());
        text.swap(larger);
    }
    text.append(more);
}

// Clears the whole buffer (what an earlier, longer content left too) and empties it.
inline void clear_secret_text(std::string& text) {
    explicit_bzero(text.data(), text.capacity());
    text.clear();
}

}  // namespace telpolicy::cli
