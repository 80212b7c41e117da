// Form selection: which forms a request gets, in which order, and how rule precedence works.
#include <gtest/gtest.h>

#include "evaluation/evaluator.hpp"
#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

TEST(FormSelection, PortInOffersTheLetterForTheNumberType) {
    EXPECT_EQ(form_ids(decide(R"({"country":"US","action":"port_in","number_type":"user"})")),
              std::vector<std::string>{"us-loa-user-service"});
    EXPECT_EQ(form_ids(decide(R"({"country":"US","action":"port_in","number_type":"service"})")),
              std::vector<std::string>{"us-loa-user-service"});
    EXPECT_EQ(form_ids(decide(R"({"country":"US","action":"port_in","number_type":"toll_free"})")),
              std::vector<std::string>{"us-loa-toll-free"});
}

TEST(FormSelection, PortInWithoutNumberTypeOffersBothLettersToPickFrom) {
    EXPECT_EQ(form_ids(decide(R"({"country":"US","action":"port_in"})")),
              (std::vector<std::string>{"us-loa-user-service", "us-loa-toll-free"}));
}

TEST(FormSelection, ActionsByEmailHaveNoForm) {
    for (const char* action : {"convert_to_service", "transfer_tenant", "port_out", "set_pin", "clear_pin"}) {
        EXPECT_TRUE(decide(std::string(R"({"country":"US","pin":"123456","pin_is_set":true,"numbers":["+12025550143"],"action":")") +
                           action + "\"}")["forms"]
                        .empty())
            << action;
    }
}

TEST(FormSelection, PuertoRicoGetsTheUnitedStatesForms) {
    EXPECT_EQ(decide(R"({"country":"PR","action":"new_numbers"})")["forms"],
              decide(R"({"country":"US","action":"new_numbers"})")["forms"]);
}

TEST(FormSelection, NoFormsOnAnInvalidOrUnsupportedRequest) {
    EXPECT_TRUE(decide(R"({"country":"BR","action":"new_numbers"})")["forms"].empty());
    EXPECT_TRUE(decide(R"({"country":"US","action":"new"})")["forms"].empty());
}

constexpr const char* precedence_rules = R"(
format: 1
plugin: pr
countries: [XP]
actions: [new_numbers, port_in]
pin: {used: false}
forms:
  - {id: a, title: A, version: "1", locale: en-GB, url: "https://example.test/a"}
  - {id: b, title: B, version: "1", locale: en-GB, url: "https://example.test/b"}
mailboxes:
  - {id: first, address: first@example.test}
  - {id: second, address: second@example.test}
rules:
  - id: pr.big
    when: {action: new_numbers, count: {more_than: 10}}
    then: {forms: [b], mailbox: second}
    final: true
  - id: pr.all
    when: {action: new_numbers}
    then: {forms: [a, b], mailbox: first, notes: [n1]}
  - id: pr.again
    when: {action: new_numbers}
    then: {forms: [a], mailbox: second, notes: [n1, n2]}
)";

Decision run(const RuleSet& rules, std::uint64_t count) {
    Request request;
    request.country = "XP";
    request.action = "new_numbers";
    request.count = count;
    Decision decision;
    evaluate_rules(rules, request, decision);
    return decision;
}

TEST(RulePrecedence, EveryMatchingRuleAddsItsOutcomeInFileOrder) {
    const RuleLoadResult loaded = load_rules_text(precedence_rules, "precedence.yaml");
    ASSERT_TRUE(loaded.value);
    const Decision decision = run(*loaded.value, 1);
    EXPECT_EQ(decision.matched_rules, (std::vector<std::string>{"pr.all", "pr.again"}));
    ASSERT_EQ(decision.forms.size(), 2u) << "forms are not repeated";
    EXPECT_EQ(decision.forms[0].id, "a");
    EXPECT_EQ(decision.forms[1].id, "b");
    EXPECT_EQ(decision.notes, (std::vector<std::string>{"n1", "n2"}));
}

TEST(RulePrecedence, TheFirstMatchingRuleDecidesTheMailbox) {
    const RuleLoadResult loaded = load_rules_text(precedence_rules, "precedence.yaml");
    ASSERT_TRUE(loaded.value);
    EXPECT_EQ(run(*loaded.value, 1).mailbox, "first@example.test");
}

TEST(RulePrecedence, AFinalRuleStopsTheReading) {
    const RuleLoadResult loaded = load_rules_text(precedence_rules, "precedence.yaml");
    ASSERT_TRUE(loaded.value);
    const Decision decision = run(*loaded.value, 11);
    EXPECT_EQ(decision.matched_rules, std::vector<std::string>{"pr.big"});
    EXPECT_EQ(decision.mailbox, "second@example.test");
    ASSERT_EQ(decision.forms.size(), 1u);
    EXPECT_EQ(decision.forms[0].id, "b");
}

TEST(RulePrecedence, AnActionTheRulesDoNotOfferIsUnsupported) {
    const RuleLoadResult loaded = load_rules_text(precedence_rules, "precedence.yaml");
    ASSERT_TRUE(loaded.value);
    Request request;
    request.country = "XP";
    request.action = "transfer_tenant";
    Decision decision;
    evaluate_rules(*loaded.value, request, decision);
    ASSERT_EQ(decision.violations.size(), 1u);
    EXPECT_EQ(decision.violations[0].code, "action.unsupported");
    EXPECT_EQ(decision.violations[0].rule, "pr.actions");
}

}  // namespace
}  // namespace telpolicy::test
