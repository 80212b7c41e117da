// What may be kept of a transfer PIN without the PIN: how many characters it has and of which kind.
// A decision log keeps these in place of the PIN it erases, so that `telpolicy replay` can decide the
// request again with a stand-in PIN that every check of a rules file judges as it judged the real
// one (characters, length, blank or not). A plugin's native checks judge the value itself: the log
// keeps their verdicts on the real PIN, and replay uses a stand-in only where each check judges it
// alike; otherwise the request is not replayable, and replay says so rather than guess.
//
// Why these are safe to keep: the characters' kind is the one the rules require in all but mistaken
// requests (digits, for the U.S.), and the length of a 6-to-10-digit PIN tells at most log2(5), about
// 2.3 bits, of a secret of at least 20; neither brings anyone closer to the digits themselves. A
// native check's verdict is a bit about a property its plugin already states in its messages.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/transfer_pin.hpp>

namespace telpolicy {

enum class PinCharacterClass {
    digits,              // the ASCII digits 0-9 only (and the blank PIN)
    letters_and_digits,  // ASCII letters and digits, at least one letter
    other,               // anything else: a space, a sign, a non-ASCII character
};

// The verdict of one of a plugin's native checks (a rules file's `pin.checks`) on a PIN.
struct PinCheckVerdict {
    std::string check;
    bool passed{false};

    bool operator==(const PinCheckVerdict&) const = default;
};

struct PinFacts {
    std::size_t length{0};  // in characters (UTF-8 code points), as the length rules count them
    PinCharacterClass characters{PinCharacterClass::digits};
    std::vector<PinCheckVerdict> checks;  // the native checks that ran on it (Engine::pin_check_verdicts)

    bool operator==(const PinFacts&) const = default;
};

// Its length and characters; the checks' verdicts are the engine's to give.
[[nodiscard]] PinFacts pin_facts(const TransferPin& pin) noexcept;

// A PIN of the same length and characters, one character repeated ("111111"): what replay decides with.
[[nodiscard]] TransferPin stand_in_pin(const PinFacts& facts);

// "digits", "letters_and_digits", "other", as decision logs write them.
[[nodiscard]] std::string_view to_string(PinCharacterClass characters) noexcept;
[[nodiscard]] std::optional<PinCharacterClass> parse_pin_character_class(std::string_view text) noexcept;

}  // namespace telpolicy
