// Transfer PIN checks: required, format, length, must be set, cannot be cleared, not used here.
#include "evaluation/pin_check.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <telpolicy/violation_codes.hpp>

namespace telpolicy {
namespace {

// Adds a violation found by the PIN check `check`; returns its message, for the caller to write in
// place (assign/append reuse the slot a kept Decision already has).
std::string& add(DecisionBuilder& out, const RuleSet& rules, std::string_view check, std::string_view code) {
    Violation& violation = out.add_violation(code, {});
    violation.rule.assign(rules.plugin).append(".pin.").append(check);
    out.add_matched_rule(violation.rule);
    return violation.message;
}

void append_number(std::string& text, std::size_t value) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
    text.append(digits.data(), end);
}

std::string_view character_words(PinCharacters characters) {
    return characters == PinCharacters::ascii_digits ? "digits" : "characters";
}

// One of the plugin's own checks on `pin`, its message (if any) written into `message`.
int run_native_check(const PinPolicy& policy, std::size_t check, std::string_view pin, std::array<char, 256>& message) {
    return policy.bound_checks[check](pin.data(), pin.size(), message.data(), message.size());
}

// The characters' rule comes first: the native checks judge only PINs that pass it.
bool native_checks_run(const PinPolicy& policy, const Request& request) {
    return policy.used && request.pin && !request.pin->empty() &&
           pin_characters_allowed(request.pin->reveal(), policy.characters);
}

// The plugin's own checks, once the characters of the rules file are allowed. A check's message is the
// plugin's: it is bounded, made printable, and dropped if it quotes the PIN.
void run_native_checks(const RuleSet& rules, std::string_view pin, DecisionBuilder& out) {
    const PinPolicy& policy = rules.pin;
    for (std::size_t i = 0; i < policy.bound_checks.size(); ++i) {
        std::array<char, 256> buffer{};
        const int result = run_native_check(policy, i, pin, buffer);
        if (result == TELPOLICY_CHECK_PASS) continue;
        buffer.back() = '\0';
        std::string message(buffer.data());
        for (char& c : message) c = (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
        if (message.empty() || message.find(pin) != std::string::npos) message = "check '" + policy.checks[i] + "' refused it";
        if (result == TELPOLICY_CHECK_FAIL) {
            add(out, rules, policy.checks[i], violation_code::pin_format).assign("the transfer PIN is not valid: ").append(message);
        } else {
            add(out, rules, policy.checks[i], rules.plugin + ".check_unavailable")
                .assign("the plugin's check '")
                .append(policy.checks[i])
                .append("' could not run: ")
                .append(message);
        }
    }
}

}  // namespace

std::vector<PinCheckVerdict> native_check_verdicts(const RuleSet& rules, const Request& request) {
    const PinPolicy& policy = rules.pin;
    std::vector<PinCheckVerdict> verdicts;
    if (!native_checks_run(policy, request)) return verdicts;
    for (std::size_t i = 0; i < policy.bound_checks.size(); ++i) {
        std::array<char, 256> message{};
        verdicts.push_back({policy.checks[i], run_native_check(policy, i, request.pin->reveal(), message) == TELPOLICY_CHECK_PASS});
    }
    return verdicts;
}

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

void check_pin(const RuleSet& rules, const Request& request, RequestWords words, DecisionBuilder& out) {
    const PinPolicy& policy = rules.pin;
    const std::size_t action = words.action;
    const std::string& action_word = rules.words.actions[action];
    if (!policy.used) {
        if (policy.sets.contains(action) || policy.clears.contains(action)) {
            add(out, rules, "not_used", violation_code::pin_not_applicable)
                .assign("organizations in ")
                .append(request.country)
                .append(" do not use a transfer PIN");
        }
        return;
    }
    const bool pin_given = request.pin && !request.pin->empty();
    if (policy.clears.contains(action) && !policy.can_clear) {
        add(out, rules, "cannot_clear", violation_code::pin_cannot_clear)
            .assign("a transfer PIN can be changed but not removed");
    }
    if (policy.required_for.contains(action)) {
        // Setting a PIN that is set back to blank is removing it, in the seed's words.
        if (policy.sets.contains(action) && request.pin && request.pin->empty() && request.pin_is_set &&
            !policy.can_clear) {
            add(out, rules, "cannot_clear", violation_code::pin_cannot_clear)
                .assign("a transfer PIN can be changed but not set back to blank");
        } else if (!pin_given) {
            add(out, rules, "required", violation_code::pin_missing)
                .assign(action_word)
                .append(" needs the transfer PIN in the request's 'pin' field");
        } else {
            const std::string_view pin = request.pin->reveal();
            const std::string_view unit =
                policy.characters_called.empty() ? character_words(policy.characters) : policy.characters_called;
            if (!native_checks_run(policy, request)) {
                add(out, rules, "format", violation_code::pin_format)
                    .assign(policy.characters == PinCharacters::ascii_digits
                                ? "the transfer PIN may hold only the ASCII digits 0-9, no letters, spaces or other "
                                  "characters"
                                : "the transfer PIN may hold only the ASCII letters and digits");
            } else {
                run_native_checks(rules, pin, out);
            }
            const std::size_t length = pin_length(pin);
            if (length < policy.min_length || length > policy.max_length) {
                std::string& message = add(out, rules, "length", violation_code::pin_length);
                message.assign("the transfer PIN must have ");
                if (policy.min_length == policy.max_length) {
                    message.append("exactly ");  // Canada's 10 digits: not "10 to 10"
                } else {
                    append_number(message, policy.min_length);
                    message.append(" to ");
                }
                append_number(message, policy.max_length);
                message.append(" ").append(unit).append("; it has ");
                append_number(message, length);
            }
        }
    }
    if (policy.must_be_set_for.contains(action) && !request.pin_is_set) {
        add(out, rules, "must_be_set", violation_code::pin_not_set)
            .assign(action_word)
            .append(" needs the organization to have set a transfer PIN first, and it has none");
    }
}

}  // namespace telpolicy
