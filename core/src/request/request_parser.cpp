// Parses the contract's request JSON into a Request, naming the faulty field on any error.
//
// Two readers: a fast one (simdjson On-Demand) for the plain requests that make up nearly all traffic,
// and the full one (nlohmann::json) for everything else. The fast reader accepts a text only when it
// can tell that the full one would accept it and build the very same Request; on any doubt (a syntax
// error, a wrong type, an unknown or repeated field, an escape in a string, a large
// text) it gives up and the full reader reads the text again, which writes the message. So the
// language and the messages are the full reader's alone. tests/unit-request-fast-path.cpp and the
// request-parser fuzz target compare the two.
#include <telpolicy/request.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include <string.h>  // explicit_bzero

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "request/request_parser.hpp"
#include "text/text_excerpt.hpp"

namespace telpolicy {
namespace {

using json = nlohmann::json;

std::string_view type_name(const json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "an integer";
        // JSON has one kind of number: 1e3 is a whole number though the parser keeps it as a float.
        case json::value_t::number_float:
            return std::trunc(value.get<double>()) == value.get<double>() ? "a number" : "a number with a fraction";
        default: return "a binary value";
    }
}

struct FieldError {
    std::string message;
};

std::string wrong_type(std::string_view field, std::string_view expected, const json& value) {
    return "field '" + std::string(field) + "' must be " + std::string(expected) + ", got " +
           std::string(type_name(value));
}

bool is_bcp47(std::string_view tag) {
    // language(-subtag)*: letters first, then 1-8 alphanumerics per subtag.
    if (tag.empty() || tag.size() > 64) return false;
    std::size_t start = 0;
    bool first = true;
    while (start <= tag.size()) {
        const std::size_t end = std::min(tag.find('-', start), tag.size());
        const std::string_view part = tag.substr(start, end - start);
        if (part.empty() || part.size() > 8) return false;
        for (char c : part) {
            const auto byte = static_cast<unsigned char>(c);
            if (first ? !std::isalpha(byte) : !std::isalnum(byte)) return false;
        }
        if (first && part.size() < 2) return false;
        first = false;
        start = end + 1;
    }
    return true;
}

// Each reader returns an error message, or an empty string when the field is fine or absent.
// JSON null counts as absent for optional fields, as most JSON APIs treat it.

std::string read_country(const json& object, Request& request) {
    const auto it = object.find("country");
    if (it == object.end() || it->is_null()) return "field 'country' is required";
    if (!it->is_string()) return wrong_type("country", "a string", *it);
    const auto& text = it->get_ref<const std::string&>();
    const bool two_letters = text.size() == 2 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) != 0;
    });
    if (!two_letters) {
        return "field 'country' must be an ISO 3166-1 alpha-2 code such as \"US\", got \"" + printable_excerpt(text) +
               "\"";
    }
    request.country.resize(2);
    std::transform(text.begin(), text.end(), request.country.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    return {};
}

// A word of the vocabulary (action, number_type), read as any string: the words themselves are the
// loaded rules' business, and the engine checks them against its vocabulary. nullptr when absent.
const json* find_word(const json& object, std::string_view field, std::string& error) {
    const auto it = object.find(field);
    if (it == object.end() || it->is_null()) return nullptr;
    if (!it->is_string()) error = wrong_type(field, "a string", *it);
    return error.empty() ? &*it : nullptr;
}

std::string read_action(const json& object, Request& request) {
    std::string error;
    const json* word = find_word(object, "action", error);
    if (word != nullptr) request.action = word->get_ref<const std::string&>();
    return word == nullptr && error.empty() ? "field 'action' is required" : error;
}

std::string read_number_type(const json& object, Request& request) {
    std::string error;
    if (const json* word = find_word(object, "number_type", error)) request.number_type = word->get_ref<const std::string&>();
    return error;
}

std::string read_numbers(const json& object, Request& request) {
    const auto it = object.find("numbers");
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_array()) return wrong_type("numbers", "an array of strings", *it);
    std::vector<std::string> numbers;
    numbers.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& element = (*it)[i];
        if (!element.is_string()) {
            return wrong_type("numbers[" + std::to_string(i) + "]", "a string", element);
        }
        numbers.push_back(element.get<std::string>());
    }
    request.numbers = std::move(numbers);
    return {};
}

std::string read_count(const json& object, Request& request) {
    const auto it = object.find("count");
    if (it == object.end() || it->is_null()) return {};
    if (it->is_number_unsigned()) {
        request.count = it->get<std::uint64_t>();
        return {};
    }
    if (it->is_number_integer()) {
        if (it->get<std::int64_t>() < 0) return "field 'count' must not be negative";
        request.count = 0;  // -0
        return {};
    }
    if (it->is_number_float()) {
        // A whole number written with an exponent or a fraction of zero (1e3, 10.0, -0.0) is that
        // integer, as JSON Schema's "integer" has it; the parser keeps only integers of 64 bits as such.
        const double value = it->get<double>();
        if (std::trunc(value) != value) return "field 'count' must be a whole number, got a number with a fraction";
        if (value < 0) return "field 'count' must not be negative";
        constexpr double two_to_the_64 = 18446744073709551616.0;
        if (value >= two_to_the_64) {
            return "field 'count' is too large: at most " + std::to_string(std::numeric_limits<std::uint64_t>::max());
        }
        request.count = static_cast<std::uint64_t>(value);
        return {};
    }
    return wrong_type("count", "a non-negative integer", *it);
}

std::string read_pin(const json& object, Request& request) {
    const auto it = object.find("pin");
    if (it == object.end() || it->is_null()) return {};
    // The message names the field and the type only: the value is a secret.
    if (!it->is_string()) return wrong_type("pin", "a string", *it);
    request.pin.emplace(it->get_ref<const std::string&>());
    return {};
}

std::string read_pin_is_set(const json& object, Request& request) {
    const auto it = object.find("pin_is_set");
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_boolean()) return wrong_type("pin_is_set", "true or false", *it);
    request.pin_is_set = it->get<bool>();
    return {};
}

std::string read_locale(const json& object, Request& request) {
    const auto it = object.find("locale");
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) return wrong_type("locale", "a string", *it);
    std::string tag = it->get<std::string>();
    std::replace(tag.begin(), tag.end(), '_', '-');  // "en_US" is a common spelling of "en-US"
    if (!is_bcp47(tag)) {
        return "field 'locale' must be a BCP 47 language tag such as \"en-US\", got \"" + printable_excerpt(tag) + "\"";
    }
    request.locale = std::move(tag);
    return {};
}

std::string read_as_of(const json& object, Request& request) {
    const auto it = object.find("as_of");
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) return wrong_type("as_of", "a date or a date-time with its zone, as a string", *it);
    ParsedInstant parsed = parse_date_time(it->get_ref<const std::string&>());
    if (!parsed.value) return "field 'as_of' \"" + printable_excerpt(it->get_ref<const std::string&>()) + "\": " + parsed.error;
    request.as_of = *parsed.value;
    return {};
}

// Wipes the parsed document's copy of the PIN before the document is freed, whatever its type (a
// PIN sent as a number or inside a list is still a secret).
void wipe_pin(json& object) noexcept {
    const auto it = object.find("pin");
    if (it == object.end()) return;
    std::vector<json*> pending{&*it};
    while (!pending.empty()) {
        json& value = *pending.back();
        pending.pop_back();
        if (value.is_string()) {
            auto& text = value.get_ref<std::string&>();
            std::fill(text.begin(), text.end(), '\0');
        } else if (value.is_number()) {
            value = 0;
        } else if (value.is_structured()) {
            for (json& child : value) pending.push_back(&child);
        }
    }
}

// Checked before any field is read, so that an over-long list or PIN is never copied. The messages
// give the limits, never the content.
std::string over_limits(const json& object, const Limits& limits) {
    if (const auto it = object.find("numbers"); it != object.end() && it->is_array() && it->size() > limits.max_numbers) {
        return "field 'numbers' lists " + std::to_string(it->size()) + " numbers, more than the limit of " +
               std::to_string(limits.max_numbers) + " (change it with --max-numbers)";
    }
    if (const auto it = object.find("pin");
        it != object.end() && it->is_string() && it->get_ref<const std::string&>().size() > limits.max_pin_bytes) {
        return "field 'pin' is longer than the limit of " + std::to_string(limits.max_pin_bytes) +
               " bytes (change it with --max-pin-bytes)";
    }
    return {};
}

// ----- the fast reader -----

namespace od = simdjson::ondemand;

// Longer texts go to the full reader. This keeps the fast reader's buffers small (its parser needs
// about six bytes a byte of text, allocated once a thread); a request this long is rare (it lists
// some 900 numbers).
constexpr std::size_t fast_path_max_bytes = std::size_t{16} << 10;
// simdjson's first stage reads the text in blocks of up to 128 bytes and copies a last, partial block
// to its stack. The text is padded with spaces (JSON whitespace) to whole blocks, so that none of it,
// a PIN included, is copied anywhere that is not cleared.
constexpr std::size_t fast_block = 128;
constexpr std::size_t fast_capacity = fast_path_max_bytes + fast_block;
constexpr std::size_t fast_buffer_bytes = fast_capacity + simdjson::SIMDJSON_PADDING;

// The request's fields, one bit each, to find repeats.
enum FieldBit : unsigned {
    unknown_field = 0,
    country_field = 1u << 0,
    action_field = 1u << 1,
    number_type_field = 1u << 2,
    numbers_field = 1u << 3,
    count_field = 1u << 4,
    pin_field = 1u << 5,
    pin_is_set_field = 1u << 6,
    locale_field = 1u << 7,
    as_of_field = 1u << 8,
};

// Which field a key names, comparing the key's raw bytes: a key written with an escape is unknown
// here (the full reader decodes it).
FieldBit field_of(const od::raw_json_string& key) noexcept {
    const char* const raw = key.raw();
    // Reads at most the name's length plus one: the key's bytes, its closing quote and what follows,
    // all inside the padded buffer.
    const auto is = [raw](std::string_view name) {
        return std::memcmp(raw, name.data(), name.size()) == 0 && raw[name.size()] == '"';
    };
    switch (raw[0]) {
        case 'c': return is("country") ? country_field : is("count") ? count_field : unknown_field;
        case 'a': return is("action") ? action_field : is("as_of") ? as_of_field : unknown_field;
        case 'n': return is("numbers") ? numbers_field : is("number_type") ? number_type_field : unknown_field;
        case 'p': return is("pin") ? pin_field : is("pin_is_set") ? pin_is_set_field : unknown_field;
        case 'l': return is("locale") ? locale_field : unknown_field;
        default: return unknown_field;
    }
}

// The bytes of a string value that holds no escape and no control character, in place; false for any
// other value. Such a string means the same bytes to both readers. Non-ASCII bytes must be UTF-8, as
// the full reader requires (simdjson checks the whole text too; this does not rely on it).
bool plain_string(od::value& value, const char* buffer_end, std::string_view& out) noexcept {
    od::raw_json_string raw;
    if (value.get_raw_json_string().get(raw) != simdjson::SUCCESS) return false;
    const char* const start = raw.raw();
    bool ascii = true;
    for (const char* p = start; p < buffer_end; ++p) {
        const auto byte = static_cast<unsigned char>(*p);
        if (byte == '"') {
            out = std::string_view(start, static_cast<std::size_t>(p - start));
            return ascii || simdjson::validate_utf8(out.data(), out.size());
        }
        if (byte == '\\' || byte < 0x20) return false;
        if (byte >= 0x80) ascii = false;
    }
    return false;
}

// JSON null, checked to be exactly `null`.
bool is_null(od::value& value, od::json_type type) noexcept {
    if (type != od::json_type::null) return false;
    bool null = false;
    return value.is_null().get(null) == simdjson::SUCCESS && null;
}

class FastReader {
public:
    FastReader() noexcept : buffer_(new (std::nothrow) char[fast_buffer_bytes]) {
        ready_ = buffer_ != nullptr && parser_.allocate(fast_capacity) == simdjson::SUCCESS;
    }
    ~FastReader() {
        if (buffer_) explicit_bzero(buffer_.get(), fast_buffer_bytes);
    }
    FastReader(const FastReader&) = delete;
    FastReader& operator=(const FastReader&) = delete;

    [[nodiscard]] bool ready() const noexcept { return ready_; }

    bool read(std::string_view text, const Limits& limits, Request& request) {
        // A NUL byte is not JSON; the full reader says where it is.
        if (text.empty() || std::memchr(text.data(), '\0', text.size()) != nullptr) return false;
        char* const buffer = buffer_.get();
        const std::size_t padded = (text.size() + fast_block - 1) / fast_block * fast_block;
        std::memcpy(buffer, text.data(), text.size());
        std::memset(buffer + text.size(), ' ', padded - text.size() + simdjson::SIMDJSON_PADDING);
        // The copy may hold a PIN: cleared however this returns.
        const struct Wipe {
            char* data;
            std::size_t size;
            ~Wipe() { explicit_bzero(data, size); }
        } wipe{buffer, text.size()};
        buffer_end_ = buffer + padded;

        od::document document;
        if (parser_.iterate(buffer, padded, fast_capacity).get(document) != simdjson::SUCCESS) return false;
        od::object object;
        if (document.get_object().get(object) != simdjson::SUCCESS) return false;
        unsigned seen = 0;
        for (auto member : object) {
            od::field field;
            if (std::move(member).get(field) != simdjson::SUCCESS) return false;
            const FieldBit which = field_of(field.key());
            if (which == unknown_field || (seen & which) != 0) return false;
            seen |= which;
            if (!read_field(which, field.value(), limits, request)) return false;
        }
        // Nothing may follow the object; simdjson reports OUT_OF_BOUNDS exactly at the end of a text
        // read without error.
        if (document.current_location().error() != simdjson::OUT_OF_BOUNDS) return false;
        return (seen & (country_field | action_field)) == (country_field | action_field);
    }

private:
    bool read_field(FieldBit which, od::value& value, const Limits& limits, Request& request) {
        od::json_type type{};
        if (value.type().get(type) != simdjson::SUCCESS) return false;
        // Null is "absent" for the optional fields; a required one is missing, which the full reader says.
        if (type == od::json_type::null) return which != country_field && which != action_field && is_null(value, type);
        std::string_view text;
        switch (which) {
            case country_field: {
                if (!plain_string(value, buffer_end_, text) || text.size() != 2) return false;
                const auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
                if (!letter(text[0]) || !letter(text[1])) return false;
                request.country.resize(2);
                std::transform(text.begin(), text.end(), request.country.begin(),
                               [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
                return true;
            }
            case action_field: {
                if (!plain_string(value, buffer_end_, text)) return false;
                request.action.assign(text);
                return true;
            }
            case number_type_field: {
                if (!plain_string(value, buffer_end_, text)) return false;
                if (request.number_type) {
                    request.number_type->assign(text);
                } else {
                    request.number_type.emplace(text);
                }
                return true;
            }
            case numbers_field: {
                od::array array;
                if (type != od::json_type::array || value.get_array().get(array) != simdjson::SUCCESS) return false;
                std::vector<std::string>& numbers = request.numbers.emplace();
                for (auto element : array) {
                    od::value item;
                    if (std::move(element).get(item) != simdjson::SUCCESS) return false;
                    if (numbers.size() >= limits.max_numbers) return false;  // over the limit: the full reader says so
                    if (!plain_string(item, buffer_end_, text)) return false;
                    numbers.emplace_back(text);
                }
                return true;
            }
            case count_field: {
                // Digits only, without a sign, a fraction or an exponent, and within 64 bits: what the
                // full reader takes as an unsigned integer. Anything else fails here.
                std::uint64_t count = 0;
                if (type != od::json_type::number || value.get_uint64().get(count) != simdjson::SUCCESS) return false;
                request.count = count;
                return true;
            }
            case pin_field: {
                if (!plain_string(value, buffer_end_, text) || text.size() > limits.max_pin_bytes) return false;
                request.pin.emplace(text);
                return true;
            }
            case pin_is_set_field: {
                bool set = false;
                if (type != od::json_type::boolean || value.get_bool().get(set) != simdjson::SUCCESS) return false;
                request.pin_is_set = set;
                return true;
            }
            case locale_field: {
                if (!plain_string(value, buffer_end_, text)) return false;
                std::string tag(text);
                std::replace(tag.begin(), tag.end(), '_', '-');
                if (!is_bcp47(tag)) return false;
                request.locale = std::move(tag);
                return true;
            }
            case as_of_field: {
                if (!plain_string(value, buffer_end_, text)) return false;
                const ParsedInstant parsed = parse_date_time(text);
                if (!parsed.value) return false;
                request.as_of = *parsed.value;
                return true;
            }
            case unknown_field: break;
        }
        return false;
    }

    od::parser parser_;
    std::unique_ptr<char[]> buffer_;
    const char* buffer_end_{nullptr};
    bool ready_{false};
};

// One reader a thread: the parser and the buffer are reused from request to request.
FastReader& fast_reader() {
    // simdjson picks its kernel for this CPU on first use; doing it once, here, orders that choice
    // before every thread's use of it.
    static const bool kernel_chosen = simdjson::get_active_implementation() != nullptr;
    (void)kernel_chosen;
    thread_local FastReader reader;
    return reader;
}
}  // namespace

ParsedRequest detail::parse_request_full(std::string_view json_text, const Limits& limits) noexcept {
    ParsedRequest result;
    try {
        if (json_text.size() > limits.max_request_bytes) {
            result.error = "the request is " + std::to_string(json_text.size()) + " bytes, more than the limit of " +
                           std::to_string(limits.max_request_bytes) + " bytes (change it with --max-request-bytes)";
            return result;
        }
        // nlohmann's reader takes a NUL byte for the end of the text, and would read a request that
        // another reader in front of telpolicy reads differently.
        if (const std::size_t nul = json_text.find('\0'); nul != std::string_view::npos) {
            result.error = "the request is not valid JSON (a NUL byte at byte " + std::to_string(nul + 1) + ")";
            return result;
        }
        json document;
        // The contract: one JSON object, each key once at every depth. nlohmann keeps the last of
        // two equal keys; this callback refuses the second instead.
        // It also refuses nesting deeper than the limit as it meets it, before building any of it.
        std::vector<std::vector<std::string>> open_objects;
        std::string repeated_key;
        struct RepeatedKey {};
        struct TooDeep {};
        const json::parser_callback_t refuse_repeated_keys = [&](int depth, json::parse_event_t event, json& parsed) {
            if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
                static_cast<std::size_t>(depth) >= limits.max_json_depth) {
                throw TooDeep{};
            }
            if (event == json::parse_event_t::object_start) {
                open_objects.emplace_back();
            } else if (event == json::parse_event_t::object_end && !open_objects.empty()) {
                open_objects.pop_back();
            } else if (event == json::parse_event_t::key && !open_objects.empty() && parsed.is_string()) {
                std::vector<std::string>& keys = open_objects.back();
                const auto& key = parsed.get_ref<const std::string&>();
                if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
                    repeated_key = key;
                    throw RepeatedKey{};
                }
                keys.push_back(key);
            }
            return true;
        };
        try {
            document = json::parse(json_text.begin(), json_text.end(), refuse_repeated_keys);
        } catch (const RepeatedKey&) {
            result.error = "the request gives the key \"" + printable_excerpt(repeated_key) +
                           "\" twice; each key may appear once";
            return result;
        } catch (const TooDeep&) {
            result.error = "the request nests objects and arrays deeper than the limit of " +
                           std::to_string(limits.max_json_depth) + " (change it with --max-json-depth)";
            return result;
        } catch (const json::out_of_range&) {
            // nlohmann reads a number beyond a double's range (1e400) as an error of its own; its
            // message quotes the number.
            result.error = "the request holds a number too large to read (beyond about 1.8e308)";
            return result;
        } catch (const json::parse_error& error) {
            // nlohmann's own message quotes the text it last read, which may be the PIN: keep only
            // the position.
            result.error = json_text.find_first_not_of(" \t\r\n") == std::string_view::npos
                               ? "the request is empty; expected a JSON object"
                               : "the request is not valid JSON (syntax error near byte " +
                                     std::to_string(error.byte) + ")";
            return result;
        }
        if (!document.is_object()) {
            result.error = "the request must be a JSON object, got " + std::string(type_name(document));
            return result;
        }
        Request request;
        result.error = over_limits(document, limits);
        for (auto reader : {read_country, read_action, read_number_type, read_numbers, read_count, read_pin,
                            read_pin_is_set, read_locale, read_as_of}) {
            if (!result.error.empty()) break;
            result.error = reader(document, request);
        }
        wipe_pin(document);
        if (result.error.empty()) result.request = std::move(request);
    } catch (const std::exception&) {
        result.request.reset();
        result.error = "the request could not be read (out of memory)";
    }
    return result;
}

bool detail::parse_request_fast(std::string_view json_text, const Limits& limits, Request& request) noexcept {
    if (json_text.size() > fast_path_max_bytes || json_text.size() > limits.max_request_bytes) return false;
    // The fast reader's texts nest two deep (the numbers array in the request object); a lower
    // limit than that is the full reader's to enforce.
    if (limits.max_json_depth < 2) return false;
    try {
        FastReader& reader = fast_reader();
        if (!reader.ready()) return false;
        return reader.read(json_text, limits, request);
    } catch (...) {  // out of memory: the full reader says so
        return false;
    }
}

ParsedRequest parse_request(std::string_view json_text, const Limits& limits) noexcept {
    ParsedRequest result;
    result.request.emplace();
    if (detail::parse_request_fast(json_text, limits, *result.request)) return result;
    result.request.reset();
    return detail::parse_request_full(json_text, limits);
}

}  // namespace telpolicy
