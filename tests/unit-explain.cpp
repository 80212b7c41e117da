// Explanations: every rule considered, in order, matched or not, the first failed condition, and
// the rule's file:line.
#include <gtest/gtest.h>

#include "evaluation/explain.hpp"
#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

const RuleSet& us_rules() {
    static const RuleSet rules = [] {
        RuleLoadResult loaded = load_rules_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml");
        return std::move(*loaded.value);
    }();
    return rules;
}

Explanation explain(const std::string& json) {
    Explanation explanation;
    const ParsedRequest parsed = parse_request(json);
    EXPECT_TRUE(parsed.request) << parsed.error;
    explanation.decision.country = parsed.request->country;  // as the engine does before the rules
    explanation.decision.action = parsed.request->action;
    explain_rules(us_rules(), *parsed.request, explanation.decision, explanation.trace);
    return explanation;
}

const TraceStep& step(const Explanation& explanation, const std::string& rule) {
    for (const TraceStep& s : explanation.trace) {
        if (s.rule == rule) return s;
    }
    static const TraceStep none{};
    ADD_FAILURE() << "no step for " << rule;
    return none;
}

TEST(Explain, ListsEveryRuleInOrderAfterTheActionCheck) {
    const Explanation explanation = explain(R"({"country":"US","action":"port_in","number_type":"user"})");
    ASSERT_EQ(explanation.trace.size(), 1 + us_rules().rules.size());
    EXPECT_EQ(explanation.trace[0].rule, "us.actions");
    for (std::size_t i = 0; i < us_rules().rules.size(); ++i) {
        EXPECT_EQ(explanation.trace[i + 1].rule, us_rules().rules[i].id);
    }
}

TEST(Explain, NamesTheFirstFailedConditionAndWhereTheRuleIs) {
    const Explanation explanation = explain(R"({"country":"US","action":"port_in","number_type":"user"})");
    const TraceStep& new_numbers = step(explanation, "us.new-numbers");
    EXPECT_EQ(new_numbers.outcome, TraceStep::Outcome::not_matched);
    EXPECT_EQ(new_numbers.detail, "needs action is new_numbers; the request has port_in");
    EXPECT_NE(new_numbers.location.find("us.yaml:"), std::string::npos);
    const TraceStep& toll_free = step(explanation, "us.port-in.toll-free");
    EXPECT_EQ(toll_free.detail, "needs number_type is toll_free or unspecified; the request has user");
    const TraceStep& big = step(explanation, "us.port-in.more-than-999");
    EXPECT_EQ(big.detail, "needs count > 999; the request has count 0");
}

TEST(Explain, SaysWhatAMatchedRuleDecided) {
    const Explanation explanation = explain(R"({"country":"US","action":"port_in","number_type":"user"})");
    const TraceStep& matched = step(explanation, "us.port-in.user-and-service");
    EXPECT_EQ(matched.outcome, TraceStep::Outcome::matched);
    EXPECT_EQ(matched.detail, "form us-loa-user-service; mailbox ptn@microsoft.com; requires loa; requires numbers");
    EXPECT_TRUE(explanation.decision.allowed());
}

TEST(Explain, ShowsPinChecksThatFoundSomething) {
    const Explanation explanation = explain(R"({"country":"US","action":"set_pin","pin":"73829"})");
    const TraceStep& length = step(explanation, "us.pin.length");
    EXPECT_EQ(length.outcome, TraceStep::Outcome::matched);
    EXPECT_NE(length.detail.find("pin.length"), std::string::npos);
    EXPECT_EQ(length.detail.find("73829"), std::string::npos) << "never the PIN";
}

TEST(Explain, ExplainsNumberConditions) {
    const Explanation explanation = explain(R"({"country":"US","action":"port_in","numbers":["+12025550143"]})");
    EXPECT_EQ(step(explanation, "us.numbers.wrong-country").detail,
              "needs some number is valid, not of US or PR; the request has 1 number listed");
}

TEST(Explain, JsonAndTextForms) {
    const Explanation explanation = explain(R"({"country":"US","action":"new_numbers"})");
    const std::string json = to_json(explanation);
    EXPECT_EQ(json.rfind(R"({"decision":{"allowed":true)", 0), 0u) << json;
    EXPECT_NE(json.find(R"("outcome":"matched")"), std::string::npos);
    const std::string text = to_text(explanation);
    EXPECT_EQ(text.rfind("ALLOWED US new_numbers\n", 0), 0u) << text;
    EXPECT_NE(text.find("  + us.new-numbers ("), std::string::npos) << text;
    EXPECT_NE(text.find("  - us.port-in.toll-free ("), std::string::npos) << text;
}

TEST(EngineExplain, RoutesToTheCountrysRulesLikeEvaluate) {
    const Engine& engine = us_engine();
    const std::string request = R"({"country":"pr","action":"port_in","number_type":"toll_free"})";
    const Explanation explanation = engine.explain_json(request);
    EXPECT_EQ(to_json(explanation.decision), to_json(engine.evaluate_json(request)));
    EXPECT_EQ(explanation.trace.size(), 1 + us_rules().rules.size());
    const Explanation unsupported = engine.explain_json(R"({"country":"BR","action":"port_in"})");
    EXPECT_EQ(unsupported.decision.violations.at(0).code, "country.unsupported");
    EXPECT_TRUE(unsupported.trace.empty());
    Request lower;
    lower.country = "us";
    lower.action = "new_numbers";
    EXPECT_TRUE(engine.explain(lower).decision.allowed());
    lower.country = "U";
    EXPECT_EQ(engine.explain(lower).decision.violations.at(0).code, "request.invalid");
}

}  // namespace
}  // namespace telpolicy::test
