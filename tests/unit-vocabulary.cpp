// The plugins' own vocabulary: a rules file says which actions and number types it offers (common
// words and words of its own), their synonyms, and the PIN's roles; the engine answers a word no
// plugin knows with request.invalid and a word the country does not offer with action.unsupported.
#include <gtest/gtest.h>

#include "evaluation/evaluator.hpp"
#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

// The US plugin and XV, a plugin that is only data (tests/plugins/CMakeLists.txt, tests/data/rules/xv.yaml).
const Engine& engine() {
    static const Engine both = make_engine({TELPOLICY_TEST_PLUGIN_DIR, test_plugin_dir("data_xv")});
    return both;
}

nlohmann::json decide_with_xv(const std::string& request) { return nlohmann::json::parse(to_json(engine().evaluate_json(request))); }

std::string message(const nlohmann::json& decision) {
    return decision["violations"].empty() ? std::string() : decision["violations"][0]["message"].get<std::string>();
}

TEST(Vocabulary, ADataOnlyPluginIsLoadedFromItsCmakeLine) {
    const LoadReport report = engine().load_report();
    ASSERT_EQ(report.loaded.size(), 2u);
    EXPECT_EQ(report.loaded[1].name, "xv");
    EXPECT_EQ(report.loaded[1].version, "0.3.0");
    EXPECT_EQ(report.loaded[1].countries, std::vector<std::string>{"XV"});
}

TEST(Vocabulary, CommonWordsBeyondTheSevenAreOffered) {
    const auto publish = decide_with_xv(R"({"country":"XV","action":"publish_directory"})");
    EXPECT_TRUE(publish["allowed"]) << publish.dump();
    EXPECT_EQ(publish["action"], "publish_directory");
    EXPECT_EQ(publish["contacts"][0]["kind"], "portal");
    const auto update = decide_with_xv(R"({"country":"XV","action":"update_directory"})");
    EXPECT_EQ(update["contacts"][0]["kind"], "service_desk");
    EXPECT_EQ(update["matched_rules"], nlohmann::json::array({"xv.update-directory"}));
}

TEST(Vocabulary, APluginsOwnPrefixedWordsAreActionsAndNumberTypes) {
    const auto emergency = decide_with_xv(R"({"country":"XV","action":"xv.emergency_address"})");
    EXPECT_TRUE(emergency["allowed"]);
    EXPECT_EQ(emergency["requires"], nlohmann::json::array({"xv.address_proof"}));
    EXPECT_EQ(emergency["mailbox"], "desk@example.test");
    const auto conferencing = decide_with_xv(R"({"country":"XV","action":"port_in","number_type":"xv.conferencing"})");
    EXPECT_EQ(form_ids(conferencing), std::vector<std::string>{"xv-loa-conferencing"});
    EXPECT_EQ(form_ids(decide_with_xv(R"({"country":"XV","action":"port_in","number_type":"user"})")),
              std::vector<std::string>{"xv-loa"});
    EXPECT_EQ(form_ids(decide_with_xv(R"({"country":"XV","action":"port_in"})")), std::vector<std::string>{"xv-loa"});
}

TEST(Vocabulary, SynonymsAreData) {
    const auto directory = decide_with_xv(R"({"country":"XV","action":"xv.directory"})");
    EXPECT_TRUE(directory["allowed"]);
    EXPECT_EQ(directory["action"], "publish_directory") << "the decision names the word the synonym stands for";
    EXPECT_EQ(form_ids(decide_with_xv(R"({"country":"XV","action":"port_in","number_type":"xv.geographic"})")),
              std::vector<std::string>{"xv-loa"});
    EXPECT_EQ(form_ids(decide_with_xv(R"({"country":"XV","action":"port_in","number_type":"freephone"})")),
              std::vector<std::string>{"xv-loa"})
        << "the common synonym of toll_free";
}

TEST(Vocabulary, AWordNoPluginKnowsIsRequestInvalidWithADidYouMean) {
    const auto typo = decide_with_xv(R"({"country":"XV","action":"publish_directry"})");
    EXPECT_EQ(codes(typo), std::vector<std::string>{"request.invalid"});
    EXPECT_TRUE(typo["country"].is_null());
    EXPECT_NE(message(typo).find("did you mean 'publish_directory'?"), std::string::npos) << message(typo);
    const auto type = decide_with_xv(R"({"country":"US","action":"port_in","number_type":"mobile"})");
    EXPECT_EQ(codes(type), std::vector<std::string>{"request.invalid"});
    EXPECT_NE(message(type).find("'number_type'"), std::string::npos);
}

TEST(Vocabulary, AWordAnotherCountryKnowsIsActionUnsupported) {
    const auto us = decide_with_xv(R"({"country":"US","action":"publish_directory"})");
    EXPECT_EQ(codes(us), std::vector<std::string>{"action.unsupported"});
    EXPECT_EQ(us["action"], "publish_directory");
    EXPECT_EQ(us["plugin"]["name"], "us");
    EXPECT_NE(message(us).find("do not offer the action 'publish_directory'"), std::string::npos) << message(us);
    const auto type = decide_with_xv(R"({"country":"US","action":"port_in","number_type":"xv.conferencing"})");
    EXPECT_EQ(codes(type), std::vector<std::string>{"action.unsupported"});
    EXPECT_NE(message(type).find("do not offer the number type 'xv.conferencing' (they offer: user, service, toll_free)"),
              std::string::npos)
        << message(type);
    const auto xv = decide_with_xv(R"({"country":"XV","action":"transfer_tenant"})");
    EXPECT_EQ(codes(xv), std::vector<std::string>{"action.unsupported"});
}

TEST(Vocabulary, TheDidYouMeanOfActionUnsupportedIsAmongTheCountrysWords) {
    const auto decision = decide_with_xv(R"({"country":"XV","action":"xv.directory","number_type":"toll_free"})");
    EXPECT_TRUE(decision["allowed"]) << decision.dump();
    const auto port = decide_with_xv(R"({"country":"US","action":"update_directory"})");
    EXPECT_EQ(codes(port), std::vector<std::string>{"action.unsupported"});
}

// Canada's page asks for the PIN to convert numbers: a fourth role, in data.
TEST(Vocabulary, ThePinsRolesAreData) {
    EXPECT_EQ(codes(decide_with_xv(R"({"country":"XV","action":"convert_to_service","pin_is_set":true})")),
              std::vector<std::string>{"pin.missing"});
    EXPECT_EQ(codes(decide_with_xv(R"({"country":"XV","action":"convert_to_service","pin":"1234"})")),
              std::vector<std::string>{"pin.not_set"});
    EXPECT_TRUE(decide_with_xv(R"({"country":"XV","action":"convert_to_service","pin":"1234","pin_is_set":true})")["allowed"]);
    EXPECT_EQ(codes(decide_with_xv(R"({"country":"XV","action":"clear_pin","pin_is_set":true})")),
              std::vector<std::string>{"pin.cannot_clear"});
    EXPECT_EQ(codes(decide_with_xv(R"({"country":"XV","action":"set_pin","pin":"","pin_is_set":true})")),
              std::vector<std::string>{"pin.cannot_clear"});
    EXPECT_EQ(codes(decide_with_xv(R"({"country":"XV","action":"set_pin","pin":"12"})")),
              std::vector<std::string>{"pin.length"});
    EXPECT_TRUE(decide_with_xv(R"({"country":"XV","action":"publish_directory","pin":"12"})")["allowed"])
        << "an action without a PIN role ignores the PIN";
}

TEST(Vocabulary, ACountryWhosePluginWasRefusedSaysWhy) {
    const Engine refused = make_engine({TELPOLICY_TEST_PLUGIN_DIR, test_plugin_dir("invalid_rules")});
    const Decision decision = refused.evaluate_json(R"({"country":"XA","action":"new_numbers"})");
    ASSERT_EQ(decision.violations.size(), 1u);
    EXPECT_EQ(decision.violations[0].code, "country.unsupported");
    EXPECT_NE(decision.violations[0].message.find("the plugin for country XA was refused: plugin 'invalid'"),
              std::string::npos)
        << decision.violations[0].message;
    EXPECT_NE(decision.violations[0].message.find("its rules file is invalid: "), std::string::npos);
    EXPECT_EQ(codes(decide(R"({"country":"ZZ","action":"new_numbers"})")), std::vector<std::string>{"country.unsupported"});
}

std::string rules_with_actions(std::size_t count) {
    std::string actions;
    std::string rules;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string word = "xw.action_" + std::to_string(i);
        actions += (i == 0 ? "" : ", ") + word;
        rules += "  - {id: xw.rule-" + std::to_string(i) + ", when: {action: " + word + "}, then: {notes: [note " +
                 std::to_string(i) + "]}}\n";
    }
    return "format: 1\nplugin: xw\ncountries: [XW]\nactions: [" + actions + "]\npin: {used: false}\nrules:\n" + rules;
}

TEST(Vocabulary, ThereIsNoCapOnTheNumberOfActions) {
    const RuleLoadResult loaded = load_rules_text(rules_with_actions(150), "xw.yaml");
    ASSERT_TRUE(loaded.value) << loaded.diagnostics.front().to_string();
    for (const std::size_t i : {0u, 15u, 16u, 63u, 64u, 65u, 149u}) {
        Request request;
        request.country = "XW";
        request.action = "xw.action_" + std::to_string(i);
        Decision decision;
        evaluate_rules(*loaded.value, request, decision);
        EXPECT_EQ(decision.notes, std::vector<std::string>{"note " + std::to_string(i)}) << i;
        EXPECT_EQ(decision.matched_rules, std::vector<std::string>{"xw.rule-" + std::to_string(i)});
    }
}

std::vector<std::string> load_errors(const std::string& text) {
    const RuleLoadResult loaded = load_rules_text(text, "xw.yaml");
    std::vector<std::string> out;
    for (const Diagnostic& d : loaded.diagnostics) {
        if (d.severity == Severity::error) out.push_back(d.to_string());
    }
    return out;
}

TEST(Vocabulary, WordsAreCommonOrPrefixedWithThePluginsName) {
    const std::string base = "format: 1\nplugin: xw\ncountries: [XW]\npin: {used: false}\nrules:\n  - {id: r, then: {notes: [n]}}\n";
    EXPECT_EQ(load_errors(base + "actions: [emergency_address]"),
              std::vector<std::string>{"xw.yaml:7:11: error: unknown action 'emergency_address' in actions (expected one "
                                       "of: new_numbers, port_in, convert_to_service, transfer_tenant, port_out, set_pin, "
                                       "clear_pin, publish_directory, update_directory, or a word of the plugin's own "
                                       "prefixed 'xw.')"});
    EXPECT_EQ(load_errors(base + "actions: [au.emergency_address]").size(), 1u) << "another plugin's prefix";
    EXPECT_TRUE(load_errors(base + "actions: [xw.emergency_address]").empty());
    const auto type = load_errors(base + "actions: [port_in]\nnumber_types: [geographic]");
    ASSERT_EQ(type.size(), 1u);
    EXPECT_NE(type[0].find("unknown number type 'geographic' in number_types: it is neither a word of the common "
                           "vocabulary nor prefixed with the plugin's name ('xw.')"),
              std::string::npos)
        << type[0];
    const auto synonym = load_errors(base + "actions: [port_in]\nsynonyms: {porting: port_in}");
    ASSERT_EQ(synonym.size(), 1u);
    EXPECT_NE(synonym[0].find("synonym 'porting' must be a word of the plugin's own, prefixed 'xw.'"), std::string::npos);
    const auto meaning = load_errors(base + "actions: [port_in]\nsynonyms: {xw.porting: port_inn}");
    ASSERT_EQ(meaning.size(), 1u);
    EXPECT_NE(meaning[0].find("stands for 'port_inn', which is neither an action in 'actions' nor a type in "
                              "'number_types'; did you mean 'port_in'?"),
              std::string::npos)
        << meaning[0];
}

TEST(Vocabulary, AConditionOnANumberTypeTheFileDoesNotOfferIsAnError) {
    const std::string text =
        "format: 1\nplugin: xw\ncountries: [XW]\nactions: [port_in]\nnumber_types: [user]\npin: {used: false}\n"
        "rules:\n  - {id: r, when: {number_type: toll_free}, then: {notes: [n]}}\n";
    const auto errors = load_errors(text);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("unknown number type 'toll_free' in rule 'r' when.number_type"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("(expected one of: user, subscriber, unspecified)"), std::string::npos) << errors[0];
}

}  // namespace
}  // namespace telpolicy::test
