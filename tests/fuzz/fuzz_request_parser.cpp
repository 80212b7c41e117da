// Fuzz target: the request parser, on the input as one request and as JSON Lines read the way
// `telpolicy eval --batch` reads them, with the default limits and with small ones; its fast reader
// held to its full one (whatever the fast reader accepts, the full reader reads the same); and both
// held to an independent strict reader, jsoncpp: what telpolicy accepts is one JSON object with each
// key once and nothing after it, whose fields jsoncpp reads alike. Mutations are structure-aware
// (request_mutator.cpp).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sys/mman.h>
#include <unistd.h>

#include <json/reader.h>
#include <json/value.h>

#include <telpolicy/request.hpp>

#include "line_reader.hpp"
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

// jsoncpp in its strict mode: RFC 8259 JSON, every extension off (comments, trailing commas,
// single quotes, NaN and Infinity, numeric keys, dropped null placeholders: allowDroppedNullPlaceholders
// and allowNumericKeys are false), the root an object or an array, a key given twice refused at
// every depth (rejectDupKeys), anything but whitespace after the value refused (failIfExtra).
Json::CharReader& strict_reader() {
    static const std::unique_ptr<Json::CharReader> reader = [] {
        Json::CharReaderBuilder builder;
        Json::CharReaderBuilder::strictMode(&builder.settings_);
        return std::unique_ptr<Json::CharReader>(builder.newCharReader());
    }();
    return *reader;
}

// The member, or nullptr when it is absent or null (the contract's "absent" for optional fields).
const Json::Value* member(const Json::Value& object, std::string_view name) {
    const Json::Value* value = object.find(name.data(), name.data() + name.size());
    return value == nullptr || value->isNull() ? nullptr : value;
}

bool same_string(const Json::Value* value, std::string_view expected) {
    return value != nullptr && value->isString() && value->asString() == expected;
}

// telpolicy reads a whole number written as a float (1e3, 10.0, -0.0) as that count; jsoncpp keeps
// it a double: the two are compared as numbers.
bool same_count(const Json::Value* value, std::uint64_t count) {
    if (value == nullptr) return false;
    switch (value->type()) {
        case Json::uintValue: return value->asLargestUInt() == count;
        case Json::intValue: return value->asLargestInt() >= 0 && static_cast<std::uint64_t>(value->asLargestInt()) == count;
        case Json::realValue: {
            const double number = value->asDouble();
            return number >= 0 && std::trunc(number) == number && number < 18446744073709551616.0 &&
                   static_cast<std::uint64_t>(number) == count;
        }
        default: return false;
    }
}

// Whenever telpolicy accepts a text, jsoncpp in strict mode accepts it too, as one object (each key
// once, at every depth, and nothing after it), and reads every field telpolicy read the same way.
// The known differences, all where jsoncpp is the laxer one, which this check cannot see past:
// - jsoncpp (1.9.5) takes a NUL byte where a token may begin for the end of the text, so
//   `{...}\0x` passes its failIfExtra, and it takes raw control characters (NUL included) inside
//   strings. RFC 8259 allows a control character nowhere but as whitespace (tab, LF, CR): that is
//   checked here on the bytes, without any reader.
// - its numbers are laxer than JSON's (`-`, `01`, `1.`, `+1` read as 0, 1, 1.0, 1.0), and it keeps a
//   lone low surrogate (U+DC00 escaped alone) and bytes that are not UTF-8, which nlohmann refuses.
// - its depth limit (stackLimit, 1000) is far above telpolicy's (max_json_depth, 32 in this target),
//   and both read a number beyond a double's range (1e400) as an error and one below it (1e-400) as 0.
// - both skip a UTF-8 byte order mark before the value (jsoncpp's skipBom; nlohmann always).
void check_against_strict_reader(std::string_view text, const telpolicy::Request& request) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') std::abort();
    }
    Json::Value root;
    Json::String errors;
    if (!strict_reader().parse(text.data(), text.data() + text.size(), &root, &errors) || !root.isObject()) {
        std::abort();
    }
    const Json::Value* country = member(root, "country");
    if (country == nullptr || !country->isString() || country->asString().size() != 2) std::abort();
    std::string upper = country->asString();
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    if (upper != request.country || !same_string(member(root, "action"), request.action)) std::abort();

    const Json::Value* number_type = member(root, "number_type");
    if (request.number_type ? !same_string(number_type, *request.number_type) : number_type != nullptr) std::abort();

    const Json::Value* numbers = member(root, "numbers");
    if (request.numbers) {
        if (numbers == nullptr || !numbers->isArray() || numbers->size() != request.numbers->size()) std::abort();
        for (Json::ArrayIndex i = 0; i < numbers->size(); ++i) {
            if (!same_string(&(*numbers)[i], (*request.numbers)[i])) std::abort();
        }
    } else if (numbers != nullptr) {
        std::abort();
    }

    const Json::Value* count = member(root, "count");
    if (request.count ? !same_count(count, *request.count) : count != nullptr) std::abort();

    const Json::Value* pin = member(root, "pin");
    if (request.pin ? !same_string(pin, request.pin->reveal()) : pin != nullptr) std::abort();

    const Json::Value* pin_is_set = member(root, "pin_is_set");
    if (pin_is_set != nullptr && (!pin_is_set->isBool() || pin_is_set->asBool() != request.pin_is_set)) std::abort();
    if (pin_is_set == nullptr && request.pin_is_set) std::abort();

    // telpolicy writes "en_US" as "en-US"; absent is empty.
    const Json::Value* locale = member(root, "locale");
    std::string tag = locale != nullptr && locale->isString() ? locale->asString() : std::string();
    std::replace(tag.begin(), tag.end(), '_', '-');
    if (request.locale.empty() ? locale != nullptr : (locale == nullptr || tag != request.locale)) std::abort();
}

// parse_request (its simdjson fast path in front of the full reader) gives exactly what the full
// reader alone gives: the same request or the same message; and what it accepts, jsoncpp reads alike.
void check_against_full_reader(std::string_view text, const telpolicy::Limits& limits) {
    const telpolicy::ParsedRequest parsed = telpolicy::parse_request(text, limits);
    check(parsed);
    const telpolicy::ParsedRequest full = telpolicy::detail::parse_request_full(text, limits);
    if (parsed.error != full.error || parsed.request.has_value() != full.request.has_value()) std::abort();
    if (!full.request) return;
    if (!same(*parsed.request, *full.request)) std::abort();
    check_against_strict_reader(text, *full.request);
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
