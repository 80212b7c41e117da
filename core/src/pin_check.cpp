// Transfer PIN checks: required, format, length, must be set, cannot be cleared, not used here.
#include "pin_check.hpp"

#include <algorithm>
#include <array>

#include <telpolicy/violation_codes.hpp>

namespace telpolicy {
namespace {

void add(Decision& decision, const RuleSet& rules, std::string_view check, std::string_view code,
         std::string message) {
    std::string rule_id = rules.plugin + ".pin." + std::string(check);
    decision.violations.push_back({std::string(code), std::move(message), rule_id});
    decision.matched_rules.push_back(std::move(rule_id));
}

std::string_view character_words(PinCharacters characters) {
    return characters == PinCharacters::ascii_digits ? "digits" : "characters";
}

// The plugin's own checks, once the characters of the rules file are allowed. A check's message is the
// plugin's: it is bounded, made printable, and dropped if it quotes the PIN.
void run_native_checks(const RuleSet& rules, std::string_view pin, Decision& decision) {
    const PinPolicy& policy = rules.pin;
    for (std::size_t i = 0; i < policy.bound_checks.size(); ++i) {
        std::array<char, 256> buffer{};
        const int result = policy.bound_checks[i](pin.data(), pin.size(), buffer.data(), buffer.size());
        if (result == TELPOLICY_CHECK_PASS) continue;
        buffer.back() = '\0';
        std::string message(buffer.data());
        for (char& c : message) c = (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
        if (message.empty() || message.find(pin) != std::string::npos) message = "check '" + policy.checks[i] + "' refused it";
        if (result == TELPOLICY_CHECK_FAIL) {
            add(decision, rules, policy.checks[i], violation_code::pin_format, "the transfer PIN is not valid: " + message);
        } else {
            add(decision, rules, policy.checks[i], rules.plugin + ".check_unavailable",
                "the plugin's check '" + policy.checks[i] + "' could not run: " + message);
        }
    }
}

}  // namespace

bool pin_characters_allowed(std::string_view pin, PinCharacters characters) noexcept {
    return std::all_of(pin.begin(), pin.end(), [characters](char c) {
        if (characters == PinCharacters::any) return true;
        const bool digit = c >= '0' && c <= '9';
        if (characters == PinCharacters::ascii_digits) return digit;
        return digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

std::size_t pin_length(std::string_view pin) noexcept {
    // Count every byte that does not continue a UTF-8 sequence.
    return static_cast<std::size_t>(std::count_if(
        pin.begin(), pin.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

void check_pin(const RuleSet& rules, const Request& request, Decision& decision) {
    const PinPolicy& policy = rules.pin;
    const Action action = request.action;
    if (!policy.used) {
        if (action == Action::set_pin || action == Action::clear_pin) {
            add(decision, rules, "not_used", violation_code::pin_not_applicable,
                "organizations in " + request.country + " do not use a transfer PIN");
        }
        return;
    }
    const bool pin_given = request.pin && !request.pin->empty();
    if (action == Action::clear_pin && !policy.can_clear) {
        add(decision, rules, "cannot_clear", violation_code::pin_cannot_clear,
            "a transfer PIN can be changed but not removed");
    }
    if ((policy.required_for & bit(action)) != 0) {
        // Setting a PIN that is set back to blank is removing it, in the seed's words.
        if (action == Action::set_pin && request.pin && request.pin->empty() && request.pin_is_set &&
            !policy.can_clear) {
            add(decision, rules, "cannot_clear", violation_code::pin_cannot_clear,
                "a transfer PIN can be changed but not set back to blank");
        } else if (!pin_given) {
            add(decision, rules, "required", violation_code::pin_missing,
                std::string(to_string(action)) + " needs the transfer PIN in the request's 'pin' field");
        } else {
            const std::string_view pin = request.pin->reveal();
            const std::string_view words =
                policy.characters_called.empty() ? character_words(policy.characters) : policy.characters_called;
            if (!pin_characters_allowed(pin, policy.characters)) {
                add(decision, rules, "format", violation_code::pin_format,
                    policy.characters == PinCharacters::ascii_digits
                        ? "the transfer PIN may hold only the ASCII digits 0-9, no letters, spaces or other characters"
                        : "the transfer PIN may hold only the ASCII letters and digits");
            } else {
                run_native_checks(rules, pin, decision);
            }
            const std::size_t length = pin_length(pin);
            if (length < policy.min_length || length > policy.max_length) {
                add(decision, rules, "length", violation_code::pin_length,
                    "the transfer PIN must have " + std::to_string(policy.min_length) + " to " +
                        std::to_string(policy.max_length) + " " + std::string(words) + "; it has " +
                        std::to_string(length));
            }
        }
    }
    if ((policy.must_be_set_for & bit(action)) != 0 && !request.pin_is_set) {
        add(decision, rules, "must_be_set", violation_code::pin_not_set,
            std::string(to_string(action)) + " needs the organization to have set a transfer PIN first, and it has none");
    }
}

}  // namespace telpolicy
