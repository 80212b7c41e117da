// The policy authors' commands: `telpolicy test` (with coverage), `telpolicy graph`, and the
// explanation of a decision.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "run_command.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

TEST(PolicyTests, TheShippedTestsPassAndCoverEveryRuleOfTheBundle) {
    const CommandResult run = run_telpolicy({"test", "--require-full-coverage", "--rules", TELPOLICY_TEST_RULES_DIR});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("PASS "), std::string::npos);
    EXPECT_EQ(run.out.find("FAIL "), std::string::npos) << run.out;
    std::smatch coverage;
    ASSERT_TRUE(std::regex_search(run.out, coverage, std::regex(R"(coverage: (\d+) of (\d+) rules exercised by a test)")))
        << run.out;
    EXPECT_EQ(coverage[1], coverage[2]);
    EXPECT_GT(std::stoi(coverage[2]), 300) << "every bundled country's rules";
    EXPECT_NE(run.out.find(" passed, 0 failed\n"), std::string::npos);
}

// Naming one file's tests asks for that file's coverage, not the bundle's.
TEST(PolicyTests, CoverageOfTheFilesWhoseTestsRan) {
    const std::string us_tests = std::string(TELPOLICY_TEST_RULES_DIR) + "/us.tests.yaml";
    const CommandResult run = run_telpolicy({"test", us_tests, "--require-full-coverage"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("coverage: 19 of 19 rules exercised by a test"), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("at.yaml"), std::string::npos) << run.out;
}

// In a test, a field given twice would leave one value silently dropped: the test is refused, with
// both places.
TEST(PolicyTests, AKeyGivenTwiceIsRefusedWithBothPlaces) {
    const auto dir = make_temp_dir("telpolicy-policy-tests");
    std::ofstream(dir / "twice.tests.yaml") << R"(tests:
  - name: the request says two actions
    request: {country: US, action: port_in, action: new_numbers}
    expect: {allowed: true}
)";
    const CommandResult run = run_telpolicy({"test", (dir / "twice.tests.yaml").string()});
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    EXPECT_NE(run.err.find((dir / "twice.tests.yaml").string() +
                           ":3:45: error: the key 'action' is given twice in this mapping, first at line 3 column 28"),
              std::string::npos)
        << run.err;
    std::filesystem::remove_all(dir);
}

// A test file is held to the same text checks as a rules file: UTF-8, and quotes closed on their line.
TEST(PolicyTests, ATestFileThatIsNotUtf8OrHasARunawayQuoteIsRefusedWhereItStarts) {
    const auto dir = make_temp_dir("telpolicy-policy-tests");
    std::ofstream(dir / "latin1.tests.yaml", std::ios::binary) << "tests:\n  - name: caf\xe9\n";
    std::ofstream(dir / "quote.tests.yaml") << R"(tests:
  - name: "an unclosed name
    request: {country: US, action: new_numbers}
    expect: {allowed: true}
)";
    const CommandResult latin1 = run_telpolicy({"test", (dir / "latin1.tests.yaml").string()});
    EXPECT_EQ(latin1.exit_code, 2) << latin1.out << latin1.err;
    EXPECT_NE(latin1.err.find((dir / "latin1.tests.yaml").string() + ":2:14: error: not UTF-8: the byte 0xE9 (byte 21 of the file)"),
              std::string::npos)
        << latin1.err;
    const CommandResult quote = run_telpolicy({"test", (dir / "quote.tests.yaml").string()});
    EXPECT_EQ(quote.exit_code, 2) << quote.out << quote.err;
    EXPECT_NE(quote.err.find((dir / "quote.tests.yaml").string() +
                             ":2:11: error: this quoted string, opened here with \", is never closed"),
              std::string::npos)
        << quote.err;
    std::filesystem::remove_all(dir);
}

TEST(PolicyTests, AFailureShowsADiffAndExitsNonZero) {
    const auto dir = make_temp_dir("telpolicy-policy-tests");
    std::ofstream(dir / "broken.tests.yaml") << R"(tests:
  - name: wrong mailbox on purpose
    request: {country: US, action: port_in, number_type: toll_free}
    expect:
      mailbox: someone@example.test
      forms: [us-loa-toll-free]
  - name: right
    request: {country: US, action: set_pin, pin: "123456"}
    expect: {allowed: true}
)";
    const CommandResult run = run_telpolicy({"test", "--coverage", dir.string()});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.out.find("FAIL " + (dir / "broken.tests.yaml").string() + ":2: wrong mailbox on purpose\n"
                           "    mailbox:\n      expected \"someone@example.test\"\n      got      \"ptn@microsoft.com\"\n"),
              std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("PASS " + (dir / "broken.tests.yaml").string() + ":7: right"), std::string::npos);
    // Each rule no test reached, where it is, as editors read positions.
    EXPECT_TRUE(std::regex_search(run.out, std::regex(R"((^|\n)[^\n]*/us\.yaml:\d+:\d+: rule 'us\.[a-z.-]+' is exercised by no test\n)")))
        << run.out;
    EXPECT_NE(run.out.find("1 passed, 1 failed"), std::string::npos);
    std::filesystem::remove_all(dir);
}

// A test decides for the instant it names, and may expect it: a scheduled change is tested before
// it takes effect.
TEST(PolicyTests, ACaseMaySetAsOf) {
    const auto dir = make_temp_dir("telpolicy-policy-tests");
    const auto rules = dir / "rules";
    std::filesystem::create_directories(rules);
    std::string us;
    {
        std::ifstream in(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml");
        us.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::string retired = "address: ptn@microsoft.com";
    ASSERT_NE(us.find(retired), std::string::npos);
    us.replace(us.find(retired), retired.size(), retired + "\n    valid_until: 2030-01-01");
    std::ofstream(rules / "us.yaml") << us;
    std::ofstream(dir / "dated.tests.yaml") << R"(tests:
  - name: before the porting mailbox is retired
    request: {country: US, action: port_in, number_type: toll_free, as_of: 2029-12-31}
    expect: {mailbox: ptn@microsoft.com, as_of: "2029-12-31T00:00:00Z"}
  - name: after
    request: {country: US, action: port_in, number_type: toll_free, as_of: "2030-01-01T00:00:00Z"}
    expect: {mailbox: null}
)";
    const CommandResult run = run_telpolicy({"--rules", rules.string(), "test", (dir / "dated.tests.yaml").string()});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("2 passed, 0 failed"), std::string::npos) << run.out;
    std::filesystem::remove_all(dir);
}

// The engine ignores unknown request fields, so a misspelt one would let a test pass for the wrong
// reason: in a test it is an error, with a did-you-mean; so is a decision field the test expects.
TEST(PolicyTests, AMisspeltRequestOrDecisionFieldIsAnError) {
    const auto dir = make_temp_dir("telpolicy-policy-tests");
    std::ofstream(dir / "typo.tests.yaml") << R"(tests:
  - name: toll-free port-in
    request: {country: US, action: port_in, numbertype: toll_free}
    expect: {allowed: true, mailbx: ptn@microsoft.com}
)";
    const CommandResult run = run_telpolicy({"test", (dir / "typo.tests.yaml").string()});
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    const std::string file = (dir / "typo.tests.yaml").string();
    EXPECT_NE(run.err.find(file + ":3:45: error: unknown request field 'numbertype'; did you mean 'number_type'? "
                                  "(request fields: country, action, number_type, numbers, count, pin, pin_is_set, "
                                  "locale, as_of)"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find(file + ":4:29: error: unknown decision field 'mailbx'; did you mean 'mailbox'?"),
              std::string::npos)
        << run.err;
    EXPECT_EQ(run.out.find("PASS"), std::string::npos) << "a test with a misspelt field does not run";
    std::filesystem::remove_all(dir);
}

// A list that differs names what is missing and what is extra, or says only the order differs.
TEST(PolicyTests, AListDifferenceNamesTheMissingAndExtraItems) {
    const auto dir = make_temp_dir("telpolicy-policy-tests");
    std::ofstream(dir / "lists.tests.yaml") << R"(tests:
  - name: forms of a toll-free port-in
    request: {country: US, action: port_in, number_type: toll_free}
    expect: {forms: [us-loa-user-service]}
  - name: requirements in another order
    request: {country: US, action: port_in, number_type: toll_free}
    expect: {requires: [numbers, loa]}
)";
    const CommandResult run = run_telpolicy({"test", (dir / "lists.tests.yaml").string()});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    EXPECT_NE(run.out.find("      missing  [\"us-loa-user-service\"]\n      extra    [\"us-loa-toll-free\"]\n"),
              std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("      (the same items, in another order)\n"), std::string::npos) << run.out;
    std::filesystem::remove_all(dir);
}

TEST(PolicyTests, AMalformedTestsFileIsReportedWithItsPosition) {
    const auto dir = make_temp_dir("telpolicy-policy-tests");
    std::ofstream(dir / "bad.tests.yaml") << "tests:\n  - name: no request\n    expect: {allowed: true}\n";
    const CommandResult run = run_telpolicy({"test", dir.string()});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("bad.tests.yaml:2:5: error: each test needs 'name', a 'request' mapping and an 'expect' mapping"),
              std::string::npos)
        << run.err;
    std::filesystem::remove_all(dir);
}

TEST(Graph, DrawsTheRulesOfACountryOrAFile) {
    const CommandResult by_country = run_telpolicy({"graph", "--country", "pr"});
    EXPECT_EQ(by_country.exit_code, 0) << by_country.err;
    EXPECT_EQ(by_country.out.rfind("flowchart LR\n", 0), 0u);
    const CommandResult dot =
        run_telpolicy({"graph", "--format", "dot", (std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml").string()});
    EXPECT_EQ(dot.exit_code, 0);
    EXPECT_EQ(dot.out.rfind("digraph", 0), 0u);
    EXPECT_EQ(run_telpolicy({"graph", "--country", "ZZ"}).exit_code, 3);
    EXPECT_EQ(run_telpolicy({"graph"}).exit_code, 2);
}

TEST(Graph, DrawsThePictureItselfAsSvg) {
    const CommandResult svg = run_telpolicy({"graph", "--country", "US", "--format", "svg"});
    EXPECT_EQ(svg.exit_code, 0) << svg.err;
    EXPECT_EQ(svg.out.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_NE(svg.out.find("data-node=\"rule_18\""), std::string::npos);
    EXPECT_EQ(svg.out.substr(svg.out.size() - 7), "</svg>\n");
    EXPECT_EQ(run_telpolicy({"graph", "--country", "US", "--format", "png"}).exit_code, 2);
}

TEST(Graph, TheReadmeShowsTheCurrentUsDiagram) {
    std::ifstream in(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / ".." / "README.md");
    const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string begin = "<!-- us-graph:begin -->\n```mermaid\n";
    const std::string end = "```\n<!-- us-graph:end -->";
    const auto from = readme.find(begin);
    const auto to = readme.find(end);
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    const CommandResult run =
        run_telpolicy({"graph", "--format", "mermaid", (std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml").string()});
    EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), run.out)
        << "regenerate the README's diagram with: telpolicy graph --format mermaid rules/us.yaml";
}

TEST(ExplainCommand, PrintsTheDecisionAndEveryRuleWithItsPlace) {
    const CommandResult run = run_telpolicy({"explain"}, R"({"country":"US","action":"port_in","number_type":"user"})");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out.rfind("ALLOWED US port_in\n", 0), 0u) << run.out;
    EXPECT_NE(run.out.find("  + us.port-in.user-and-service ("), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("us.yaml:"), std::string::npos);
    EXPECT_NE(run.out.find("  - us.port-in.toll-free ("), std::string::npos);
    EXPECT_NE(run.out.find("not matched: needs number_type is toll_free or unspecified; the request has user"),
              std::string::npos)
        << run.out;
}

TEST(ExplainCommand, JsonFormAndEvalExplainAgree) {
    const std::string request = R"({"country":"US","action":"set_pin","pin":"9081726354999"})";
    const CommandResult json = run_telpolicy({"explain", "--json", "--compact"}, request);
    const CommandResult eval = run_telpolicy({"eval", "--explain", "--compact"}, request);
    EXPECT_EQ(json.out, eval.out);
    const auto explanation = nlohmann::json::parse(json.out);
    EXPECT_EQ(codes(explanation["decision"]), std::vector<std::string>{"pin.length"});
    ASSERT_TRUE(explanation["trace"].is_array());
    EXPECT_EQ(explanation["trace"][0]["rule"], "us.actions");
    EXPECT_EQ(json.out.find("9081726354"), std::string::npos) << "the trace never holds the PIN";
}

TEST(ExplainCommand, AnInvalidRequestHasNoTrace) {
    const CommandResult run = run_telpolicy({"explain", "--json"}, "not json");
    EXPECT_EQ(run.exit_code, 0);
    const auto explanation = nlohmann::json::parse(run.out);
    EXPECT_EQ(codes(explanation["decision"]), std::vector<std::string>{"request.invalid"});
    EXPECT_TRUE(explanation["trace"].empty());
}

// The --max-* options hold for every command that reads rules or tests files, not only eval.
TEST(AuthoringLimits, ValidateGraphAndTestHonourTheLimitOptions) {
    const std::string us = (std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml").string();
    const CommandResult validate = run_telpolicy({"validate", "--max-rules", "2", us});
    EXPECT_EQ(validate.exit_code, 1);
    EXPECT_NE(validate.out.find("more than the limit of 2 (change it with --max-rules)"), std::string::npos) << validate.out;
    const CommandResult graph = run_telpolicy({"graph", "--max-rules-file-bytes", "100", us});
    EXPECT_NE(graph.exit_code, 0);
    EXPECT_NE(graph.err.find("more than the limit of 100"), std::string::npos) << graph.err;
    const auto dir = make_temp_dir("telpolicy-limits");
    std::ofstream(dir / "big.tests.yaml") << "# " << std::string(20000, 'x') << "\ntests: []\n";
    const CommandResult test = run_telpolicy({"test", (dir / "big.tests.yaml").string(), "--max-rules-file-bytes", "15000",
                                              "--rules", TELPOLICY_TEST_RULES_DIR});
    std::filesystem::remove_all(dir);
    EXPECT_NE(test.exit_code, 0);
    EXPECT_NE(test.err.find("larger than 15000 bytes (change it with --max-rules-file-bytes)"), std::string::npos) << test.err;
}

}  // namespace
}  // namespace telpolicy::test
