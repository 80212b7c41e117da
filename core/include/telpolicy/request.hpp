// A request to the engine (the contract's request JSON), and its parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/date_time.hpp>
#include <telpolicy/limits.hpp>
#include <telpolicy/transfer_pin.hpp>

namespace telpolicy {

struct Request {
    std::string country;  // ISO 3166-1 alpha-2, upper case
    std::string action;                      // a word of the loaded rules' vocabulary, e.g. "port_in"
    std::optional<std::string> number_type;  // e.g. "toll_free"; nullopt when the field was absent
    std::optional<std::vector<std::string>> numbers;  // nullopt when the field was absent
    std::optional<std::uint64_t> count;                // nullopt when the field was absent
    std::optional<TransferPin> pin;
    bool pin_is_set{false};
    std::string locale;  // BCP 47, as given (case is ignored when matching); empty when absent
    // The instant to decide for, where rules have effective dates; nullopt: the time of evaluation.
    std::optional<Instant> as_of;

    // `count` when given, else the length of `numbers` (zero when neither is given).
    [[nodiscard]] std::uint64_t effective_count() const noexcept {
        if (count) return *count;
        return numbers ? numbers->size() : 0;
    }
};

// The fields the contract defines. A request may carry others, which the engine ignores (the contract
// says so); a policy test, whose request is written by hand, treats them as typos.
inline constexpr std::string_view request_fields[] = {"country", "action",     "number_type", "numbers", "count",
                                                      "pin",     "pin_is_set", "locale",      "as_of"};

// The outcome of parsing: a request, or a message for people that names the faulty field. The
// message never quotes the PIN.
struct ParsedRequest {
    std::optional<Request> request;
    std::string error;
};

// Parses one request from JSON text. Never throws; any problem is reported in `error`, including a
// request over one of `limits` (its size, its number of numbers, its PIN's length).
ParsedRequest parse_request(std::string_view json_text, const Limits& limits = {}) noexcept;

}  // namespace telpolicy
