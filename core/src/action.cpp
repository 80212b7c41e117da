// Contract spellings of actions and number types.
#include <telpolicy/action.hpp>

namespace telpolicy {

std::string_view to_string(Action action) noexcept {
    switch (action) {
        case Action::new_numbers: return "new_numbers";
        case Action::port_in: return "port_in";
        case Action::convert_to_service: return "convert_to_service";
        case Action::transfer_tenant: return "transfer_tenant";
        case Action::port_out: return "port_out";
        case Action::set_pin: return "set_pin";
        case Action::clear_pin: return "clear_pin";
    }
    return "unknown";
}

std::string_view to_string(NumberType type) noexcept {
    switch (type) {
        case NumberType::user: return "user";
        case NumberType::service: return "service";
        case NumberType::toll_free: return "toll_free";
    }
    return "unknown";
}

std::optional<Action> parse_action(std::string_view text) noexcept {
    for (Action action : all_actions) {
        if (to_string(action) == text) return action;
    }
    return std::nullopt;
}

std::optional<NumberType> parse_number_type(std::string_view text) noexcept {
    if (text == "subscriber") return NumberType::user;  // the seeds use both words for one thing
    for (NumberType type : all_number_types) {
        if (to_string(type) == text) return type;
    }
    return std::nullopt;
}

}  // namespace telpolicy
