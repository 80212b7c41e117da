// Loading rules files: the shipped ones load cleanly, and every mistake is reported with
// file:line:column and what was expected.
#include <gtest/gtest.h>

#include <fstream>

#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

// A valid file; tests break one line of it at a time.
constexpr const char* valid_rules = R"(format: 1
plugin: xt
countries: [XT, XU]
actions: [new_numbers, port_in, set_pin]
pin:
  used: true
  characters: ascii_digits
  length: {min: 4, max: 8}
  can_clear: true
  required_for: [set_pin]
forms:
  - {id: f1, title: Form one, version: "1", locale: en-GB, url: "https://example.test/1.pdf"}
mailboxes:
  - {id: m1, address: m1@example.test}
rules:
  - id: xt.new
    when: {action: new_numbers, country: XU, count: {at_least: 2, at_most: 5}}
    then: {forms: [f1], mailbox: m1, requires: [form], notes: [a note]}
  - id: xt.port
    when: {action: port_in, number_type: [user, unspecified], pin_is_set: false, numbers: {given: true}}
    then: {deny: {code: xt.custom, message: no}}
    final: true
)";

std::vector<std::string> messages(const std::string& text) {
    const RuleLoadResult result = load_rules_text(text, "test.yaml");
    std::vector<std::string> out;
    for (const Diagnostic& d : result.diagnostics) out.push_back(d.to_string());
    return out;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

TEST(RuleLoader, ShippedUsRulesLoadWithoutAnyDiagnostic) {
    const RuleLoadResult result = load_rules_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml");
    ASSERT_TRUE(result.value);
    EXPECT_TRUE(result.diagnostics.empty()) << result.diagnostics.front().to_string();
    EXPECT_EQ(result.value->plugin, "us");
    EXPECT_EQ(result.value->countries, (std::vector<std::string>{"US", "PR"}));
    EXPECT_EQ(result.value->forms.size(), 3u);
    EXPECT_EQ(result.value->contacts.size(), 2u);
    EXPECT_EQ(result.value->pin.min_length, 6u);
    EXPECT_EQ(result.value->pin.max_length, 10u);
    EXPECT_FALSE(result.value->pin.can_clear);
}

TEST(RuleLoader, CompilesConditionsAndOutcomes) {
    const RuleLoadResult result = load_rules_text(valid_rules, "test.yaml");
    ASSERT_TRUE(result.value) << (result.diagnostics.empty() ? "" : result.diagnostics[0].to_string());
    const RuleSet& rules = *result.value;
    ASSERT_EQ(rules.rules.size(), 2u);
    const Rule& first = rules.rules[0];
    ASSERT_TRUE(first.when.actions);
    EXPECT_TRUE(first.when.actions->contains(*rules.words.action("new_numbers")));
    EXPECT_FALSE(first.when.actions->contains(*rules.words.action("port_in")));
    EXPECT_EQ(first.when.countries, std::vector<std::string>{"XU"});
    EXPECT_EQ(first.when.count_min, 2u);
    EXPECT_EQ(first.when.count_max, 5u);
    EXPECT_EQ(first.then.forms, std::vector<std::size_t>{0});
    EXPECT_EQ(first.then.contacts, std::vector<std::size_t>{0});
    EXPECT_EQ(first.location.line, 16);
    const Rule& second = rules.rules[1];
    WordSet user_or_unspecified;
    user_or_unspecified.insert(*rules.words.number_type("user"));
    user_or_unspecified.insert(Vocabulary::unspecified_number_type);
    EXPECT_EQ(second.when.number_types, user_or_unspecified);
    EXPECT_EQ(second.when.pin_is_set, false);
    EXPECT_EQ(second.when.numbers.given, true);
    EXPECT_TRUE(second.final);
    ASSERT_EQ(second.then.violations.size(), 1u);
    EXPECT_EQ(second.then.violations[0].code, "xt.custom");
}

// rules/README.md and the schema say so: a version is its text as typed, quoted or not.
TEST(RuleLoader, AnUnquotedVersionIsKeptAsTyped) {
    const RuleLoadResult result =
        load_rules_text(replace(valid_rules, R"(version: "1")", "version: 3.10"), "test.yaml");
    ASSERT_TRUE(result.value) << result.diagnostics.front().to_string();
    EXPECT_EQ(result.value->forms.front().form.version, "3.10");
}

TEST(RuleLoader, ReportsYamlSyntaxErrorsWithPosition) {
    const auto found = messages("format: 1\nplugin: [xt\n");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0], "test.yaml:2:9: error: this [, opened here, is not closed with ] on its line; add the ] where it ends");
}

TEST(RuleLoader, ReportsUnknownKeysWithASuggestion) {
    const auto found = messages(replace(valid_rules, "    then: {forms: [f1]", "    thn: {forms: [f1]"));
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0],
              "test.yaml:16:5: error: rule 'xt.new' is missing the required key 'then'");
    EXPECT_EQ(found[1],
              "test.yaml:18:5: error: unknown key 'thn' in rule 'xt.new'; did you mean 'then'? (expected one of: id, "
              "description, when, then, final, valid_from, valid_until)");
}

TEST(RuleLoader, ReportsReferencesToUnknownFormsAndMailboxes) {
    const auto found = messages(replace(replace(valid_rules, "forms: [f1]", "forms: [f2]"), "mailbox: m1", "mailbox: m9"));
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0], "test.yaml:18:20: error: rule 'xt.new' names form 'f2', which is not in 'forms'; did you mean 'f1'? (forms: f1)");
    EXPECT_EQ(found[1],
              "test.yaml:18:34: error: rule 'xt.new' names mailbox 'm9', which is not in 'mailboxes'; did you mean 'm1'? (mailboxes: m1)");
}

TEST(RuleLoader, ReportsDuplicateIds) {
    const auto found = messages(replace(valid_rules, "id: xt.port", "id: xt.new"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0], "test.yaml:19:9: error: rule id 'xt.new' is used twice, first at line 16 column 9");
}

TEST(RuleLoader, ReportsUnknownActionsAndNumberTypes) {
    const auto actions = messages(replace(valid_rules, "action: port_in,", "action: port_inn,"));
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_NE(actions[0].find("test.yaml:20:20: error: unknown action 'port_inn'"), std::string::npos) << actions[0];
    EXPECT_NE(actions[0].find("did you mean 'port_in'?"), std::string::npos);
    const auto types = messages(replace(valid_rules, "[user, unspecified]", "[usr, unspecified]"));
    ASSERT_EQ(types.size(), 1u);
    EXPECT_NE(types[0].find("unknown number type 'usr'"), std::string::npos) << types[0];
}

TEST(RuleLoader, ReportsWrongTypes) {
    const auto found = messages(replace(replace(valid_rules, "can_clear: true", "can_clear: maybe"),
                                        "{min: 4, max: 8}", "{min: four, max: 8}"));
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0], "test.yaml:8:17: error: pin.length.min must be a whole number, 0 or more");
    EXPECT_EQ(found[1], "test.yaml:9:14: error: pin.can_clear must be true or false");
}

TEST(RuleLoader, ReportsImpossibleConditions) {
    const auto found = messages(replace(valid_rules, "{at_least: 2, at_most: 5}", "{more_than: 5, less_than: 3}"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("when.count can never be met"), std::string::npos) << found[0];
}

TEST(RuleLoader, ReportsCountriesTheFileDoesNotServe) {
    const auto found = messages(replace(valid_rules, "country: XU", "country: FR"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("names 'FR', which is not among the countries of this file"), std::string::npos);
}

TEST(RuleLoader, ReportsViolationCodesOutsideTheContractAndThePluginPrefix) {
    const auto found = messages(replace(valid_rules, "code: xt.custom", "code: custom"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("neither a contract code nor prefixed with the plugin name ('xt.')"), std::string::npos);
}

TEST(RuleLoader, ReportsMissingTopLevelKeysAndUnsupportedFormat) {
    const auto found = messages("format: 2\nplugin: xt\n");
    ASSERT_GE(found.size(), 5u);
    EXPECT_NE(found[0].find("missing the required key 'countries'"), std::string::npos) << found[0];
    bool format_reported = false;
    for (const auto& message : found) format_reported |= message.find("format 2 is not supported") != std::string::npos;
    EXPECT_TRUE(format_reported);
}

TEST(RuleLoader, ReportsEmptyAndNonMappingFiles) {
    EXPECT_NE(messages("")[0].find("the rules file is empty"), std::string::npos);
    EXPECT_NE(messages("- a\n- b\n")[0].find("test.yaml:1:1: error: a rules file must be a mapping"), std::string::npos);
}

TEST(RuleLoader, ReportsEveryProblemAtOnce) {
    const auto found = messages(replace(replace(replace(valid_rules, "forms: [f1]", "forms: [f2]"), "id: xt.port", "id: xt.new"),
                                        "can_clear: true", "can_clear: 3"));
    ASSERT_EQ(found.size(), 3u);
    EXPECT_NE(found[0].find("test.yaml:9:"), std::string::npos) << "sorted by position: " << found[0];
    EXPECT_NE(found[1].find("test.yaml:18:"), std::string::npos) << found[1];
    EXPECT_NE(found[2].find("test.yaml:19:"), std::string::npos) << found[2];
}

constexpr const char* number_rules = R"(format: 1
plugin: xn
countries: [XN]
actions: [port_in]
pin: {used: false}
rules:
  - id: xn.numbers
    when: {numbers: {each: {valid: true, region_not: [XN], kind: [geographic, toll_free]}, count_mismatch: false}}
    then: {deny: {code: number.wrong_country, message: "number {position} ({number}) is of {region}"}}
  - id: xn.all
    when: {numbers: {all: {kind_not: toll_free}}}
    then: {notes: ["all {listed} numbers are not toll-free"]}
)";

TEST(RuleLoader, CompilesNumberConditions) {
    const RuleLoadResult result = load_rules_text(number_rules, "test.yaml");
    ASSERT_TRUE(result.value) << result.diagnostics.at(0).to_string();
    EXPECT_TRUE(result.value->classifies_numbers);
    const NumbersCondition& each = result.value->rules[0].when.numbers;
    ASSERT_TRUE(each.each);
    EXPECT_EQ(each.each->valid, true);
    EXPECT_EQ(each.each->regions_not, std::vector<std::string>{"XN"});
    EXPECT_EQ(each.each->kinds, bit(NumberKind::fixed_line) | bit(NumberKind::mobile) |
                                    bit(NumberKind::fixed_line_or_mobile) | bit(NumberKind::toll_free));
    EXPECT_EQ(each.count_mismatch, false);
    const NumbersCondition& all = result.value->rules[1].when.numbers;
    ASSERT_TRUE(all.all);
    EXPECT_EQ(all.all->kinds & bit(NumberKind::toll_free), 0);
}

TEST(RuleLoader, ReportsUnknownKindsOfNumbers) {
    const auto found = messages(replace(number_rules, "toll_free]}", "tollfree]}"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("unknown kind of number 'tollfree'"), std::string::npos) << found[0];
    EXPECT_NE(found[0].find("did you mean 'toll_free'?"), std::string::npos) << found[0];
}

TEST(RuleLoader, ReportsPerNumberPlaceholdersOutsideAnEachRule) {
    const auto found = messages(replace(number_rules, "all {listed} numbers", "number {position}"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("uses {position}, which only a rule with 'numbers: {each: ...}' can fill"), std::string::npos)
        << found[0];
}

TEST(RuleLoader, ReportsUnknownPlaceholders) {
    const auto found = messages(replace(number_rules, "is of {region}", "is of {regoin}"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("unknown placeholder {regoin}; did you mean {region}?"), std::string::npos) << found[0];
}

TEST(RuleLoader, ReportsNumberConditionsThatCanNeverHold) {
    EXPECT_NE(messages(replace(number_rules, "valid: true, region_not", "valid: false, region_not"))
                  .at(0)
                  .find("an invalid number has no region or kind"),
              std::string::npos);
    EXPECT_NE(messages(replace(number_rules, "{kind_not: toll_free}", "{kind: toll_free, kind_not: toll_free}"))
                  .at(0)
                  .find("no kind of number is left"),
              std::string::npos);
    EXPECT_NE(messages(replace(number_rules, "count_mismatch: false", "given: false"))
                  .at(0)
                  .find("asks for no numbers and about the numbers at once"),
              std::string::npos);
}

TEST(RuleLoader, ReportsUnreadableFiles) {
    const RuleLoadResult result = load_rules_file("/nonexistent/rules.yaml");
    EXPECT_FALSE(result.value);
    ASSERT_EQ(result.diagnostics.size(), 1u);
    EXPECT_NE(result.diagnostics[0].to_string().find("/nonexistent/rules.yaml: error: cannot read the rules file"),
              std::string::npos);
}

TEST(RuleLoader, SurvivesAliasBombs) {
    // "Billion laughs": yaml-cpp shares aliased nodes, and the loader walks only the known shape.
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char name = 'b'; name <= 'k'; ++name) {
        const char previous = static_cast<char>(name - 1);
        text += std::string(1, name) + ": &" + name + " [*" + previous + ", *" + previous + ", *" + previous + ", *" +
                previous + ", *" + previous + ", *" + previous + ", *" + previous + ", *" + previous + "]\n";
    }
    const auto found = messages(text);
    EXPECT_FALSE(found.empty());
}

}  // namespace
}  // namespace telpolicy::test
