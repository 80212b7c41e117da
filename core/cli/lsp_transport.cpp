// The Content-Length framing of the Language Server Protocol (base protocol, LSP 3.17).
#include "lsp_transport.hpp"

#include <cctype>
#include <charconv>

namespace telpolicy::cli::lsp {
namespace {

// Far above any real header line ("Content-Type: application/vscode-jsonrpc; charset=utf-8").
constexpr std::size_t max_header_line_bytes = 4096;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    }
    return true;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

}  // namespace

// A line of the header, without its line end (\r\n, or a bare \n from lenient clients); nullopt at
// the end of the stream. An overlong line is cut, and the rest of it read past.
std::optional<std::string> MessageReader::header_line() {
    std::string line;
    bool any = false;
    for (int c = in_.get(); c != std::char_traits<char>::eof(); c = in_.get()) {
        any = true;
        if (c == '\n') {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return line;
        }
        if (line.size() < max_header_line_bytes) line.push_back(static_cast<char>(c));
    }
    if (!any) return std::nullopt;
    return line;
}

std::optional<FramedMessage> MessageReader::next() {
    std::optional<std::size_t> length;
    std::string problem;
    bool any_line = false;
    while (true) {
        auto line = header_line();
        if (!line) return std::nullopt;
        if (line->empty()) {
            if (!any_line) continue;  // blank lines between messages
            break;
        }
        any_line = true;
        const std::size_t colon = line->find(':');
        const std::string_view name = trimmed(std::string_view(*line).substr(0, colon));
        if (colon == std::string::npos) {
            problem = "a header line without ':'";
            continue;
        }
        if (!equals_ignoring_case(name, "Content-Length")) continue;  // Content-Type and the like
        const std::string_view value = trimmed(std::string_view(*line).substr(colon + 1));
        std::size_t parsed = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
        if (error != std::errc() || end != value.data() + value.size() || value.empty()) {
            problem = "a Content-Length that is not a number";
        } else {
            length = parsed;
        }
    }
    if (!length) return FramedMessage{{}, problem.empty() ? "a header without Content-Length" : problem};
    FramedMessage message;
    if (*length > max_body_bytes_) {
        in_.ignore(static_cast<std::streamsize>(*length));
        message.problem = "a message of " + std::to_string(*length) + " bytes, more than the limit of " +
                          std::to_string(max_body_bytes_);
        return message;
    }
    message.body.resize(*length);
    in_.read(message.body.data(), static_cast<std::streamsize>(*length));
    if (static_cast<std::size_t>(in_.gcount()) != *length) return std::nullopt;  // the stream ended mid-message
    return message;
}

void MessageWriter::write(const std::string& body) {
    const std::lock_guard lock(mutex_);
    out_ << "Content-Length: " << body.size() << "\r\n\r\n" << body;
    out_.flush();
}

}  // namespace telpolicy::cli::lsp
