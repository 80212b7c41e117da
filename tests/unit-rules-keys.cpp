// telpolicy/rules_keys.hpp, the keys editors complete, against the keys the rule loader accepts: a
// key put in a place it does not belong is refused with the list of that place's keys, which must
// be the header's list, in its order.
#include <gtest/gtest.h>

#include <map>
#include <span>
#include <string>

#include <telpolicy/authoring.hpp>
#include <telpolicy/rules_keys.hpp>

namespace telpolicy {
namespace {

// A rules file with the unknown key `zzz` in every place that has keys.
const char* const everywhere_wrong = R"(format: 1
plugin: xt
countries: [XT]
actions: [new_numbers]
zzz: 1
pin: {used: true, characters: ascii_digits, length: {min: 1, max: 2, zzz: 1}, zzz: 1}
forms:
  - {id: f, title: F, zzz: 1}
mailboxes:
  - {id: m, address: m@example.test, zzz: 1}
contacts:
  - {id: c, kind: portal, url: "https://example.test/", zzz: 1}
rules:
  - id: xt.a
    zzz: 1
    when: {action: new_numbers, zzz: 1, count: {more_than: 1, zzz: 1}, numbers: {given: true, zzz: 1, each: {valid: true, zzz: 1}}}
    then: {forms: [f], zzz: 1, deny: {code: numbers.missing, message: m, zzz: 1}}
)";

std::string joined(std::span<const std::string_view> keys) {
    std::string out;
    for (std::string_view key : keys) out += (out.empty() ? "" : ", ") + std::string(key);
    return out;
}

TEST(RulesKeys, AreTheKeysTheRuleLoaderAccepts) {
    const std::map<std::string, std::string> expected{
        {"the rules file", joined(rules_keys::top_level)},
        {"pin", joined(rules_keys::pin)},
        {"pin.length", joined(rules_keys::pin_length)},
        {"a form", joined(rules_keys::form)},
        {"a mailbox", joined(rules_keys::mailbox)},
        {"a contact", joined(rules_keys::contact)},
        {"rule 'xt.a'", joined(rules_keys::rule)},
        {"rule 'xt.a' when", joined(rules_keys::when)},
        {"rule 'xt.a' when.count", joined(rules_keys::when_count)},
        {"rule 'xt.a' when.numbers", joined(rules_keys::when_numbers)},
        {"rule 'xt.a' when.numbers.each", joined(rules_keys::number_filter)},
        {"rule 'xt.a' then", joined(rules_keys::then)},
        {"rule 'xt.a' then.deny", joined(rules_keys::deny)},
    };
    std::map<std::string, std::string> accepted;
    const std::string prefix = "unknown key 'zzz' in ";
    const std::string list = " (expected one of: ";
    for (const Diagnostic& diagnostic : check_rules_text(everywhere_wrong, "xt.yaml").diagnostics) {
        const std::string& message = diagnostic.message;
        if (message.rfind(prefix, 0) != 0) continue;
        const std::size_t open = message.find(list);
        ASSERT_NE(open, std::string::npos) << message;
        std::string place = message.substr(prefix.size(), open - prefix.size());
        place = place.substr(0, place.find(';'));  // "...; did you mean ..."
        accepted[place] = message.substr(open + list.size(), message.size() - open - list.size() - 1);
    }
    EXPECT_EQ(accepted, expected);
}

}  // namespace
}  // namespace telpolicy
