// The engine's answer to a request (the contract's decision JSON).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/date_time.hpp>

namespace telpolicy {

struct Form {
    std::string id;
    std::string title;
    // Absent where the page gives none: a form title without a version, a link without a locale,
    // an empty link or "(ADD LINK)". The decision says null rather than inventing one.
    std::optional<std::string> version;
    std::optional<std::string> locale;
    std::optional<std::string> url;
};

// Where a request goes (the contract's `contacts[].kind`).
enum class ContactKind : std::uint8_t {
    mailbox,       // an e-mail address
    service_desk,  // a desk with a web page, and often a mailbox of its own
    partner,       // another company that handles the request (a carrier)
    portal,        // a web page where the request is made
};

// Contract spelling, e.g. "service_desk"; nullopt for anything else.
std::string_view to_string(ContactKind kind) noexcept;
std::optional<ContactKind> parse_contact_kind(std::string_view text) noexcept;

struct Contact {
    ContactKind kind{ContactKind::mailbox};
    std::string name;                    // for people
    std::optional<std::string> address;  // an e-mail address
    std::optional<std::string> url;      // a web page, fetchable as it is
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
    std::optional<std::string> action;  // the action's word (a synonym given as the word it stands for)
    std::optional<PluginIdentity> plugin;
    std::vector<Form> forms;
    std::optional<std::string> mailbox;  // the address of the first mailbox of `contacts`
    std::vector<Contact> contacts;       // every destination, in order
    std::vector<std::string> requirements;  // the contract's `requires`
    std::vector<Violation> violations;
    std::vector<std::string> notes;
    std::vector<std::string> matched_rules;
    // The instant it was decided for, when that mattered: the request gave `as_of`, or the country's
    // rules have effective dates. Absent otherwise, since every date decides alike.
    std::optional<Instant> as_of;

    // The contract ties `allowed` to the violations, so it is derived rather than stored.
    [[nodiscard]] bool allowed() const noexcept { return violations.empty(); }

    // The decision on a request that could not be read: one request.invalid violation with
    // `message` (for people; it must not quote the PIN), from the rule "core.request".
    [[nodiscard]] static Decision invalid_request(std::string message);
    // Whether this is such a decision: the request could not be read, or names a word that no
    // loaded plugin knows.
    [[nodiscard]] bool is_invalid_request() const noexcept;
};

// The fields of the decision JSON, in the contract's order (as_of last, where it is written): what a
// policy test may expect, and what replay compares.
inline constexpr std::string_view decision_fields[] = {"allowed",  "country",  "action",     "plugin", "forms",         "mailbox",
                                                       "contacts", "requires", "violations", "notes",  "matched_rules", "as_of"};

class JsonWriter;

// The contract's JSON. indent < 0 gives one line (JSON Lines); otherwise pretty-printed.
std::string to_json(const Decision& decision, int indent = -1);
// The same, appended to `out`: a loop writing many decisions reuses one buffer.
void to_json(const Decision& decision, std::string& out, int indent = -1);
// The same as one value of a larger document (telpolicy/json_writer.hpp).
void write_json(const Decision& decision, JsonWriter& out);

}  // namespace telpolicy
