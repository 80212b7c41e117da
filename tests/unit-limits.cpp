// Limits: every bound on requests and rules files has a documented default, can be changed, and
// when crossed gives a clear error that names the limit, without exhausting memory first.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <telpolicy/limits.hpp>

#include "policy/rule_loader.hpp"
#include "run_command.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

Engine engine_with(const Limits& limits, std::vector<std::filesystem::path> rules_dirs = {TELPOLICY_TEST_RULES_DIR}) {
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_TEST_PLUGIN_DIR};
    options.rules_dirs = std::move(rules_dirs);
    options.limits = limits;
    return Engine(options);
}

std::string only_violation(const Decision& decision) {
    EXPECT_EQ(decision.violations.size(), 1u);
    if (decision.violations.empty()) return {};
    EXPECT_EQ(decision.violations[0].code, "request.invalid");
    return decision.violations[0].message;
}

std::string numbers_request(std::size_t count) {
    std::string request = R"({"country":"US","action":"port_in","numbers":[)";
    for (std::size_t i = 0; i < count; ++i) request += (i == 0 ? "\"+12025550" : ",\"+12025550") + std::to_string(100 + i) + "\"";
    return request + "]}";
}

std::vector<std::string> error_messages(const RuleLoadResult& result) {
    std::vector<std::string> out;
    for (const Diagnostic& d : result.diagnostics) {
        if (d.severity == Severity::error) out.push_back(d.to_string());
    }
    return out;
}

// One error, whose text holds `needle`; the file is refused.
void expect_refused_with(const RuleLoadResult& result, const std::string& needle) {
    EXPECT_FALSE(result.value);
    const auto errors = error_messages(result);
    ASSERT_EQ(errors.size(), 1u) << (errors.empty() ? "no error" : errors[0]);
    EXPECT_NE(errors[0].find(needle), std::string::npos) << errors[0];
}

TEST(Limits, DefaultsAreThoseDocumented) {
    const Limits limits;
    EXPECT_EQ(limits.max_request_bytes, 1u << 20);
    EXPECT_EQ(limits.max_numbers, 10'000u);
    EXPECT_EQ(limits.max_pin_bytes, 64u);
    EXPECT_EQ(limits.max_json_depth, 32u);
    EXPECT_EQ(limits.max_rules_file_bytes, 4u << 20);
    EXPECT_EQ(limits.max_yaml_depth, 32u);
    EXPECT_EQ(limits.max_yaml_aliases, 100u);
    EXPECT_EQ(limits.max_rules, 10'000u);
    EXPECT_EQ(EngineOptions{}.limits.max_numbers, limits.max_numbers);
}

// ----- requests -----

TEST(RequestLimits, ARequestOverTheSizeLimitIsInvalidAndNamesTheLimit) {
    Limits limits;
    limits.max_request_bytes = 40;
    const Engine engine = engine_with(limits);
    const std::string message = only_violation(engine.evaluate_json(R"({"country":"US","action":"port_in","count":1})"));
    EXPECT_NE(message.find("more than the limit of 40 bytes"), std::string::npos) << message;
    EXPECT_NE(message.find("--max-request-bytes"), std::string::npos) << message;
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"US","action":"port_in"})").allowed());
}

TEST(RequestLimits, TheDefaultSizeLimitIsOneMebibyte) {
    const std::string head = R"({"country":"US","action":"port_in","x":")";
    const std::string fits = head + std::string((1u << 20) - head.size() - 2, 'x') + "\"}";
    ASSERT_EQ(fits.size(), 1u << 20);
    EXPECT_TRUE(us_engine().evaluate_json(fits).allowed());
    const std::string over = head + std::string((1u << 20) - head.size() - 1, 'x') + "\"}";
    EXPECT_NE(only_violation(us_engine().evaluate_json(over)).find("more than the limit of 1048576 bytes"),
              std::string::npos);
}

TEST(RequestLimits, TooManyNumbersAreRefusedBeforeAnyIsRead) {
    Limits limits;
    limits.max_numbers = 3;
    const Engine engine = engine_with(limits);
    EXPECT_EQ(engine.evaluate_json(numbers_request(3)).violations.size(), 0u);
    const std::string message = only_violation(engine.evaluate_json(numbers_request(4)));
    EXPECT_EQ(message, "field 'numbers' lists 4 numbers, more than the limit of 3 (change it with --max-numbers)");
}

TEST(RequestLimits, TheDefaultNumbersLimitIsTenThousand) {
    // The number "+1" is invalid, and repeated: cheap to classify, so this stays quick.
    const auto numbers = [](std::size_t count) {
        std::string request = R"({"country":"US","action":"port_in","numbers":[)";
        for (std::size_t i = 0; i < count; ++i) request += i == 0 ? "\"+1\"" : ",\"+1\"";
        return request + "]}";
    };
    const Decision at_limit = us_engine().evaluate_json(numbers(10'000));
    EXPECT_TRUE(at_limit.violations.empty() || at_limit.violations[0].code != "request.invalid");
    EXPECT_NE(only_violation(us_engine().evaluate_json(numbers(10'001))).find("more than the limit of 10000"),
              std::string::npos);
}

TEST(RequestLimits, AnOverLongPinIsRefusedBeforeItIsChecked) {
    Limits limits;
    limits.max_pin_bytes = 8;
    const Engine engine = engine_with(limits);
    const std::string message =
        only_violation(engine.evaluate_json(R"({"country":"US","action":"set_pin","pin":"123456789"})"));
    EXPECT_EQ(message, "field 'pin' is longer than the limit of 8 bytes (change it with --max-pin-bytes)");
    // Within the limit, the country's own rule on length decides.
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"US","action":"set_pin","pin":"12345678"})").allowed());
}

TEST(RequestLimits, TheDefaultPinLimitIsSixtyFourBytes) {
    const auto set_pin = [](std::size_t length) {
        return R"({"country":"US","action":"set_pin","pin":")" + std::string(length, '1') + "\"}";
    };
    const Decision at_limit = us_engine().evaluate_json(set_pin(64));
    ASSERT_EQ(at_limit.violations.size(), 1u);
    EXPECT_EQ(at_limit.violations[0].code, "pin.length");
    EXPECT_NE(only_violation(us_engine().evaluate_json(set_pin(65))).find("limit of 64 bytes"), std::string::npos);
}

// ----- rules files -----

TEST(RulesLimits, ARulesFileOverTheSizeLimitIsRefusedBeforeItIsRead) {
    Limits limits;
    limits.max_rules_file_bytes = 1000;
    const auto us_yaml = std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml";
    const auto size = std::filesystem::file_size(us_yaml);
    const RuleLoadResult result = load_rules_file(us_yaml, limits);
    expect_refused_with(result, "the rules file is " + std::to_string(size) +
                                    " bytes, more than the limit of 1000 (change it with --max-rules-file-bytes)");
    EXPECT_TRUE(load_rules_file(us_yaml).value) << "the default limit, 4 MiB, lets the real file through";
}

TEST(RulesLimits, TheEngineRefusesThePluginOfAnOversizedRulesFileAndSaysWhy) {
    Limits limits;
    limits.max_rules_file_bytes = 1000;
    const Engine engine = engine_with(limits);
    const LoadReport report = engine.load_report();
    EXPECT_TRUE(report.loaded.empty());
    ASSERT_EQ(report.refused.size(), 1u);
    EXPECT_NE(report.refused[0].reason.find("more than the limit of 1000"), std::string::npos) << report.refused[0].reason;
}

TEST(RulesLimits, NestingDeeperThanTheLimitIsRefusedWithItsPosition) {
    std::string deep = "sources:\n  - ";
    for (int i = 0; i < 40; ++i) deep += "[";
    for (int i = 0; i < 40; ++i) deep += "]";
    const RuleLoadResult result = load_rules_text(deep + "\n", "deep.yaml");
    expect_refused_with(result, "deep.yaml:2:");
    expect_refused_with(result, "nested more than 32 levels deep here (change the limit with --max-yaml-depth)");
}

TEST(RulesLimits, TheDepthLimitCanBeLowered) {
    Limits limits;
    limits.max_yaml_depth = 4;
    const RuleLoadResult result = load_rules_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml", limits);
    expect_refused_with(result, "nested more than 4 levels deep");
    limits.max_yaml_depth = 7;  // what the US rules need
    EXPECT_TRUE(load_rules_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml", limits).value);
}

// Ten aliases of ten aliases of ... nine levels: 10^9 nodes once expanded, 1 KiB as text.
std::string billion_laughs() {
    std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int level = 1; level <= 9; ++level) {
        const std::string previous = "*a" + std::to_string(level - 1);
        text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) text += (i == 0 ? "" : ", ") + previous;
        text += "]\n";
    }
    return text;
}

TEST(RulesLimits, ABillionLaughsIsRefusedWithoutExpandingIt) {
    const RuleLoadResult result = load_rules_text(billion_laughs(), "laughs.yaml");
    expect_refused_with(result, "uses more than 100 aliases, counting those inside an aliased node each time it is "
                                "used; refusing it rather than expanding it (change the limit with --max-yaml-aliases)");
    // Counted as written out: level 2 alone (10 aliases of 10 aliases) is over the limit.
    expect_refused_with(result, "laughs.yaml:3:");
}

TEST(RulesLimits, ABillionLaughsDoesNotExhaustTheCommandsMemory) {
    const auto dir = make_temp_dir("telpolicy-laughs");
    std::ofstream(dir / "us.yaml") << billion_laughs();
    const CommandResult run = run_telpolicy({"plugins", "--rules", dir.string()});
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_NE(run.out.find("more than 100 aliases"), std::string::npos) << run.out << run.err;
    // 10^9 nodes would take tens of GiB; the refusal takes what the command takes anyway.
    EXPECT_LT(run.max_rss_kib, 512 * 1024);
    std::filesystem::remove_all(dir);
}

TEST(RulesLimits, AnAliasInsideItsOwnAnchorIsRefused) {
    const RuleLoadResult result = load_rules_text("format: 1\nsources: &loop [a, *loop]\n", "loop.yaml");
    expect_refused_with(result, "loop.yaml:2:");
    expect_refused_with(result, "this alias refers to a node that contains it");
}

TEST(RulesLimits, AFewAliasesAreFine) {
    // A list of actions given once and repeated by alias.
    const std::string with_aliases = R"(format: 1
plugin: xa
countries: [XA]
actions: &offered [port_in, set_pin]
pin: {used: true, characters: ascii_digits, length: {min: 4, max: 8}, can_clear: true, required_for: *offered}
rules:
  - {id: xa.a, when: {action: *offered}, then: {notes: ["{count} in {country}"]}}
)";
    const RuleLoadResult result = load_rules_text(with_aliases, "few.yaml");
    EXPECT_TRUE(result.value) << (error_messages(result).empty() ? "" : error_messages(result)[0]);
    Limits limits;
    limits.max_yaml_aliases = 1;
    expect_refused_with(load_rules_text(with_aliases, "few.yaml", limits), "few.yaml:7:");
    expect_refused_with(load_rules_text(with_aliases, "few.yaml", limits), "uses more than 1 aliases");
}

TEST(RulesLimits, MoreRulesThanTheLimitAreRefused) {
    Limits limits;
    limits.max_rules = 3;
    const RuleLoadResult result = load_rules_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml", limits);
    EXPECT_FALSE(result.value);
    const auto errors = error_messages(result);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("rules, more than the limit of 3 (change it with --max-rules)"), std::string::npos)
        << errors[0];
}

// ----- the command line -----

TEST(CliLimits, EachLimitHasAFlag) {
    const std::string numbers = numbers_request(3);
    const CommandResult few = run_telpolicy({"eval", "--compact", "--max-numbers", "2"}, numbers);
    EXPECT_NE(few.out.find("lists 3 numbers, more than the limit of 2"), std::string::npos) << few.out << few.err;

    const CommandResult pin =
        run_telpolicy({"eval", "--compact", "--max-pin-bytes", "4"}, R"({"country":"US","action":"set_pin","pin":"12345"})");
    EXPECT_NE(pin.out.find("longer than the limit of 4 bytes"), std::string::npos) << pin.out << pin.err;

    const CommandResult nesting = run_telpolicy({"eval", "--compact", "--max-json-depth", "1"},
                                                R"({"country":"US","action":"port_in","numbers":[]})");
    EXPECT_NE(nesting.out.find("deeper than the limit of 1"), std::string::npos) << nesting.out << nesting.err;

    const CommandResult rules = run_telpolicy({"plugins", "--max-rules", "2"});
    EXPECT_EQ(rules.exit_code, 3);
    EXPECT_NE(rules.out.find("more than the limit of 2"), std::string::npos) << rules.out;

    const CommandResult size = run_telpolicy({"plugins", "--max-rules-file-bytes", "100"});
    EXPECT_NE(size.out.find("more than the limit of 100"), std::string::npos) << size.out;

    const CommandResult depth = run_telpolicy({"plugins", "--max-yaml-depth", "3"});
    EXPECT_NE(depth.out.find("nested more than 3 levels"), std::string::npos) << depth.out;

    const CommandResult aliases = run_telpolicy({"plugins", "--max-yaml-aliases", "0"});
    EXPECT_EQ(aliases.exit_code, 0) << "the US rules use no alias: " << aliases.out;

    const CommandResult request =
        run_telpolicy({"eval", "--compact", "--max-request-bytes", "20"}, R"({"country":"US","action":"port_in"})");
    EXPECT_NE(request.out.find("request.invalid"), std::string::npos) << request.out;
}

TEST(CliLimits, TheHelpShowsTheDefaults) {
    const CommandResult help = run_telpolicy({"--help"});
    for (const char* flag : {"--max-numbers", "--max-pin-bytes", "--max-json-depth", "--max-rules-file-bytes", "--max-yaml-depth",
                             "--max-yaml-aliases", "--max-rules", "--allow-untrusted-plugins"}) {
        EXPECT_NE(help.out.find(flag), std::string::npos) << flag << " missing from:\n" << help.out;
    }
    EXPECT_NE(help.out.find("10000"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace telpolicy::test
