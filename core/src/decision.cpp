// Decisions the core makes itself, before any country's rules are reached.
#include <telpolicy/decision.hpp>
#include <telpolicy/violation_codes.hpp>

namespace telpolicy {

Decision Decision::invalid_request(std::string message) {
    Decision decision;
    decision.violations.push_back({std::string(violation_code::request_invalid), std::move(message), "core.request"});
    decision.matched_rules.emplace_back("core.request");
    return decision;
}

}  // namespace telpolicy
