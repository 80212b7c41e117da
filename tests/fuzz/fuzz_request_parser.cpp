// Fuzz target: the request parser, on the input as one request and as JSON Lines read the way
// `telpolicy eval --batch` reads them, with the default limits and with small ones; and its fast
// reader held to its full one: whatever the fast reader accepts, the full reader reads the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include <sys/mman.h>
#include <unistd.h>

#include <telpolicy/request.hpp>

#include "line_reader.hpp"
#include "request/request_parser.hpp"
#include "request/request_parser.hpp"

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

bool same(const telpolicy::Request& a, const telpolicy::Request& b) {
    const auto pin = [](const telpolicy::Request& r) { return r.pin ? std::optional(r.pin->reveal()) : std::nullopt; };
    return a.country == b.country && a.action == b.action && a.number_type == b.number_type &&
           a.numbers == b.numbers && a.count == b.count && pin(a) == pin(b) && a.pin_is_set == b.pin_is_set &&
           a.locale == b.locale;
}

// The fast reader may decline anything, but what it accepts the full reader must accept alike.
void check_fast_reader(std::string_view text, const telpolicy::Limits& limits) {
    telpolicy::Request fast;
    if (!telpolicy::detail::parse_request_fast(text, limits, fast)) return;
    const telpolicy::ParsedRequest full = telpolicy::detail::parse_request_full(text, limits);
    if (!full.request || !same(fast, *full.request)) std::abort();
}

// parse_request (its simdjson fast path in front of the full reader) gives exactly what the full
// reader alone gives: the same request or the same message.
void check_against_full_reader(std::string_view text, const telpolicy::Limits& limits) {
    const telpolicy::ParsedRequest parsed = telpolicy::parse_request(text, limits);
    check(parsed);
    const telpolicy::ParsedRequest full = telpolicy::detail::parse_request_full(text, limits);
    if (parsed.error != full.error || parsed.request.has_value() != full.request.has_value()) std::abort();
    if (!full.request) return;
    const telpolicy::Request& a = *parsed.request;
    const telpolicy::Request& b = *full.request;
    const bool same_pin = a.pin.has_value() == b.pin.has_value() && (!a.pin || a.pin->reveal() == b.pin->reveal());
    if (!same_pin || a.country != b.country || a.action != b.action || a.number_type != b.number_type ||
        a.numbers != b.numbers || a.count != b.count || a.pin_is_set != b.pin_is_set || a.locale != b.locale) {
        std::abort();
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
    check_against_full_reader(text, {});
    check_against_full_reader(text, small);
    check_fast_reader(text, telpolicy::Limits{});
    check_fast_reader(text, small);

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
        check_against_full_reader(reader.line(), small);
        check_fast_reader(reader.line(), small);
    }
    ::close(fd);
    return 0;
}
