// The Language Server Protocol's framing: JSON-RPC messages behind a Content-Length header, read
// from one stream and written to another.
#pragma once

#include <cstddef>
#include <istream>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>

namespace telpolicy::cli::lsp {

// One framed message as read: its body, or why it could not be read (the stream goes on after it).
struct FramedMessage {
    std::string body;
    std::string problem;  // non-empty: the header was broken or the body too long, and was skipped
};

class MessageReader {
public:
    // A body longer than `max_body_bytes` is read past and dropped, so that a hostile or broken
    // client costs bounded memory.
    MessageReader(std::istream& in, std::size_t max_body_bytes) : in_(in), max_body_bytes_(max_body_bytes) {}

    // The next message; nullopt at the end of the stream.
    std::optional<FramedMessage> next();

private:
    std::optional<std::string> header_line();

    std::istream& in_;
    std::size_t max_body_bytes_;
};

// Writes whole messages; several threads may write (responses, and diagnostics from the checker).
class MessageWriter {
public:
    explicit MessageWriter(std::ostream& out) : out_(out) {}
    void write(const std::string& body);

private:
    std::mutex mutex_;
    std::ostream& out_;
};

}  // namespace telpolicy::cli::lsp
