// Parses the contract's request JSON into a Request, naming the faulty field on any error.
#include <telpolicy/request.hpp>

#include <algorithm>
#include <cctype>
#include <string>

#include <nlohmann/json.hpp>

namespace telpolicy {
namespace {

using json = nlohmann::json;

// Echoes a short, printable excerpt of a value the user sent (an unknown action, say), so that a
// message can show it without carrying an arbitrarily long or binary string.
std::string excerpt(std::string_view text) {
    constexpr std::size_t limit = 40;
    std::string out;
    for (char c : text.substr(0, limit)) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte >= 0x20 && byte < 0x7f) ? c : '?';
    }
    if (text.size() > limit) out += "...";
    return out;
}

std::string_view type_name(const json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "an integer";
        case json::value_t::number_float: return "a number with a fraction";
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
        return "field 'country' must be an ISO 3166-1 alpha-2 code such as \"US\", got \"" + excerpt(text) +
               "\"";
    }
    request.country.resize(2);
    std::transform(text.begin(), text.end(), request.country.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    return {};
}

std::string read_action(const json& object, Request& request) {
    const auto it = object.find("action");
    if (it == object.end() || it->is_null()) return "field 'action' is required";
    if (!it->is_string()) return wrong_type("action", "a string", *it);
    const auto& text = it->get_ref<const std::string&>();
    const auto action = parse_action(text);
    if (!action) {
        return "field 'action' has unknown value \"" + excerpt(text) +
               "\"; expected one of new_numbers, port_in, convert_to_service, transfer_tenant, port_out, "
               "set_pin, clear_pin";
    }
    request.action = *action;
    return {};
}

std::string read_number_type(const json& object, Request& request) {
    const auto it = object.find("number_type");
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) return wrong_type("number_type", "a string", *it);
    const auto& text = it->get_ref<const std::string&>();
    const auto type = parse_number_type(text);
    if (!type) {
        return "field 'number_type' has unknown value \"" + excerpt(text) +
               "\"; expected one of user (or subscriber), service, toll_free";
    }
    request.number_type = *type;
    return {};
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
    if (it->is_number_integer()) return "field 'count' must not be negative";
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
        return "field 'locale' must be a BCP 47 language tag such as \"en-US\", got \"" + excerpt(tag) + "\"";
    }
    request.locale = std::move(tag);
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

}  // namespace

ParsedRequest parse_request(std::string_view json_text, const Limits& limits) noexcept {
    ParsedRequest result;
    try {
        if (json_text.size() > limits.max_request_bytes) {
            result.error = "the request is " + std::to_string(json_text.size()) + " bytes, more than the limit of " +
                           std::to_string(limits.max_request_bytes) + " bytes (change it with --max-request-bytes)";
            return result;
        }
        json document;
        try {
            document = json::parse(json_text.begin(), json_text.end());
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
                            read_pin_is_set, read_locale}) {
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

}  // namespace telpolicy
