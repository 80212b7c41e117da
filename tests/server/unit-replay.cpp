// `telpolicy replay` on a decision log made through the service: exactly the decisions that a
// changed rules file changes are reported, with what changed and which rules; requests that carried a
// PIN are replayed from the facts the log kept; the rest is counted, never guessed.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "run_command.hpp"
#include "server_fixture.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

using json = nlohmann::json;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto found = text.find(from);
    EXPECT_NE(found, std::string::npos) << from;
    return found == std::string::npos ? text : text.replace(found, from.size(), to);
}

// A day of traffic, as the tests send it: port-ins of each kind, PIN changes (a good PIN, one too
// short, one with a letter), port-outs, and an unreadable request.
const std::vector<std::string>& traffic() {
    static const std::vector<std::string> requests{
        R"({"country":"US","action":"port_in","number_type":"user","numbers":["+12025550123"]})",
        R"({"country":"US","action":"port_in","number_type":"toll_free"})",
        R"({"country":"PR","action":"port_in","number_type":"service"})",
        R"({"country":"US","action":"set_pin","pin":"73519264"})",
        R"({"country":"US","action":"set_pin","pin":"7351"})",
        R"({"country":"US","action":"set_pin","pin":"73a19264"})",
        R"({"country":"US","action":"port_out","pin":"73519264","pin_is_set":true})",
        R"({"country":"US","action":"new_numbers","number_type":"user","count":3})",
        R"({"country":"US","action":"fly"})",
    };
    return requests;
}

class Replay : public ::testing::Test {
protected:
    void SetUp() override {
        for (const std::string& request : traffic()) http_request(server_.port(), "POST", "/v1/decisions", request);
        server_.stop();
        dir_ = make_temp_dir("telpolicy-replay");
        log_ = dir_ / "decisions.jsonl";
        std::filesystem::copy_file(server_.log_file(), log_);
        rules_ = read_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml");
    }
    void TearDown() override {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    // `telpolicy replay` of the log with `rules` as the candidate us.yaml.
    CommandResult replay(const std::string& rules, std::vector<std::string> extra = {}) {
        const auto candidate = dir_ / "candidate";
        std::filesystem::create_directories(candidate);
        std::ofstream(candidate / "us.yaml") << rules;
        std::vector<std::string> args{"--rules", candidate.string(), "replay", log_.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_telpolicy(args);
    }

    json replay_json(const std::string& rules) {
        const CommandResult run = replay(rules, {"--format", "json"});
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return json::parse(run.out);
    }

    RunningServer server_;
    std::filesystem::path dir_;
    std::filesystem::path log_;
    std::string rules_;
};

TEST_F(Replay, TheSameRulesChangeNothingAndEveryPinRequestIsReplayed) {
    const json report = replay_json(rules_);
    EXPECT_EQ(report["replayed"], traffic().size() - 1);
    EXPECT_EQ(report["unchanged"], traffic().size() - 1);
    EXPECT_EQ(report["changed"], 0);
    // Only the unreadable request, which the log kept nothing of.
    EXPECT_EQ(report["not_replayable"]["count"], 1) << report.dump(2);
    EXPECT_EQ(report["unreadable_lines"]["count"], 0);
    EXPECT_EQ(replay(rules_, {"--fail-on-change"}).exit_code, 0);
}

TEST_F(Replay, ANewFormVersionChangesExactlyTheDecisionsThatGiveTheForm) {
    const std::string candidate = replace(rules_, R"(    version: "3.1"
    locale: en-US
    url: "http://download.microsoft.com/download/F/0/1/F01AE714-0F3C-4D9D-B41A-DFD180EC1622/Letter of Authorization %28LOA%29 for the U.S. (User and Service numbers) (v.3.1) (en-US).pdf")",
                                          R"(    version: "3.2"
    locale: en-US
    url: "http://download.microsoft.com/download/F/0/1/F01AE714-0F3C-4D9D-B41A-DFD180EC1622/Letter of Authorization %28LOA%29 for the U.S. (User and Service numbers) (v.3.1) (en-US).pdf")");
    const json report = replay_json(candidate);
    // The user and the service port-ins give the user-and-service letter; the toll-free one does not.
    EXPECT_EQ(report["changed"], 2) << report.dump(2);
    EXPECT_EQ(report["unchanged"], traffic().size() - 3);
    const json& versions = report["changes"]["versions"];
    EXPECT_EQ(versions["count"], 2);
    EXPECT_EQ(report["changes"]["forms"]["count"], 0);
    EXPECT_EQ(report["changes"]["allowed_to_denied"]["count"], 0);
    ASSERT_EQ(versions["examples"].size(), 2u);
    const json& example = versions["examples"][0];
    EXPECT_EQ(example["line"], 1);
    EXPECT_EQ(example["request"]["number_type"], "user");
    EXPECT_FALSE(example["decision_id"].get<std::string>().empty());
    ASSERT_EQ(example["fields"].size(), 1u) << example.dump(2);
    EXPECT_EQ(example["fields"][0]["field"], "forms");
    EXPECT_EQ(example["fields"][0]["before"][0]["version"], "3.1");
    EXPECT_EQ(example["fields"][0]["after"][0]["version"], "3.2");
    EXPECT_EQ(example["rules"]["matched_both_times"], json::array({"us.port-in.user-and-service"}));

    const CommandResult strict = replay(candidate, {"--fail-on-change"});
    EXPECT_EQ(strict.exit_code, 1) << strict.err;
    EXPECT_NE(strict.out.find("another version: 2"), std::string::npos) << strict.out;
    EXPECT_NE(strict.out.find("cause: edited in place: one of 'us.port-in.user-and-service'"), std::string::npos) << strict.out;
}

TEST_F(Replay, AStricterPinRuleDeniesWhatItAllowedAndSaysWhichRule) {
    // A PIN of 8 digits is now too short: the good set_pin and the port-out are denied.
    const json report = replay_json(replace(rules_, "length: {min: 6, max: 10}", "length: {min: 9, max: 10}"));
    EXPECT_EQ(report["changes"]["allowed_to_denied"]["count"], 2) << report.dump(2);
    // ... and the PIN with a letter, refused before for its letter, is now too short as well.
    EXPECT_EQ(report["changes"]["violations_new"]["count"], 3);
    const json& example = report["changes"]["allowed_to_denied"]["examples"][0];
    EXPECT_EQ(example["request"]["action"], "set_pin");
    EXPECT_FALSE(example["request"].contains("pin"));
    EXPECT_EQ(example["rules"]["newly_matched"], json::array({"us.pin.length"}));
    // The 4-digit PIN was too short before and still is: unchanged, though its message names new bounds.
    EXPECT_EQ(report["changes"]["other"]["count"], 1);
    // Never the PIN, anywhere in the report.
    EXPECT_EQ(report.dump().find("73519264"), std::string::npos);
    EXPECT_EQ(report.dump().find("7351\""), std::string::npos);
}

TEST_F(Replay, ARetiredMailboxIsAnotherDestinationFromItsDate) {
    // The porting mailbox retired long ago: the three port-ins, which it answered, change.
    const std::string candidate = replace(rules_, "address: ptn@microsoft.com", "address: ptn@microsoft.com\n    valid_until: 2020-01-01");
    const json report = replay_json(candidate);
    EXPECT_EQ(report["changes"]["destinations"]["count"], 3) << report.dump(2);
    // Decided for a day before it retired, nothing changes.
    const CommandResult then = replay(candidate, {"--as-of", "2019-12-31", "--format", "json"});
    ASSERT_EQ(then.exit_code, 0) << then.err;
    EXPECT_EQ(json::parse(then.out)["changed"], 0) << then.out;
}

TEST_F(Replay, LinesThatAreNotDecisionsAreCountedAndTheRestReplayed) {
    {
        std::ofstream out(log_, std::ios::app);
        out << "not json\n"
            << R"({"decision_id":"x","input":{"country":"US","action":"port_in"}})" << "\n"
            << R"({"decision_id":"y","input":{"country":"US","action":"set_pin","pin_is_set":false},"erased":["/pin"],"result":{"allowed":true}})"
            << "\n\n";
    }
    const json report = replay_json(rules_);
    EXPECT_EQ(report["unreadable_lines"]["count"], 2) << report.dump(2);
    EXPECT_EQ(report["unreadable_lines"]["examples"][0]["line"], traffic().size() + 1);
    EXPECT_EQ(report["unreadable_lines"]["examples"][1]["error"], "not a decision record: it needs 'input' and 'result'");
    // A PIN erased by an older log, with no facts kept: not replayable, said why.
    EXPECT_EQ(report["not_replayable"]["count"], 2);
    EXPECT_EQ(report["unchanged"], traffic().size() - 1);
}

TEST_F(Replay, AMissingLogIsBadInput) {
    const CommandResult run = run_telpolicy({"replay", (dir_ / "none.jsonl").string()});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("cannot open"), std::string::npos) << run.err;
    const CommandResult bad_date = run_telpolicy({"replay", log_.string(), "--as-of", "soon"});
    EXPECT_EQ(bad_date.exit_code, 2);
    EXPECT_NE(bad_date.err.find("--as-of 'soon'"), std::string::npos) << bad_date.err;
}

}  // namespace
}  // namespace telpolicy::test
