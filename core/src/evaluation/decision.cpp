// Decisions the core makes itself, before any country's rules are reached, and contact kinds.
#include <telpolicy/decision.hpp>
#include <telpolicy/violation_codes.hpp>

namespace telpolicy {
namespace {
constexpr std::string_view contact_kind_names[] = {"mailbox", "service_desk", "partner", "portal"};
}  // namespace

std::string_view to_string(ContactKind kind) noexcept { return contact_kind_names[static_cast<std::size_t>(kind)]; }

std::optional<ContactKind> parse_contact_kind(std::string_view text) noexcept {
    for (std::size_t i = 0; i < std::size(contact_kind_names); ++i) {
        if (contact_kind_names[i] == text) return static_cast<ContactKind>(i);
    }
    return std::nullopt;
}

bool Decision::is_invalid_request() const noexcept {
    return violations.size() == 1 && violations.front().rule == "core.request" &&
           violations.front().code == violation_code::request_invalid;
}

Decision Decision::invalid_request(std::string message) {
    Decision decision;
    decision.violations.push_back({std::string(violation_code::request_invalid), std::move(message), "core.request"});
    decision.matched_rules.emplace_back("core.request");
    return decision;
}

}  // namespace telpolicy
