// Contacts: every destination of a decision, in order, with the first mailbox also as `mailbox`.
#include <gtest/gtest.h>

#include "evaluation/evaluator.hpp"
#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

TEST(Contacts, UsPortingGoesToOneMailboxContact) {
    const auto decision = decide(R"({"country":"US","action":"port_in","number_type":"toll_free"})");
    ASSERT_EQ(decision["contacts"].size(), 1u) << decision.dump();
    const auto& contact = decision["contacts"][0];
    EXPECT_EQ(contact["kind"], "mailbox");
    EXPECT_EQ(contact["address"], "ptn@microsoft.com");
    EXPECT_TRUE(contact["url"].is_null());
    EXPECT_TRUE(contact["name"].is_string());
    EXPECT_EQ(decision["mailbox"], "ptn@microsoft.com");
}

TEST(Contacts, RefusedAndInvalidRequestsHaveAnEmptyList) {
    EXPECT_TRUE(decide(R"({"country":"BR","action":"port_in"})")["contacts"].empty());
    EXPECT_TRUE(decide("{}")["contacts"].empty());
    EXPECT_TRUE(decide(R"({"country":"US","action":"set_pin","pin":"123456"})")["contacts"].empty());
}

// A page that sends some requests to a service desk and its mailbox, others to a partner.
constexpr const char* desk_rules = R"(format: 1
plugin: xt
countries: [XT]
base_url: "https://learn.example/en-us/microsoftteams/manage-phone-numbers-for-your-organization/xt"
actions: [new_numbers, port_in]
pin: {used: false}
forms:
  - {id: loa, title: LOA, version: "1", locale: en-GB, url: "../forms/LOA XT (v.1).pdf"}
mailboxes:
  - {id: desk-mail, address: desk@example.test, name: Service desk mailbox}
contacts:
  - {id: desk, kind: service_desk, name: PSTN service desk, url: ../pstn-service-desk}
  - {id: carrier, kind: partner, name: A carrier, url: "https://carrier.example/port in"}
rules:
  - id: xt.new
    when: {action: new_numbers}
    then: {contacts: [desk, desk-mail]}
  - id: xt.port
    when: {action: port_in}
    then: {forms: [loa], contacts: [carrier]}
  - id: xt.port.desk
    when: {action: port_in}
    then: {contacts: [desk]}
)";

TEST(Contacts, RulesRouteToDesksAndPartnersWithResolvedLinks) {
    const RuleLoadResult loaded = load_rules_text(desk_rules, "xt.yaml");
    ASSERT_TRUE(loaded.value) << loaded.diagnostics.front().to_string();
    const RuleSet& rules = *loaded.value;
    ASSERT_EQ(rules.contacts.size(), 3u);
    EXPECT_EQ(rules.contacts[1].contact.kind, ContactKind::service_desk);
    EXPECT_EQ(rules.contacts[1].contact.url, "https://learn.example/en-us/microsoftteams/pstn-service-desk");
    EXPECT_EQ(rules.contacts[2].contact.url, "https://carrier.example/port%20in");
    EXPECT_EQ(rules.forms[0].form.url, "https://learn.example/en-us/microsoftteams/forms/LOA%20XT%20(v.1).pdf");
}

TEST(Contacts, ContactsAccumulateInOrderAndTheFirstMailboxIsTheMailbox) {
    const RuleLoadResult loaded = load_rules_text(desk_rules, "xt.yaml");
    ASSERT_TRUE(loaded.value);
    Decision decision;
    Request request;
    request.country = "XT";
    request.action = "new_numbers";
    evaluate_rules(*loaded.value, request, decision);
    ASSERT_EQ(decision.contacts.size(), 2u);
    EXPECT_EQ(decision.contacts[0].kind, ContactKind::service_desk);
    EXPECT_EQ(decision.contacts[1].kind, ContactKind::mailbox);
    EXPECT_EQ(decision.mailbox, "desk@example.test");

    request.action = "port_in";
    evaluate_rules(*loaded.value, request, decision);
    ASSERT_EQ(decision.contacts.size(), 2u);
    EXPECT_EQ(decision.contacts[0].kind, ContactKind::partner);
    EXPECT_EQ(decision.contacts[1].kind, ContactKind::service_desk);
    EXPECT_FALSE(decision.mailbox) << "no mailbox among the contacts";
}

std::string first_error(const std::string& text) {
    const RuleLoadResult loaded = load_rules_text(text, "xt.yaml");
    EXPECT_FALSE(loaded.value);
    for (const Diagnostic& d : loaded.diagnostics) {
        if (d.severity == Severity::error) return d.to_string();
    }
    return {};
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

TEST(Contacts, MistakesAreReportedWhereTheyAre) {
    EXPECT_EQ(first_error(replaced(desk_rules, "kind: partner", "kind: partnr")),
              "xt.yaml:13:25: error: contact 'carrier' has the unknown kind 'partnr'; did you mean 'partner'? "
              "(expected one of: mailbox, service_desk, partner, portal)");
    EXPECT_EQ(first_error(replaced(desk_rules, "contacts: [desk, desk-mail]", "contacts: [desk, dsk-mail]")),
              "xt.yaml:17:29: error: rule 'xt.new' names contact 'dsk-mail', which is in neither 'contacts' nor "
              "'mailboxes'; did you mean 'desk-mail'? (contacts: carrier, desk, desk-mail)");
    EXPECT_NE(first_error(replaced(desk_rules, "base_url:", "# base_url:")).find("is a relative link; give the page's"),
              std::string::npos);
    EXPECT_NE(first_error(replaced(desk_rules, "contacts: [carrier]}", "mailbox: carrier}"))
                  .find("names 'carrier' as its mailbox, but it is a partner"),
              std::string::npos);
    EXPECT_NE(first_error(replaced(desk_rules, "name: A carrier, url: \"https://carrier.example/port in\"", "name: A carrier"))
                  .find("contact 'carrier' needs an 'address', a 'url', or both"),
              std::string::npos);
    EXPECT_NE(first_error(replaced(desk_rules, "{id: desk, kind", "{id: desk-mail, kind")).find("contact id 'desk-mail' is used twice"),
              std::string::npos);
}

}  // namespace
}  // namespace telpolicy::test
