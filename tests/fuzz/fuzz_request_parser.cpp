// Fuzz target: the request parser, on the input as one request and as JSON Lines read the way
// `telpolicy eval --batch` reads them, with the default limits and with small ones.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <sys/mman.h>
#include <unistd.h>

#include <telpolicy/request.hpp>

#include "line_reader.hpp"

namespace {

// A request or an error, never both and never neither; an error is printable ASCII, so that it is
// safe in a decision, a terminal and a log.
void check(const telpolicy::ParsedRequest& parsed) {
    if (parsed.request.has_value() == !parsed.error.empty()) std::abort();
    for (const char c : parsed.error) {
        if (c < 0x20 || c > 0x7e) std::abort();
    }
    if (parsed.request) {
        const std::string& country = parsed.request->country;
        if (country.size() != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' || country[1] > 'Z') {
            std::abort();
        }
    }
}

telpolicy::Limits small_limits() {
    telpolicy::Limits limits;
    limits.max_request_bytes = 512;
    limits.max_numbers = 4;
    limits.max_pin_bytes = 12;
    return limits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const telpolicy::Limits small = small_limits();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check(telpolicy::parse_request(text));
    check(telpolicy::parse_request(text, small));

    // The same bytes as a batch: lines longer than the reader's limit are reported, not stored.
    const int fd = ::memfd_create("fuzz-batch", MFD_CLOEXEC);
    if (fd < 0) std::abort();
    for (std::size_t written = 0; written < size;) {
        const ssize_t n = ::write(fd, data + written, size - written);
        if (n <= 0) std::abort();
        written += static_cast<std::size_t>(n);
    }
    if (::lseek(fd, 0, SEEK_SET) != 0) std::abort();
    telpolicy::cli::LineReader reader(fd, 256);
    for (;;) {
        const auto status = reader.next();
        if (status == telpolicy::cli::LineReader::Status::end) break;
        if (status == telpolicy::cli::LineReader::Status::error) std::abort();
        if (status == telpolicy::cli::LineReader::Status::too_long) {
            if (!reader.line().empty()) std::abort();
            continue;
        }
        if (reader.line().size() > 256) std::abort();
        check(telpolicy::parse_request(reader.line(), small));
    }
    ::close(fd);
    return 0;
}
