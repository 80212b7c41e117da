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

LineReader::~LineReader() {
    explicit_bzero(buffer_.data(), buffer_.size());
    explicit_bzero(line_.data(), line_.capacity());
}

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
    // The previous line may have held a PIN: clear it rather than leave it in the heap. (A line
    // handed out in place is overwritten by the next read, and cleared at the end.)
    explicit_bzero(line_.data(), line_.size());
    line_.clear();
    view_ = {};
    bool too_long = false;
    bool read_anything = false;
    bool in_place = false;
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
        position_ = static_cast<std::size_t>(end - buffer_.data()) + (newline != nullptr ? 1 : 0);
        if (newline != nullptr && line_.empty() && !too_long) {
            // The common case: the whole line is in the buffer. Hand it out where it is.
            view_ = std::string_view(start, piece);
            in_place = true;
            break;
        }
        if (!too_long) {
            if (line_.size() + piece > max_line_bytes_ + 1) {  // +1: room for a "\r" before "\n"
                too_long = true;
                explicit_bzero(line_.data(), line_.capacity());
                line_.clear();
                line_.shrink_to_fit();
            } else {
                if (line_.size() + piece > line_.capacity()) {
                    // Grow by hand, so that the old buffer is cleared before it is freed.
                    std::string larger;
                    larger.reserve(std::max(line_.capacity() * 2, line_.size() + piece));
                    larger.append(line_);
                    explicit_bzero(line_.data(), line_.capacity());
                    line_.swap(larger);
                }
                line_.append(start, piece);
            }
        }
        if (newline != nullptr) break;
    }
    if (!in_place) view_ = line_;
    if (!view_.empty() && view_.back() == '\r') view_.remove_suffix(1);
    if (!too_long && view_.size() > max_line_bytes_) too_long = true;
    if (too_long) {
        view_ = {};
        return Status::too_long;
    }
    return Status::line;
}

}  // namespace telpolicy::cli
