// The engine's answer to a request (the contract's decision JSON).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/action.hpp>

namespace telpolicy {

struct Form {
    std::string id;
    std::string title;
    std::string version;
    std::string locale;
    std::string url;
};

struct Violation {
    std::string code;     // stable, e.g. "pin.length" (see violation_codes.hpp)
    std::string message;  // for people; never holds the PIN
    std::string rule;     // id of the rule that found it
};

struct PluginIdentity {
    std::string name;
    std::string version;
};

struct Decision {
    std::optional<std::string> country;  // upper case; absent when the request was invalid
    std::optional<Action> action;
    std::optional<PluginIdentity> plugin;
    std::vector<Form> forms;
    std::optional<std::string> mailbox;
    std::vector<std::string> requirements;  // the contract's `requires`
    std::vector<Violation> violations;
    std::vector<std::string> notes;
    std::vector<std::string> matched_rules;

    // The contract ties `allowed` to the violations, so it is derived rather than stored.
    [[nodiscard]] bool allowed() const noexcept { return violations.empty(); }

    // The decision on a request that could not be read: one request.invalid violation with
    // `message` (for people; it must not quote the PIN), from the rule "core.request".
    [[nodiscard]] static Decision invalid_request(std::string message);
};

// The contract's JSON. indent < 0 gives one line (JSON Lines); otherwise pretty-printed.
std::string to_json(const Decision& decision, int indent = -1);
// The same, appended to `out`: a loop writing many decisions reuses one buffer.
void to_json(const Decision& decision, std::string& out, int indent = -1);

}  // namespace telpolicy
