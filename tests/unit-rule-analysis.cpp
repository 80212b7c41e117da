// Static analysis of rule sets: shadowed rules, mailbox conflicts and gaps, proved over the whole
// enumerated request space.
#include <gtest/gtest.h>

#include <telpolicy/authoring.hpp>

#include "analysis/rule_analysis.hpp"
#include "policy/rule_loader.hpp"

namespace telpolicy::test {
namespace {

std::vector<std::string> findings_of(const std::string& text) {
    const RuleLoadResult loaded = load_rules_text(text, "analysis.yaml");
    EXPECT_TRUE(loaded.value) << (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].to_string());
    if (!loaded.value) return {};
    std::vector<std::string> out;
    for (const Diagnostic& d : analyze_rules(*loaded.value, "analysis.yaml").findings) out.push_back(d.to_string());
    return out;
}

constexpr const char* header = R"(format: 1
plugin: xa
countries: [XA]
actions: [new_numbers, port_in]
pin: {used: false}
forms:
  - {id: f, title: F, version: "1", locale: en-GB, url: "https://example.test/f"}
mailboxes:
  - {id: one, address: one@example.test}
  - {id: two, address: two@example.test}
rules:
)";

TEST(RuleAnalysis, ShippedUsRulesHaveNoFindings) {
    const RulesCheck check = check_rules_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml");
    EXPECT_TRUE(check.loaded);
    for (const Diagnostic& d : check.diagnostics) ADD_FAILURE() << d.to_string();
    EXPECT_GT(check.requests_examined, 10000u) << "the whole request space, not a sample";
}

TEST(RuleAnalysis, FindsARuleShadowedByAFinalRuleAbove) {
    const auto found = findings_of(std::string(header) + R"(  - id: xa.all
    when: {action: [new_numbers, port_in]}
    then: {forms: [f], mailbox: one}
    final: true
  - id: xa.port-in
    when: {action: port_in}
    then: {notes: [never seen]}
)");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0], "analysis.yaml:16:5: warning: rule 'xa.port-in' is shadowed: every request it matches is "
                        "stopped first by final rule 'xa.all' above it");
}

TEST(RuleAnalysis, FindsARuleNoRequestCanMeet) {
    const auto found = findings_of(std::string(header) + R"(  - id: xa.any
    when: {action: [new_numbers, port_in]}
    then: {forms: [f], mailbox: one}
  - id: xa.impossible
    when: {action: port_in, numbers: {all: {kind: toll_free}, each: {kind_not: toll_free}}}
    then: {notes: [never]}
)");
    ASSERT_EQ(found.size(), 1u) << (found.empty() ? "" : found[0]);
    EXPECT_EQ(found[0], "analysis.yaml:15:5: warning: rule 'xa.impossible' can never match: no request meets all its "
                        "conditions");
}

TEST(RuleAnalysis, FindsMailboxConflictsWithAnExample) {
    const auto found = findings_of(std::string(header) + R"(  - id: xa.first
    when: {action: [new_numbers, port_in]}
    then: {forms: [f], mailbox: one}
  - id: xa.big
    when: {action: port_in, count: {more_than: 100}}
    then: {mailbox: two}
)");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("analysis.yaml:15:5: warning: rule 'xa.big' conflicts with rule 'xa.first'"), std::string::npos)
        << found[0];
    EXPECT_NE(found[0].find("action: port_in"), std::string::npos) << found[0];
    EXPECT_NE(found[0].find("count: 101"), std::string::npos) << "the example sits at the threshold: " << found[0];
    EXPECT_NE(found[0].find("Mark 'xa.first' final"), std::string::npos);
}

TEST(RuleAnalysis, AFinalRuleStatesPrecedenceAndRemovesTheConflict) {
    const auto found = findings_of(std::string(header) + R"(  - id: xa.big
    when: {action: port_in, count: {more_than: 100}}
    then: {forms: [f], mailbox: two}
    final: true
  - id: xa.first
    when: {action: [new_numbers, port_in]}
    then: {forms: [f], mailbox: one}
)");
    EXPECT_TRUE(found.empty()) << found[0];
}

TEST(RuleAnalysis, FindsGapsPerActionAndNumberType) {
    const auto found = findings_of(std::string(header) + R"(  - id: xa.new
    when: {action: new_numbers}
    then: {forms: [f], mailbox: one}
  - id: xa.port-user
    when: {action: port_in, number_type: user}
    then: {forms: [f], mailbox: one}
)");
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0].rfind("analysis.yaml:4:10: warning: gap: an allowed port_in request with number_type service matches "
                             "no rule: it is allowed with no form, no contact and no note, for example {country: XA, "
                             "action: port_in, number_type: service",
                             0),
              0u)
        << found[0];
    EXPECT_NE(found[1].find("number_type toll_free"), std::string::npos);
    EXPECT_NE(found[2].find("number_type unspecified"), std::string::npos);
}

TEST(RuleAnalysis, ADeniedRequestIsNotAGap) {
    const auto found = findings_of(std::string(header) + R"(  - id: xa.new
    when: {action: new_numbers}
    then: {forms: [f], mailbox: one}
  - id: xa.port-user
    when: {action: port_in, number_type: user}
    then: {forms: [f], mailbox: one}
  - id: xa.port-other
    when: {action: port_in, number_type: [service, toll_free, unspecified]}
    then: {deny: {code: action.unsupported, message: only user numbers}}
)");
    EXPECT_TRUE(found.empty()) << found[0];
}

TEST(RuleAnalysis, FindsOfferedActionsNoRuleAnswers) {
    const auto found = findings_of(std::string(header) + R"(  - id: xa.new
    when: {action: new_numbers}
    then: {forms: [f], mailbox: one}
)");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0], "analysis.yaml:4:10: warning: gap: action port_in is offered but no rule matches any request for it");
}

TEST(RuleAnalysis, SeesThroughNumberConditions) {
    const auto found = findings_of(std::string(header) + R"(  - id: xa.any
    when: {action: [new_numbers, port_in]}
    then: {forms: [f], mailbox: one}
  - id: xa.foreign
    when: {numbers: {each: {valid: true, region_not: [XA]}}}
    then: {deny: {code: number.wrong_country, message: "number {position} is foreign"}}
    final: true
  - id: xa.foreign-toll-free
    when: {numbers: {each: {valid: true, region_not: [XA], kind: toll_free}}}
    then: {notes: [shadowed]}
)");
    ASSERT_EQ(found.size(), 1u) << (found.empty() ? "" : found[0]);
    EXPECT_NE(found[0].find("rule 'xa.foreign-toll-free' is shadowed"), std::string::npos) << found[0];
}

}  // namespace
}  // namespace telpolicy::test
