// The actions and number types a request can name, and their contract spellings.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace telpolicy {

// What the organization wants to do (the contract's `action`).
enum class Action : std::uint8_t {
    new_numbers,
    port_in,
    convert_to_service,
    transfer_tenant,
    port_out,
    set_pin,
    clear_pin,
};

inline constexpr std::array<Action, 7> all_actions{
    Action::new_numbers, Action::port_in,  Action::convert_to_service, Action::transfer_tenant,
    Action::port_out,    Action::set_pin,  Action::clear_pin,
};

// The kind of number a request is about (the contract's `number_type`).
enum class NumberType : std::uint8_t {
    user,  // also called subscriber
    service,
    toll_free,
};

inline constexpr std::array<NumberType, 3> all_number_types{NumberType::user, NumberType::service,
                                                             NumberType::toll_free};

// Contract spelling, e.g. "convert_to_service".
std::string_view to_string(Action action) noexcept;
std::string_view to_string(NumberType type) noexcept;

// Exact, case-sensitive parse of the contract spelling; nullopt for anything else.
std::optional<Action> parse_action(std::string_view text) noexcept;
// Accepts "user", its synonym "subscriber", "service" and "toll_free".
std::optional<NumberType> parse_number_type(std::string_view text) noexcept;

}  // namespace telpolicy
