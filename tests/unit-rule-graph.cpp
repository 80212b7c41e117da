// The rules drawn as a decision diagram, in DOT, Mermaid and SVG.
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

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

// Every tag closed in the order opened, every attribute quoted, nothing but the five entities: what
// a browser's XML parser needs to draw the picture rather than an error.
std::string xml_problem(const std::string& text) {
    std::vector<std::string> open;
    const std::regex tag(R"re(<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[a-zA-Z:-]+="[^"<]*")*)\s*(/?)>)re");
    std::size_t at = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator(); ++it) {
        const std::string between = text.substr(at, static_cast<std::size_t>(it->position()) - at);
        if (between.find('<') != std::string::npos || between.find('>') != std::string::npos) return "stray bracket: " + between;
        for (std::size_t amp = between.find('&'); amp != std::string::npos; amp = between.find('&', amp + 1)) {
            if (!std::regex_search(between.substr(amp), std::regex("^&(amp|lt|gt|quot|#39);"))) return "bad entity: " + between;
        }
        at = static_cast<std::size_t>(it->position() + it->length());
        const std::string name = (*it)[2];
        if ((*it)[1] == "/") {
            if (open.empty() || open.back() != name) return "</" + name + "> closes nothing open";
            open.pop_back();
        } else if ((*it)[4] != "/") {
            open.push_back(name);
        }
    }
    if (!open.empty()) return "<" + open.back() + "> never closed";
    return text.substr(at).find_first_not_of(" \n") == std::string::npos ? "" : "text after the root";
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
    return count;
}

TEST(RuleGraph, SvgIsAPictureOfActionsRulesInOrderAndOutcomes) {
    const RulesGraph graph = draw_rules(us_yaml, GraphFormat::svg);
    ASSERT_FALSE(graph.text.empty());
    EXPECT_EQ(graph.text.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_EQ(xml_problem(graph.text), "");
    EXPECT_EQ(occurrences(graph.text, "class=\"node action\""), 7u);  // new_numbers ... clear_pin
    EXPECT_EQ(occurrences(graph.text, "class=\"node rule\""), 19u);
    EXPECT_EQ(occurrences(graph.text, "class=\"node pin\""), 1u);
    EXPECT_NE(graph.text.find("class=\"node form\" data-node=\"form_us_loa_toll_free\""), std::string::npos);
    EXPECT_NE(graph.text.find("class=\"node deny\" data-node=\"deny_number_invalid\""), std::string::npos);
    EXPECT_NE(graph.text.find("data-from=\"rule_3\" data-to=\"form_us_loa_toll_free\""), std::string::npos);
    // Rules are drawn in the order they are read: each one below the one before.
    double previous_y = -1;
    const std::regex rule_box(R"re(data-node="rule_(\d+)">\s*<title>[^<]*</title>\s*<rect x="[0-9.]+" y="([0-9.]+)")re");
    int expected_rule = 0;
    for (auto it = std::sregex_iterator(graph.text.begin(), graph.text.end(), rule_box); it != std::sregex_iterator(); ++it) {
        EXPECT_EQ(std::stoi((*it)[1]), expected_rule++);
        const double y = std::stod((*it)[2]);
        EXPECT_GT(y, previous_y);
        previous_y = y;
    }
    EXPECT_EQ(expected_rule, 19);
    // Labels are text, escaped: "count > 999" and no script.
    EXPECT_NE(graph.text.find("count &gt; 999"), std::string::npos);
    EXPECT_EQ(graph.text.find("<script"), std::string::npos);
    EXPECT_EQ(graph.text.find("href"), std::string::npos);
}

TEST(RuleGraph, SvgFromTextEscapesWhatTheAuthorWrote) {
    std::ifstream in(us_yaml);
    std::stringstream text;
    text << in.rdbuf();
    std::string edited = text.str();
    const std::string title = "Letter of Authorization (LOA) for the U.S. (Toll Free numbers)";
    const std::size_t at = edited.find(title);
    ASSERT_NE(at, std::string::npos);
    edited.replace(at, title.size(), "LOA <b>&amp; 'toll free' \\\"numbers\\\"</b>");
    const RulesGraph graph = draw_rules_text(edited, us_yaml, GraphFormat::svg);
    ASSERT_FALSE(graph.text.empty()) << (graph.diagnostics.empty() ? "" : graph.diagnostics.front().to_string());
    EXPECT_EQ(xml_problem(graph.text), "");
    EXPECT_NE(graph.text.find("LOA &lt;b&gt;&amp;amp; &#39;toll free&#39; &quot;numbers&quot;&lt;/b&gt;"), std::string::npos);
}

}  // namespace
}  // namespace telpolicy::test
