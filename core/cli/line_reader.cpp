// LineReader: buffered read(2) with a bound on what one line may hold in memory.
#include "line_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <string.h>  // explicit_bzero

#include <unistd.h>

namespace telpolicy::cli {

LineReader::LineReader(int fd, std::size_t max_line_bytes)
    : fd_(fd), max_line_bytes_(max_line_bytes), buffer_(std::size_t{1} << 16) {}

bool LineReader::refill() {
    if (at_end_) return false;
    for (;;) {
        const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
        if (got > 0) {
            position_ = 0;
            filled_ = static_cast<std::size_t>(got);
            return true;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) error_ = errno;
        at_end_ = true;
        return false;
    }
}

LineReader::Status LineReader::next() {
    // The previous line may have held a PIN: clear it rather than leave it in the heap.
    explicit_bzero(line_.data(), line_.size());
    line_.clear();
    bool too_long = false;
    bool read_anything = false;
    for (;;) {
        if (position_ == filled_ && !refill()) {
            if (error_ != 0) return Status::error;
            if (!read_anything) return Status::end;
            break;  // a last line without a final newline
        }
        read_anything = true;
        const char* start = buffer_.data() + position_;
        const char* stop = buffer_.data() + filled_;
        const char* newline = static_cast<const char*>(std::memchr(start, '\n', static_cast<std::size_t>(stop - start)));
        const char* end = newline != nullptr ? newline : stop;
        const auto piece = static_cast<std::size_t>(end - start);
        if (!too_long) {
            if (line_.size() + piece > max_line_bytes_ + 1) {  // +1: room for a "\r" before "\n"
                too_long = true;
                line_.clear();
                line_.shrink_to_fit();
            } else {
                line_.append(start, piece);
            }
        }
        position_ = static_cast<std::size_t>(end - buffer_.data()) + (newline != nullptr ? 1 : 0);
        if (newline != nullptr) break;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (!too_long && line_.size() > max_line_bytes_) too_long = true;
    if (too_long) {
        line_.clear();
        return Status::too_long;
    }
    return Status::line;
}

}  // namespace telpolicy::cli
