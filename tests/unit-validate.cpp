// `telpolicy validate`: a corpus of broken rules files (tests/validate/), each with the exact lines
// expected ("# expect: {file}:line:column: error|warning: message"), checked through the command.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_command.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

const std::filesystem::path corpus = std::filesystem::path(TELPOLICY_TEST_DATA_DIR) / ".." / "validate";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::vector<std::filesystem::path> corpus_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(corpus)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

class ValidateCorpus : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(ValidateCorpus, PrintsExactlyTheExpectedDiagnostics) {
    const std::filesystem::path file = GetParam();
    std::vector<std::string> expected;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        const std::string marker = "# expect: ";
        if (line.rfind(marker, 0) != 0) continue;
        std::string text = line.substr(marker.size());
        const auto at = text.find("{file}");
        if (at != std::string::npos) text.replace(at, 6, file.string());
        expected.push_back(text);
    }
    ASSERT_FALSE(expected.empty()) << file << " has no '# expect:' line";
    const CommandResult run = run_telpolicy({"validate", file.string()});
    EXPECT_EQ(lines_of(run.out), expected);
    const bool has_error = std::any_of(expected.begin(), expected.end(),
                                       [](const std::string& line) { return line.find(": error: ") != std::string::npos; });
    EXPECT_EQ(run.exit_code, has_error ? 1 : 0) << run.err;
}

std::string corpus_name(const ::testing::TestParamInfo<std::filesystem::path>& file) {
    std::string name = file.param.stem().string();
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(BrokenRules, ValidateCorpus, ::testing::ValuesIn(corpus_files()), corpus_name);

TEST(Validate, TheCorpusHasAtLeastThirtyBrokenFiles) { EXPECT_GE(corpus_files().size(), 30u); }

TEST(Validate, ShippedRulesAreCleanEvenWhenStrict) {
    const CommandResult run = run_telpolicy({"validate", "--strict", "--rules", TELPOLICY_TEST_RULES_DIR});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.err.find("us.yaml: ok (19 rules;"), std::string::npos) << run.err;
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(TELPOLICY_TEST_RULES_DIR)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with(".yaml") && !name.ends_with(".tests.yaml")) ++files;
    }
    EXPECT_GE(files, 33u) << "the United States and the 32 other countries of the documentation";
    EXPECT_NE(run.err.find(std::to_string(files) + " files, 0 errors, 0 warnings"), std::string::npos) << run.err;
}

// The engine reads plugin xt's rules from xt.yaml: a file named for another plugin is flagged; one
// whose name could not be a plugin's (a draft, "xt-draft.yaml") is not.
TEST(Validate, AFileNamedForAnotherPluginIsFlagged) {
    const auto dir = make_temp_dir("telpolicy-validate");
    const std::string rules = "format: 1\nplugin: xt\ncountries: [XT]\nactions: [port_in]\npin: {used: false}\n"
                              "mailboxes: [{id: a, address: a@example.test}]\nrules:\n  - id: xt.port\n"
                              "    then: {mailbox: a}\n";
    std::ofstream(dir / "yt.yaml") << rules;
    std::ofstream(dir / "xt-draft.yaml") << rules;
    const CommandResult named = run_telpolicy({"validate", (dir / "yt.yaml").string()});
    EXPECT_EQ(named.exit_code, 0) << named.err;
    EXPECT_EQ(named.out, (dir / "yt.yaml").string() +
                             ":2:9: warning: this file declares plugin 'xt' but is named 'yt.yaml': the engine reads "
                             "plugin xt's rules from 'xt.yaml' only, and would refuse this file as plugin yt's; rename "
                             "the file, or set plugin: yt\n");
    const CommandResult draft = run_telpolicy({"validate", (dir / "xt-draft.yaml").string()});
    EXPECT_EQ(draft.exit_code, 0) << draft.err;
    EXPECT_EQ(draft.out, "");
    std::filesystem::remove_all(dir);
}

TEST(Validate, StrictTurnsWarningsIntoErrors) {
    const auto file = (corpus / "warning-gap.yaml").string();
    EXPECT_EQ(run_telpolicy({"validate", file}).exit_code, 0);
    const CommandResult strict = run_telpolicy({"validate", "--strict", file});
    EXPECT_EQ(strict.exit_code, 1);
    EXPECT_NE(strict.out.find(": error: gap:"), std::string::npos) << strict.out;
}

TEST(Validate, ReportsEveryFileGiven) {
    const CommandResult run = run_telpolicy(
        {"validate", (corpus / "error-format-2.yaml").string(), (corpus / "error-unknown-mailbox.yaml").string()});
    EXPECT_EQ(lines_of(run.out).size(), 2u);
    EXPECT_NE(run.err.find("2 files, 2 errors, 0 warnings"), std::string::npos) << run.err;
}

TEST(Validate, AMissingFileIsAnError) {
    const CommandResult run = run_telpolicy({"validate", "/nonexistent/rules.yaml"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.out.find("/nonexistent/rules.yaml: error: cannot read the rules file"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace telpolicy::test
