// PIN facts, by the very functions the PIN checks use, so that a stand-in PIN is judged alike.
#include <telpolicy/pin_facts.hpp>

#include <string>

#include "evaluation/pin_check.hpp"

namespace telpolicy {

PinFacts pin_facts(const TransferPin& pin) noexcept {
    const std::string_view value = pin.reveal();
    PinFacts facts;
    facts.length = pin_length(value);
    if (pin_characters_allowed(value, PinCharacters::ascii_digits)) {
        facts.characters = PinCharacterClass::digits;
    } else if (pin_characters_allowed(value, PinCharacters::ascii_letters_and_digits)) {
        facts.characters = PinCharacterClass::letters_and_digits;
    } else {
        facts.characters = PinCharacterClass::other;
    }
    return facts;
}

TransferPin stand_in_pin(const PinFacts& facts) {
    const char character = facts.characters == PinCharacterClass::digits               ? '1'
                           : facts.characters == PinCharacterClass::letters_and_digits ? 'a'
                                                                                       : '-';
    return TransferPin(std::string(facts.length, character));
}

std::string_view to_string(PinCharacterClass characters) noexcept {
    switch (characters) {
        case PinCharacterClass::digits: return "digits";
        case PinCharacterClass::letters_and_digits: return "letters_and_digits";
        case PinCharacterClass::other: return "other";
    }
    return "other";
}

std::optional<PinCharacterClass> parse_pin_character_class(std::string_view text) noexcept {
    for (const auto characters : {PinCharacterClass::digits, PinCharacterClass::letters_and_digits, PinCharacterClass::other}) {
        if (text == to_string(characters)) return characters;
    }
    return std::nullopt;
}

}  // namespace telpolicy
