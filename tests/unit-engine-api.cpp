// The embedding API as a host application uses it: every public function of engine.hpp,
// request.hpp, decision.hpp, action.hpp and transfer_pin.hpp, called the way the README shows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/logger.h>
#include <telpolicy/vocabulary.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <telpolicy/engine.hpp>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

namespace fs = std::filesystem;

EngineOptions us_options() {
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_TEST_PLUGIN_DIR};
    options.rules_dirs = {TELPOLICY_TEST_RULES_DIR};
    return options;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// A private copy of the shipped US rules, for tests that edit them.
class UsRulesCopy {
public:
    UsRulesCopy() : dir_(make_temp_dir("telpolicy-api")) {
        fs::copy_file(fs::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml", us_yaml());
    }
    ~UsRulesCopy() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    UsRulesCopy(const UsRulesCopy&) = delete;
    UsRulesCopy& operator=(const UsRulesCopy&) = delete;

    [[nodiscard]] fs::path us_yaml() const { return dir_ / "us.yaml"; }
    [[nodiscard]] EngineOptions options() const {
        EngineOptions options = us_options();
        options.rules_dirs = {dir_};
        return options;
    }
    // Replaces the porting mailbox's address, which port_in decisions name.
    void change_porting_mailbox(const std::string& address) const {
        std::string text = read_file(us_yaml());
        const std::string old_address = "ptn@microsoft.com";
        for (auto at = text.find(old_address); at != std::string::npos; at = text.find(old_address, at)) {
            text.replace(at, old_address.size(), address);
            at += address.size();
        }
        write_file(us_yaml(), text);
    }

private:
    fs::path dir_;
};

Request us_port_in() {
    Request request;
    request.country = "US";
    request.action = "port_in";
    return request;
}

// ----- Engine -----

TEST(EngineApi, IsBuiltFromOptionsAndLogsToTheGivenLogger) {
    std::ostringstream lines;
    auto logger = std::make_shared<spdlog::logger>("host", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines));
    logger->set_level(spdlog::level::info);
    EngineOptions options = us_options();
    options.logger = logger;
    const Engine engine(options);
    EXPECT_NE(lines.str().find("loaded plugin us"), std::string::npos) << lines.str();
    EXPECT_FALSE(engine.watching());
}

TEST(EngineApi, EvaluatesARequestBuiltInCpp) {
    const Engine engine(us_options());
    const Decision decision = engine.evaluate(us_port_in());
    EXPECT_TRUE(decision.allowed());
    EXPECT_EQ(decision.country, "US");
    EXPECT_EQ(decision.action, "port_in");
    ASSERT_TRUE(decision.plugin.has_value());
    EXPECT_EQ(decision.plugin->name, "us");
    EXPECT_EQ(decision.mailbox, "ptn@microsoft.com");
    EXPECT_FALSE(decision.forms.empty());
}

TEST(EngineApi, ACppRequestMayGiveItsCountryInLowerCaseAsJsonMay) {
    const Engine engine(us_options());
    Request lower = us_port_in();
    lower.country = "pr";
    const Decision decision = engine.evaluate(lower);
    EXPECT_EQ(decision.country, "PR");
    EXPECT_EQ(to_json(decision), to_json(engine.evaluate_json(R"({"country":"PR","action":"port_in"})")));
    EXPECT_EQ(lower.country, "pr") << "the caller's request is left as it was";
}

TEST(EngineApi, ACppRequestWithAnImpossibleCountryIsInvalidNotAnException) {
    const Engine engine(us_options());
    for (const std::string country : {"", "U", "USA", "U1", "\xC3\x9C"
                                                           "S"}) {
        Request request = us_port_in();
        request.country = country;
        const Decision decision = engine.evaluate(request);
        ASSERT_EQ(decision.violations.size(), 1u) << country;
        EXPECT_EQ(decision.violations[0].code, "request.invalid") << country;
        EXPECT_FALSE(decision.country.has_value());
    }
}

TEST(EngineApi, ACountryNoPluginServesIsUnsupported) {
    const Engine engine(us_options());
    Request request = us_port_in();
    request.country = "ZZ";
    const Decision decision = engine.evaluate(request);
    ASSERT_EQ(decision.violations.size(), 1u);
    EXPECT_EQ(decision.violations[0].code, "country.unsupported");
    EXPECT_FALSE(decision.plugin.has_value());
}

TEST(EngineApi, EvaluatesJsonAndAnswersBadJsonWithRequestInvalid) {
    const Engine engine(us_options());
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"us","action":"port_in"})").allowed());
    for (const char* bad : {"", "not json", "[]", R"({"country":"US"})", "{\"country\":\"US\",\"action\":\"port_in\"\0}"}) {
        const Decision decision = engine.evaluate_json(bad);
        ASSERT_EQ(decision.violations.size(), 1u) << bad;
        EXPECT_EQ(decision.violations[0].code, "request.invalid") << bad;
    }
}

TEST(EngineApi, EvaluateToJsonGivesTheContractJsonDirectly) {
    const Engine engine(us_options());
    const std::string request = R"({"country":"US","action":"set_pin","pin":"73829"})";
    EXPECT_EQ(engine.evaluate_to_json(request), to_json(engine.evaluate_json(request)));
    EXPECT_EQ(engine.evaluate_to_json(request, 2), to_json(engine.evaluate_json(request), 2));
    const nlohmann::json decision = nlohmann::json::parse(engine.evaluate_to_json(request));
    EXPECT_EQ(decision.at("allowed"), false);
    EXPECT_EQ(codes(decision), std::vector<std::string>{"pin.length"});
    EXPECT_EQ(engine.evaluate_to_json(request).find("73829"), std::string::npos) << "never the PIN";
    EXPECT_EQ(nlohmann::json::parse(engine.evaluate_to_json("{")).at("violations").at(0).at("code"),
              "request.invalid");
}

TEST(EngineApi, TheLoadReportNamesEachPluginItsRulesAndTheirDigest) {
    const Engine engine(us_options());
    const LoadReport report = engine.load_report();
    EXPECT_EQ(report.revision, 1u);
    EXPECT_EQ(engine.revision(), 1u);
    ASSERT_EQ(report.loaded.size(), 1u);
    const LoadedPlugin& us = report.loaded[0];
    EXPECT_EQ(us.name, "us");
    EXPECT_EQ(us.rules_file, fs::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml");
    EXPECT_EQ(us.countries, (std::vector<std::string>{"US", "PR"}));
    ASSERT_EQ(us.rules_digest.size(), 16u);
    EXPECT_EQ(us.rules_digest.find_first_not_of("0123456789abcdef"), std::string::npos) << us.rules_digest;
    EXPECT_TRUE(report.refused.empty());
}

TEST(EngineApi, TwoEnginesWithDifferentRulesGiveDifferentAnswersInOneProcess) {
    const UsRulesCopy edited;
    edited.change_porting_mailbox("porting@example.test");
    const Engine shipped(us_options());
    const Engine local(edited.options());
    EXPECT_EQ(shipped.evaluate(us_port_in()).mailbox, "ptn@microsoft.com");
    EXPECT_EQ(local.evaluate(us_port_in()).mailbox, "porting@example.test");
    EXPECT_NE(shipped.load_report().loaded[0].rules_digest, local.load_report().loaded[0].rules_digest);
    EXPECT_EQ(shipped.evaluate(us_port_in()).mailbox, "ptn@microsoft.com") << "still, once both exist";
}

TEST(EngineApi, MovingAnEngineKeepsItsRulesAndWatch) {
    EngineOptions options = us_options();
    options.watch_interval = std::chrono::milliseconds(50);
    Engine first(options);
    ASSERT_TRUE(first.watching());
    Engine second(std::move(first));
    EXPECT_TRUE(second.watching());
    EXPECT_TRUE(second.evaluate(us_port_in()).allowed());
    Engine third(us_options());
    third = std::move(second);
    EXPECT_TRUE(third.watching());
    EXPECT_EQ(third.revision(), 1u);
    EXPECT_TRUE(third.evaluate(us_port_in()).allowed());
}

// ----- reload and watch (their behaviour under load is in unit-reload.cpp) -----

TEST(EngineApi, ReloadPicksUpAnEditedRulesFile) {
    const UsRulesCopy rules;
    Engine engine(rules.options());
    const std::string digest_before = engine.load_report().loaded[0].rules_digest;
    rules.change_porting_mailbox("new-porting@example.test");
    const ReloadResult result = engine.reload();
    EXPECT_TRUE(result.applied);
    EXPECT_TRUE(static_cast<bool>(result));
    EXPECT_TRUE(result.errors.empty());
    EXPECT_EQ(result.revision, 2u);
    EXPECT_EQ(engine.revision(), 2u);
    EXPECT_EQ(engine.evaluate(us_port_in()).mailbox, "new-porting@example.test");
    EXPECT_NE(engine.load_report().loaded[0].rules_digest, digest_before);
}

TEST(EngineApi, AFailedReloadKeepsTheOldRulesAndGivesEveryErrorWithItsPlace) {
    const UsRulesCopy rules;
    Engine engine(rules.options());
    const LoadReport before = engine.load_report();
    std::string text = read_file(rules.us_yaml());
    const auto mailbox_key = text.find("    mailbox: porting");
    ASSERT_NE(mailbox_key, std::string::npos);
    text.replace(mailbox_key, 20, "    mailbx: porting");
    text += "\nbogus_top_level_key: 1\n";
    write_file(rules.us_yaml(), text);

    const ReloadResult result = engine.reload();
    EXPECT_FALSE(result.applied);
    EXPECT_FALSE(static_cast<bool>(result));
    EXPECT_EQ(result.revision, 1u);
    ASSERT_GE(result.errors.size(), 2u);
    for (const Diagnostic& error : result.errors) {
        EXPECT_EQ(fs::path(error.file), rules.us_yaml());
        EXPECT_GT(error.line, 0) << error.to_string();
        EXPECT_GT(error.column, 0) << error.to_string();
        EXPECT_EQ(error.to_string().rfind(rules.us_yaml().string() + ":" + std::to_string(error.line) + ":", 0), 0u)
            << error.to_string();
    }
    EXPECT_EQ(engine.revision(), 1u);
    EXPECT_EQ(engine.load_report().loaded[0].rules_digest, before.loaded[0].rules_digest);
    EXPECT_EQ(engine.evaluate(us_port_in()).mailbox, "ptn@microsoft.com");
}

TEST(EngineApi, OnReloadHearsEveryReloadOutcome) {
    const UsRulesCopy rules;
    std::vector<ReloadResult> heard;
    EngineOptions options = rules.options();
    options.on_reload = [&heard](const ReloadResult& result) { heard.push_back(result); };
    Engine engine(options);
    EXPECT_TRUE(heard.empty()) << "construction is not a reload";
    (void)engine.reload();
    write_file(rules.us_yaml(), "format: [");
    (void)engine.reload();
    ASSERT_EQ(heard.size(), 2u);
    EXPECT_TRUE(heard[0].applied);
    EXPECT_FALSE(heard[1].applied);
    EXPECT_FALSE(heard[1].errors.empty());
}

TEST(EngineApi, AThrowingOnReloadIsLoggedAndTheReloadStillApplies) {
    const UsRulesCopy rules;
    std::ostringstream lines;
    EngineOptions options = rules.options();
    options.logger = std::make_shared<spdlog::logger>("host", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines));
    options.on_reload = [](const ReloadResult&) { throw std::runtime_error("host bug"); };
    Engine engine(options);
    EXPECT_TRUE(engine.reload().applied);
    EXPECT_EQ(engine.revision(), 2u);
    EXPECT_NE(lines.str().find("host bug"), std::string::npos) << lines.str();
}

TEST(EngineApi, WatchStartsChangesAndStops) {
    Engine engine(us_options());
    EXPECT_FALSE(engine.watching());
    engine.watch(std::chrono::milliseconds(20));
    EXPECT_TRUE(engine.watching());
    engine.watch(std::chrono::milliseconds(5));
    EXPECT_TRUE(engine.watching());
    engine.watch(std::chrono::milliseconds::zero());
    EXPECT_FALSE(engine.watching());
    EXPECT_EQ(engine.revision(), 1u) << "nothing changed on disk, so nothing was reloaded";
}

TEST(EngineApi, AMovedFromEngineAnswersWithoutCrashing) {
    Engine engine(us_options());
    const Engine other(std::move(engine));
    // NOLINTBEGIN(bugprone-use-after-move): what a moved-from engine does is the point of this test.
    EXPECT_FALSE(engine.evaluate(us_port_in()).allowed());
    EXPECT_FALSE(engine.reload().applied);
    EXPECT_EQ(engine.revision(), 0u);
    EXPECT_FALSE(engine.watching());
    EXPECT_THROW(engine.watch(std::chrono::milliseconds(10)), std::logic_error);
    // NOLINTEND(bugprone-use-after-move)
    EXPECT_TRUE(other.evaluate(us_port_in()).allowed());
}

// ----- Request and parse_request -----

TEST(RequestApi, ParseRequestGivesARequestOrTheFieldAtFault) {
    const ParsedRequest good =
        parse_request(R"({"country":"pr","action":"port_out","number_type":"subscriber","numbers":["+17875550123"],)"
                      R"("pin":"123456","pin_is_set":true,"locale":"es-PR"})");
    ASSERT_TRUE(good.request.has_value()) << good.error;
    EXPECT_EQ(good.request->country, "PR");
    EXPECT_EQ(good.request->action, "port_out");
    EXPECT_EQ(good.request->number_type, "subscriber") << "the rules' synonym, read by the engine";
    EXPECT_EQ(good.request->effective_count(), 1u);
    ASSERT_TRUE(good.request->pin.has_value());
    EXPECT_EQ(good.request->pin->reveal(), "123456");
    EXPECT_TRUE(good.request->pin_is_set);
    EXPECT_EQ(good.request->locale, "es-PR");

    const ParsedRequest bad = parse_request(R"({"country":"US","action":"port_in","count":"three"})");
    EXPECT_FALSE(bad.request.has_value());
    EXPECT_NE(bad.error.find("count"), std::string::npos) << bad.error;
}

TEST(RequestApi, EffectiveCountPrefersCountThenTheNumbers) {
    Request request;
    EXPECT_EQ(request.effective_count(), 0u);
    request.numbers = std::vector<std::string>{"+12025550143", "+12025550144"};
    EXPECT_EQ(request.effective_count(), 2u);
    request.count = 7;
    EXPECT_EQ(request.effective_count(), 7u);
}

// ----- Decision and to_json -----

TEST(DecisionApi, AllowedIsDerivedFromViolationsAndToJsonFollowsIt) {
    Decision decision;
    EXPECT_TRUE(decision.allowed());
    decision.violations.push_back({"pin.missing", "the action needs the transfer PIN", "us.pin.required"});
    EXPECT_FALSE(decision.allowed());
    const nlohmann::json json = nlohmann::json::parse(to_json(decision));
    EXPECT_EQ(json.at("allowed"), false);
    EXPECT_EQ(json.at("violations").at(0).at("rule"), "us.pin.required");
    EXPECT_EQ(to_json(decision).find('\n'), std::string::npos);
    EXPECT_NE(to_json(decision, 2).find('\n'), std::string::npos);
}

// ----- actions and number types -----

TEST(ActionApi, TheCommonVocabularyIsTheContracts) {
    const std::vector<std::string_view> actions(std::begin(common_vocabulary::actions), std::end(common_vocabulary::actions));
    EXPECT_EQ(actions, (std::vector<std::string_view>{"new_numbers", "port_in", "convert_to_service", "transfer_tenant",
                                                      "port_out", "set_pin", "clear_pin", "publish_directory",
                                                      "update_directory"}));
    const std::vector<std::string_view> types(std::begin(common_vocabulary::number_types),
                                              std::end(common_vocabulary::number_types));
    EXPECT_EQ(types, (std::vector<std::string_view>{"user", "service", "toll_free"}));
}

TEST(ActionApi, SubscriberMeansUserAndWordsAreCaseSensitive) {
    EXPECT_EQ(us_engine().evaluate_json(R"({"country":"US","action":"port_in","number_type":"subscriber"})").forms.size(),
              1u);
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"Port_In"})")), std::vector<std::string>{"request.invalid"});
    EXPECT_EQ(codes(decide(R"({"country":"US","action":""})")), std::vector<std::string>{"request.invalid"});
    EXPECT_EQ(codes(decide(R"({"country":"US","action":"port_in","number_type":"tollfree"})")),
              std::vector<std::string>{"request.invalid"});
}

// ----- TransferPin -----

TEST(TransferPinApi, HoldsCopiesAndMovesItsValue) {
    const TransferPin empty;
    EXPECT_TRUE(empty.empty());
    TransferPin pin("123456");
    EXPECT_FALSE(pin.empty());
    EXPECT_EQ(pin.reveal(), "123456");
    TransferPin copy(pin);
    EXPECT_EQ(copy.reveal(), "123456");
    TransferPin assigned;
    assigned = copy;
    EXPECT_EQ(assigned.reveal(), "123456");
    TransferPin moved(std::move(copy));
    EXPECT_EQ(moved.reveal(), "123456");
    TransferPin move_assigned;
    move_assigned = std::move(moved);
    EXPECT_EQ(move_assigned.reveal(), "123456");
}

}  // namespace
}  // namespace telpolicy::test

namespace telpolicy::test {
namespace {

// A kept Decision refilled request after request must read exactly as a fresh one each time,
// whatever the previous request left in it (more forms, violations, a mailbox...).
TEST(EngineApiReuse, AKeptDecisionRefilledMatchesAFreshOneEveryTime) {
    const std::vector<std::string> requests = {
        R"({"country":"US","action":"port_in"})",
        R"({"country":"US","action":"set_pin","pin":"12"})",
        R"({"country":"US","action":"port_in","number_type":"user","count":1000})",
        R"({"country":"BR","action":"port_in"})",
        R"({"country":"US","action":"port_in","numbers":["bad","+14165550123","+12025550143","+12025550143"]})",
        R"({"country":"PR","action":"clear_pin","pin_is_set":true})",
        R"({"country":"US","action":"new_numbers"})",
        R"({"country":"US","action":"convert_to_service"})",
        R"({"country":"US","action":"port_out","pin":"123456","pin_is_set":true})",
    };
    Decision kept;
    for (int round = 0; round < 2; ++round) {
        for (const std::string& text : requests) {
            const ParsedRequest parsed = parse_request(text);
            ASSERT_TRUE(parsed.request) << text;
            us_engine().evaluate(*parsed.request, kept);
            EXPECT_EQ(to_json(kept), to_json(us_engine().evaluate(*parsed.request))) << text;
        }
    }
}

}  // namespace
}  // namespace telpolicy::test

namespace telpolicy::test {
namespace {

// EngineOptions::rules_text: an edit tried from memory, as the playground's sandbox does.
EngineOptions edited_us(std::string text) {
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_TEST_BUNDLE_PLUGIN_DIR};
    options.rules_dirs = {"/nonexistent"};  // never read
    options.rules_text = RulesText{"us", std::move(text), "/edited/us.yaml"};
    return options;
}

std::string us_rules_with(const std::string& from, const std::string& to) {
    std::string text = read_file(fs::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml");
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos);
    return text.replace(at, from.size(), to);
}

TEST(EngineRulesText, ServesThatPluginAloneWithTheRulesFromMemory) {
    const Engine engine(edited_us(us_rules_with("address: ptn@microsoft.com", "address: desk@example.com")));
    const LoadReport report = engine.load_report();
    ASSERT_EQ(report.loaded.size(), 1u) << (report.refused.empty() ? "" : report.refused.front().reason);
    EXPECT_EQ(report.loaded[0].name, "us");
    EXPECT_EQ(report.loaded[0].rules_file, fs::path("/edited/us.yaml"));
    const Decision decision = engine.evaluate_json(
        R"({"country": "US", "action": "port_in", "number_type": "toll_free", "numbers": ["+18002345678"]})");
    EXPECT_EQ(decision.mailbox, "desk@example.com");
    // The plugin's native PIN check (digits_only) is bound: the rules allow any 6 to 10 characters.
    const Decision pin = engine.evaluate_json(R"({"country": "US", "action": "set_pin", "pin": "12345a"})");
    ASSERT_FALSE(pin.violations.empty());
    EXPECT_EQ(pin.violations[0].code, "pin.format");
    // Another country's plugin is not loaded.
    EXPECT_EQ(engine.evaluate_json(R"({"country": "CA", "action": "port_in"})").violations.at(0).code,
              "country.unsupported");
}

TEST(EngineRulesText, RefusesTextThatIsBrokenOrOverTheRulesFileLimit) {
    const Engine broken(edited_us(us_rules_with("number_type: [user, unspecified]", "number_typo: x")));
    ASSERT_EQ(broken.load_report().loaded.size(), 0u);
    EXPECT_NE(broken.load_report().refused.at(0).reason.find("/edited/us.yaml:"), std::string::npos);

    EngineOptions too_large = edited_us(read_file(fs::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml"));
    too_large.limits.max_rules_file_bytes = 1000;
    const Engine refused(too_large);
    ASSERT_EQ(refused.load_report().loaded.size(), 0u);
    EXPECT_NE(refused.load_report().refused.at(0).reason.find("more than the limit of 1000"), std::string::npos);
}

}  // namespace
}  // namespace telpolicy::test
