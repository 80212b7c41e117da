// Plugin loading: the bundled plugin loads; each broken plugin is refused with its own message
// naming the file, while the good plugins still load.
#include <gtest/gtest.h>

#include <fstream>

#include "runtime/plugin_loader.hpp"
#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

// Loads the US plugin plus the test plugin `case_name`, and returns the single refusal.
RefusedPlugin refusal_for(const std::string& case_name) {
    const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR, test_plugin_dir(case_name)});
    const LoadReport& report = engine.load_report();
    EXPECT_EQ(report.loaded.size(), 1u) << "the good plugin still loads";
    EXPECT_EQ(report.loaded.at(0).name, "us");
    EXPECT_EQ(report.refused.size(), 1u);
    return report.refused.at(0);
}

std::string expected_path(const std::string& case_name) {
    return (test_plugin_dir(case_name) / ("telpolicy_" + case_name + ".so")).string();
}

TEST(PluginLoading, LoadsTheBundledUsPlugin) {
    const LoadReport& report = us_engine().load_report();
    ASSERT_EQ(report.loaded.size(), 1u);
    const LoadedPlugin& us = report.loaded[0];
    EXPECT_EQ(us.name, "us");
    EXPECT_EQ(us.version, "1.0.0");
    EXPECT_EQ(us.countries, (std::vector<std::string>{"US", "PR"}));
    EXPECT_EQ(us.library.filename(), "telpolicy_us.so");
    EXPECT_EQ(us.rules_file.filename(), "us.yaml");
    EXPECT_TRUE(report.refused.empty());
}

TEST(PluginLoading, LoadsSeveralPluginsFromSeveralFolders) {
    const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR, test_plugin_dir("good_xa")});
    EXPECT_EQ(engine.load_report().loaded.size(), 2u);
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"XA","action":"new_numbers"})").allowed());
    EXPECT_EQ(engine.evaluate_json(R"({"country":"XA","action":"new_numbers"})").plugin->name, "xa");
}

TEST(PluginLoading, RefusesALibraryWithoutTheEntryPoint) {
    const RefusedPlugin refused = refusal_for("no_entry_point");
    EXPECT_EQ(refused.path.string(), expected_path("no_entry_point"));
    EXPECT_NE(refused.reason.find("entry point telpolicy_plugin_entry not found"), std::string::npos) << refused.reason;
}

TEST(PluginLoading, RefusesAnotherApiMajor) {
    const RefusedPlugin refused = refusal_for("wrong_major");
    EXPECT_EQ(refused.path.string(), expected_path("wrong_major"));
    EXPECT_NE(refused.reason.find("wrong plugin API version: the plugin was built for API 99.1, this host supports API 1.1"),
              std::string::npos)
        << refused.reason;
}

TEST(PluginLoading, RefusesANewerApiMinor) {
    const RefusedPlugin refused = refusal_for("newer_minor");
    EXPECT_NE(refused.reason.find("needs plugin API 1.99, newer than this host's 1.1"), std::string::npos)
        << refused.reason;
}

TEST(PluginLoading, RefusesANullDescriptor) {
    EXPECT_NE(refusal_for("null_descriptor").reason.find("returned no descriptor"), std::string::npos);
}

TEST(PluginLoading, RefusesInvalidDescriptors) {
    EXPECT_NE(refusal_for("bad_name").reason.find("name is missing or not a lower-case identifier"), std::string::npos);
    EXPECT_NE(refusal_for("bad_country").reason.find("not an upper-case ISO 3166-1 alpha-2 code"), std::string::npos);
    EXPECT_NE(refusal_for("bad_country").reason.find("the country 'usa'"), std::string::npos) << "names the code at fault";
}

TEST(PluginLoading, RefusesASecondPluginForTheSameCountryNamingBoth) {
    const RefusedPlugin refused = refusal_for("claims_us");
    EXPECT_EQ(refused.path.string(), expected_path("claims_us"));
    EXPECT_NE(refused.reason.find("country US is already served by plugin 'us' from"), std::string::npos)
        << refused.reason;
    EXPECT_NE(refused.reason.find("telpolicy_us.so"), std::string::npos);
}

TEST(PluginLoading, TheFirstFolderWinsACountryWhateverTheOrderOnDisk) {
    const Engine reversed = make_engine({test_plugin_dir("claims_us"), TELPOLICY_TEST_PLUGIN_DIR});
    ASSERT_EQ(reversed.load_report().loaded.size(), 1u);
    EXPECT_EQ(reversed.load_report().loaded[0].name, "usclone");
}

TEST(PluginLoading, RefusesAPluginWhoseRulesFileIsMissing) {
    const RefusedPlugin refused = refusal_for("missing_rules");
    EXPECT_NE(refused.reason.find("its rules file nowhere.yaml is in none of the rules directories"), std::string::npos)
        << refused.reason;
}

TEST(PluginLoading, RefusesAPluginWhoseRulesFileIsInvalidWithPositions) {
    const RefusedPlugin refused = refusal_for("invalid_rules");
    EXPECT_NE(refused.reason.find("invalid.yaml:9:5: error: unknown key 'whn' in rule 'invalid.rule'; did you mean 'when'?"),
              std::string::npos)
        << refused.reason;
    EXPECT_NE(refused.reason.find("names mailbox 'nowhere'"), std::string::npos) << refused.reason;
}

TEST(PluginLoading, RefusesAFileThatIsNotASharedLibrary) {
    const auto dir = make_temp_dir("telpolicy-not-a-library");
    std::ofstream(dir / "telpolicy_fake.so") << "this is text, not a library\n";
    const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR, dir});
    ASSERT_EQ(engine.load_report().refused.size(), 1u);
    EXPECT_EQ(engine.load_report().refused[0].path, dir / "telpolicy_fake.so");
    EXPECT_NE(engine.load_report().refused[0].reason.find("not a shared library: the file is not an ELF file"), std::string::npos);
    EXPECT_EQ(engine.load_report().loaded.size(), 1u);
    std::filesystem::remove_all(dir);
}

TEST(PluginLoading, IgnoresFilesThatAreNotLibrariesByName) {
    const auto dir = make_temp_dir("telpolicy-readme");
    std::ofstream(dir / "README.txt") << "not a plugin\n";
    const Engine engine = make_engine({dir});
    EXPECT_TRUE(engine.load_report().loaded.empty());
    EXPECT_TRUE(engine.load_report().refused.empty());
    std::filesystem::remove_all(dir);
}

TEST(PluginLoading, AMissingFolderLoadsNothingAndDoesNotThrow) {
    const Engine engine = make_engine({"/nonexistent/plugins"});
    EXPECT_TRUE(engine.load_report().loaded.empty());
    EXPECT_EQ(engine.evaluate_json(R"({"country":"US","action":"port_in"})").violations.at(0).code,
              "country.unsupported");
}

TEST(PluginLoading, TheSameFolderTwiceLoadsThePluginOnce) {
    const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR, TELPOLICY_TEST_PLUGIN_DIR});
    EXPECT_EQ(engine.load_report().loaded.size(), 1u);
    ASSERT_EQ(engine.load_report().refused.size(), 1u);
    EXPECT_NE(engine.load_report().refused[0].reason.find("a plugin named 'us' is already loaded from"),
              std::string::npos);
}

TEST(DescriptorCheck, AcceptsTheCurrentApi) {
    const char* countries[] = {"XA", nullptr};
    const telpolicy_plugin_descriptor good{TELPOLICY_PLUGIN_API_MAJOR, TELPOLICY_PLUGIN_API_MINOR, "xa", "1.0.0",
                                           countries, "xa.yaml", nullptr, nullptr};
    EXPECT_EQ(descriptor_problem(&good), "");
    telpolicy_plugin_descriptor no_rules = good;
    no_rules.rules_file = nullptr;
    EXPECT_EQ(descriptor_problem(&no_rules), "the descriptor names no rules file");
    telpolicy_plugin_descriptor path_rules = good;
    path_rules.rules_file = "../etc/xa.yaml";
    EXPECT_NE(descriptor_problem(&path_rules).find("not a path"), std::string::npos);
    const char* no_countries[] = {nullptr};
    telpolicy_plugin_descriptor empty = good;
    empty.countries = no_countries;
    EXPECT_EQ(descriptor_problem(&empty), "the descriptor lists no countries");
}

TEST(DescriptorCheck, RefusesMalformedChecks) {
    const char* countries[] = {"XA", nullptr};
    const telpolicy_plugin_check unnamed[] = {{"Bad Name", nullptr}, {nullptr, nullptr}};
    const telpolicy_plugin_check no_function[] = {{"digits", nullptr}, {nullptr, nullptr}};
    telpolicy_plugin_descriptor descriptor{TELPOLICY_PLUGIN_API_MAJOR, TELPOLICY_PLUGIN_API_MINOR, "xa", "1.0.0",
                                           countries, "xa.yaml", unnamed, nullptr};
    EXPECT_NE(descriptor_problem(&descriptor).find("not a lower-case identifier"), std::string::npos);
    descriptor.checks = no_function;
    EXPECT_EQ(descriptor_problem(&descriptor), "the descriptor's check 'digits' has no function");
}

TEST(PluginLoading, RefusesAPluginWhoseInitializationFails) {
    const RefusedPlugin refused = refusal_for("init_fails");
    EXPECT_EQ(refused.path.string(), expected_path("init_fails"));
    EXPECT_EQ(refused.reason, "its initialization reported failure (status 7): its licence file is missing");
}

TEST(PluginLoading, APluginBuiltForApiOneZeroStillLoads) {
    const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR, test_plugin_dir("legacy_1_0")});
    ASSERT_EQ(engine.load_report().loaded.size(), 2u) << engine.load_report().refused.at(0).reason;
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"XA","action":"new_numbers"})").allowed());
}

TEST(PluginLoading, RefusesAPluginWhoseRulesCallACheckItDoesNotOffer) {
    const RefusedPlugin refused = refusal_for("check_missing");
    EXPECT_EQ(refused.reason, "its rules call the check 'always_fail', which the plugin does not offer (it offers: none)");
}

TEST(NativeChecks, AFailedCheckRefusesThePinWithTheChecksMessage) {
    const Engine engine = make_engine({test_plugin_dir("checks_xc")});
    ASSERT_EQ(engine.load_report().loaded.size(), 1u) << engine.load_report().refused.at(0).reason;
    const Decision decision = engine.evaluate_json(R"({"country":"XC","action":"set_pin","pin":"123456"})");
    ASSERT_EQ(decision.violations.size(), 1u);
    EXPECT_EQ(decision.violations[0].code, "pin.format");
    EXPECT_EQ(decision.violations[0].message, "the transfer PIN is not valid: its check digit is wrong");
    EXPECT_EQ(decision.violations[0].rule, "xc.pin.always_fail");
}

TEST(NativeChecks, ACheckThatCannotRunAndACheckThatQuotesThePinAreContained) {
    const auto dir = make_temp_dir("telpolicy-checks");
    std::ifstream in(std::filesystem::path(TELPOLICY_TEST_DATA_DIR) / "rules" / "xc.yaml");
    std::string rules((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    rules.replace(rules.find("checks: [always_fail]"), 21, "checks: [always_error, quotes_the_pin]");
    std::ofstream(dir / "xc.yaml") << rules;
    EngineOptions options;
    options.plugin_dirs = {test_plugin_dir("checks_xc")};
    options.rules_dirs = {dir};
    const Engine engine(options);
    const Decision decision = engine.evaluate_json(R"({"country":"XC","action":"set_pin","pin":"908172"})");
    ASSERT_EQ(decision.violations.size(), 2u);
    EXPECT_EQ(decision.violations[0].code, "xc.check_unavailable");
    EXPECT_EQ(decision.violations[0].message, "the plugin's check 'always_error' could not run: the check service is down");
    EXPECT_EQ(decision.violations[1].code, "pin.format");
    EXPECT_EQ(decision.violations[1].message, "the transfer PIN is not valid: check 'quotes_the_pin' refused it");
    EXPECT_EQ(to_json(decision).find("908172"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(NativeChecks, TheUsPluginChecksItsPinDigitsNatively) {
    const auto decision = decide(R"({"country":"US","action":"set_pin","pin":"12345a"})");
    EXPECT_EQ(codes(decision), std::vector<std::string>{"pin.format"});
    EXPECT_EQ(decision["violations"][0]["rule"], "us.pin.digits_only");
    EXPECT_EQ(decision["violations"][0]["message"],
              "the transfer PIN is not valid: it may hold only the digits 0-9, no letters, spaces or special characters");
    const auto arabic = decide(R"({"country":"US","action":"set_pin","pin":"\u0661\u0662\u0663\u0664\u0665\u0666"})");
    EXPECT_EQ(arabic["violations"][0]["message"],
              "the transfer PIN is not valid: it may hold only the ASCII digits 0-9, not digits or letters of other scripts");
    EXPECT_TRUE(decide(R"({"country":"US","action":"set_pin","pin":"0123456789"})")["allowed"]);
}

TEST(PluginLoading, CountriesThatDifferAreNamedOnBothSides) {
    const RefusedPlugin refused = refusal_for("countries_differ");
    EXPECT_NE(refused.reason.find("(XA) differ from those its descriptor serves (XB)"), std::string::npos) << refused.reason;
}

TEST(PluginLoading, ACountryCodeMustBeAssigned) {
    const std::string base = "format: 1\nplugin: xa\nactions: [port_in]\npin: {used: false}\nrules:\n  - {id: r, then: {notes: [n]}}\n";
    const auto first_error = [](const std::string& text) {
        const RuleLoadResult loaded = load_rules_text(text, "x.yaml");
        return loaded.diagnostics.empty() ? std::string() : loaded.diagnostics.front().to_string();
    };
    EXPECT_NE(first_error(base + "countries: [SP]").find("country 'SP' is not an assigned ISO 3166-1 alpha-2 code"),
              std::string::npos);
    EXPECT_TRUE(load_rules_text(base + "countries: [ES]", "x.yaml").value) << "Spain";
    EXPECT_TRUE(load_rules_text(base + "countries: [XA, QZ, ZZ, AA]", "x.yaml").value) << "codes for private use";
}

}  // namespace
}  // namespace telpolicy::test
