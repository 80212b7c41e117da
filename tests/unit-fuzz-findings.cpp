// Fuzzing findings, one regression test each. The input that found each one is kept in
// tests/fuzz/regressions/<target>/, which ctest also replays through the fuzz target itself
// (fuzz.<target>.replay, in the asan build).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "text/message_template.hpp"
#include "policy/rule_loader.hpp"
#include "run_command.hpp"
#include <telpolicy/request.hpp>
#include <telpolicy/suggestion.hpp>
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

std::filesystem::path regression(const std::string& target, const std::string& name) {
    return std::filesystem::path(TELPOLICY_TEST_FUZZ_DIR) / "regressions" / target / name;
}

std::vector<Diagnostic> errors_of(const RuleLoadResult& result) {
    std::vector<Diagnostic> out;
    for (const Diagnostic& d : result.diagnostics) {
        if (d.severity == Severity::error) out.push_back(d);
    }
    return out;
}

// fuzz_rule_loader reported out-of-memory: a note "{{{{…{x}" made the placeholder scan restart at every
// '{', collecting n names of up to n bytes each: 60 kB of braces took more than 2 GB.
TEST(FuzzFindings, ThePlaceholderScanReadsEachBraceOnce) {
    const std::string braces = std::string(4000, '{') + "x}";
    const auto names = placeholders_in(braces);
    ASSERT_TRUE(names);
    ASSERT_EQ(names->size(), 1u);
    EXPECT_EQ(names->front().size(), 4000u);
    EXPECT_EQ(placeholders_in("{count} and {region}"), (std::vector<std::string>{"count", "region"}));
    EXPECT_FALSE(placeholders_in("{count} and {region"));

    const RuleLoadResult result = load_rules_file(regression("rule_loader", "placeholder-braces.yaml"));
    EXPECT_FALSE(result.value);
    EXPECT_EQ(errors_of(result).size(), 1u) << "one unknown placeholder, not thousands";
}

// fuzz_rule_loader reported a timeout: an unknown form id compared with the catalogue's ids by full edit
// distance, quadratic in their lengths: two 200 kB ids took minutes.
TEST(FuzzFindings, SuggestionsAreNotSoughtForLongWords) {
    EXPECT_FALSE(closest_word(std::string(3000, 'b'), {std::string(3000, 'a')}));
    EXPECT_EQ(closest_word("mailbx", {"forms", "mailbox", "rules"}), "mailbox");
    EXPECT_EQ(closest_word("porting", {std::string(100, 'p'), "portin"}), "portin") << "long candidates are skipped";

    const RuleLoadResult result = load_rules_file(regression("rule_loader", "long-ids.yaml"));
    ASSERT_EQ(errors_of(result).size(), 1u);
    EXPECT_NE(errors_of(result)[0].message.find("which is not in 'forms'"), std::string::npos);
    EXPECT_EQ(errors_of(result)[0].message.find("did you mean"), std::string::npos);
}

// fuzz_rule_loader reported a timeout: with many forms, every bad reference sought a suggestion among all of
// them; the loader now stops after 100 errors, as compilers do, and a guess looks at 100 candidates.
TEST(FuzzFindings, TheLoaderStopsAfterAHundredErrors) {
    const RuleLoadResult result = load_rules_file(regression("rule_loader", "many-errors.yaml"));
    const auto errors = errors_of(result);
    ASSERT_EQ(errors.size(), 101u);
    EXPECT_EQ(errors[0].line, 0);
    EXPECT_EQ(errors[0].message, "stopped reading after 100 errors; fix these first");
    EXPECT_NE(errors[1].message.find("names form 'g00000', which is not in 'forms'"), std::string::npos)
        << errors[1].message;
}

// The YAML inputs run through `telpolicy test` (ASan: stack-overflow): its tests files were turned
// into requests node by node, so an alias inside its own anchor recursed until the stack overflowed.
TEST(FuzzFindings, PolicyTestsWithAnAliasCycleAreRefused) {
    const auto dir = make_temp_dir("telpolicy-finding");
    std::ofstream(dir / "cycle.tests.yaml")
        << "tests:\n  - name: cycle\n    request: &r {country: US, action: port_in, x: *r}\n    expect: {allowed: true}\n";
    const CommandResult run = run_telpolicy({"test", (dir / "cycle.tests.yaml").string()});
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find("cycle.tests.yaml:3:"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("this alias refers to a node that contains it"), std::string::npos) << run.err;
    std::filesystem::remove_all(dir);
}

// …and a "billion laughs" was expanded into a request of 10^8 strings: out of memory, then abort.
TEST(FuzzFindings, PolicyTestsWithABillionLaughsAreRefused) {
    const auto dir = make_temp_dir("telpolicy-finding");
    {
        std::ofstream out(dir / "laughs.tests.yaml");
        out << "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
        for (int level = 1; level <= 8; ++level) {
            out << "a" << level << ": &a" << level << " [";
            for (int i = 0; i < 10; ++i) out << (i == 0 ? "" : ", ") << "*a" << level - 1;
            out << "]\n";
        }
        out << "tests:\n  - name: laughs\n    request: {country: US, action: port_in, x: *a8}\n    expect: {allowed: true}\n";
    }
    const CommandResult run = run_telpolicy({"test", (dir / "laughs.tests.yaml").string()});
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find("uses more than 100 aliases"), std::string::npos) << run.err;
    EXPECT_LT(run.max_rss_kib, 512 * 1024);
    std::filesystem::remove_all(dir);
}

// fuzz_evaluate's oracle (the same request with another PIN of the same shape gets the same
// decision) flagged this input: the US plugin's check says "... no letters, spaces or special
// characters", which holds the PIN "cial charac", so the engine puts its own words in its place. That
// is the engine keeping the contract (no decision holds the PIN); the oracle now allows exactly it.
TEST(FuzzFindings, APluginCheckMessageThatHappensToHoldThePinIsReplaced) {
    const auto decide_pin = [](const std::string& pin) {
        return to_json(us_engine().evaluate_json(R"({"country":"US","action":"set_pin","pin":")" + pin + "\"}"));
    };
    const std::string holds = decide_pin("cial charac");
    EXPECT_EQ(holds.find("cial charac"), std::string::npos) << holds;
    EXPECT_NE(holds.find("check 'digits_only' refused it"), std::string::npos) << holds;
    const std::string plain = decide_pin("ntlw nslcln");
    EXPECT_EQ(plain.find("ntlw nslcln"), std::string::npos) << plain;
    EXPECT_NE(plain.find("special characters"), std::string::npos) << plain;

    std::ifstream in(regression("evaluate", "pin-inside-a-check-message.json"), std::ios::binary);
    const std::string request{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_EQ(to_json(us_engine().evaluate_json(request)).find("cial charac"), std::string::npos);
}

// fuzz_request_parser's strict-reader check (jsoncpp, and RFC 8259's bytes), run with the request
// parser's NUL refusal and then its repeated-key refusal taken out, found each within seconds: both
// readers of telpolicy accepted these requests, so comparing them with each other could not. The
// refusals were never missing from a release; the inputs show that the check would catch them.
TEST(FuzzFindings, TheStrictReadersInputsAreRefused) {
    const auto read = [](const std::string& name) {
        std::ifstream in(regression("request_parser", name), std::ios::binary);
        return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    };
    const ParsedRequest nul = parse_request(read("nul-after-object.json"));
    EXPECT_FALSE(nul.request);
    EXPECT_EQ(nul.error, "the request is not valid JSON (a NUL byte at byte 36)");
    const ParsedRequest twice = parse_request(read("country-given-twice.json"));
    EXPECT_FALSE(twice.request);
    EXPECT_EQ(twice.error, "the request gives the key \"country\" twice; each key may appear once");
}

}  // namespace
}  // namespace telpolicy::test
