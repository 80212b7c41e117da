// The rules drawn as a decision diagram, in DOT and Mermaid.
#include <gtest/gtest.h>

#include <telpolicy/authoring.hpp>

namespace telpolicy::test {
namespace {

const std::filesystem::path us_yaml = std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml";

TEST(RuleGraph, DotShowsActionsRulesAndOutcomes) {
    const RulesGraph graph = draw_rules(us_yaml, GraphFormat::dot);
    ASSERT_FALSE(graph.text.empty());
    EXPECT_EQ(graph.text.rfind("digraph \"us\" {", 0), 0u);
    EXPECT_NE(graph.text.find("request -> action_port_in;"), std::string::npos);
    EXPECT_NE(graph.text.find("action_port_in -> rule_2;"), std::string::npos) << graph.text;
    EXPECT_NE(graph.text.find("3. us.port-in.user-and-service\\nnumber_type is user, service or unspecified"),
              std::string::npos);
    EXPECT_NE(graph.text.find("mailbox_porting [shape=cylinder, label=\"ptn@microsoft.com\"]"), std::string::npos);
    EXPECT_NE(graph.text.find("rule_2 -> form_us_loa_user_service [label=\"form\"]"), std::string::npos);
    EXPECT_NE(graph.text.find("action_clear_pin -> pin [label=\"refused\"]"), std::string::npos);
    EXPECT_EQ(graph.text.back(), '\n');
}

TEST(RuleGraph, MermaidIsAFlowchartWithEscapedLabels) {
    const RulesGraph graph = draw_rules(us_yaml, GraphFormat::mermaid);
    EXPECT_EQ(graph.text.rfind("flowchart LR\n", 0), 0u);
    EXPECT_NE(graph.text.find("request([\"request<br/>US, PR (plugin us)\"])"), std::string::npos) << graph.text;
    EXPECT_NE(graph.text.find("rule_0 -->|\"send to\"| mailbox_new_numbers"), std::string::npos);
    EXPECT_EQ(graph.text.find("\n\n"), std::string::npos);
}

TEST(RuleGraph, ABrokenFileGivesItsDiagnosticsInstead) {
    const RulesGraph graph = draw_rules("/nonexistent.yaml", GraphFormat::dot);
    EXPECT_TRUE(graph.text.empty());
    ASSERT_FALSE(graph.diagnostics.empty());
}

}  // namespace
}  // namespace telpolicy::test
