// Reads JSON Lines input in fixed memory: lines longer than the limit are skipped, not stored.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace telpolicy::cli {

class LineReader {
public:
    // Reads from file descriptor `fd`; a line longer than `max_line_bytes` is reported as too long.
    LineReader(int fd, std::size_t max_line_bytes);
    // Clears the buffers: the lines read may have held PINs.
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    enum class Status { line, too_long, end, error };

    // The next line, without its "\n" or "\r\n". For Status::line, `line()` holds it until the next
    // call; for too_long, the line was discarded.
    Status next();
    [[nodiscard]] std::string_view line() const noexcept { return view_; }
    // True when everything read so far has been handed out: a good moment to flush output.
    [[nodiscard]] bool drained() const noexcept { return position_ == filled_; }
    [[nodiscard]] int error_number() const noexcept { return error_; }

private:
    bool refill();

    int fd_;
    std::size_t max_line_bytes_;
    std::vector<char> buffer_;
    std::size_t position_{0};
    std::size_t filled_{0};
    bool at_end_{false};
    int error_{0};
    // A line that lies whole in buffer_ is handed out in place (view_ points into buffer_); one that
    // spans two reads is put together in line_ (view_ points there).
    std::string line_;
    std::string_view view_;
};

}  // namespace telpolicy::cli
