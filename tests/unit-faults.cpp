// Faults: a rules file that vanishes or is truncated while the engine runs, a plugin whose
// initialisation reports failure, a folder or file that cannot be read. The engine keeps serving with
// the rules it has and says what happened.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* port_in = R"({"country":"US","action":"port_in"})";

// A fresh folder, removed however the test ends.
struct TempDir {
    fs::path path = make_temp_dir("telpolicy-unreadable");
    TempDir() = default;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

// A private copy of the shipped rules, which a test may break while an engine uses it.
class RulesCopy {
public:
    RulesCopy() : dir_(make_temp_dir("telpolicy-faults")) {
        fs::copy_file(fs::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml", us_yaml());
    }
    ~RulesCopy() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    RulesCopy(const RulesCopy&) = delete;
    RulesCopy& operator=(const RulesCopy&) = delete;

    [[nodiscard]] const fs::path& dir() const { return dir_; }
    [[nodiscard]] fs::path us_yaml() const { return dir_ / "us.yaml"; }

    [[nodiscard]] Engine engine() const {
        EngineOptions options;
        options.plugin_dirs = {TELPOLICY_TEST_PLUGIN_DIR};
        options.rules_dirs = {dir_};
        return Engine(options);
    }

private:
    fs::path dir_;
};

std::string all_errors(const ReloadResult& result) {
    std::string out;
    for (const Diagnostic& error : result.errors) out += error.to_string() + "\n";
    return out;
}

// The engine decides as it did before the fault, from the rules it had.
void expect_still_serving(const Engine& engine, const std::string& before) {
    EXPECT_EQ(to_json(engine.evaluate_json(port_in)), before);
    const LoadReport report = engine.load_report();
    ASSERT_EQ(report.loaded.size(), 1u);
    EXPECT_EQ(report.loaded[0].name, "us");
}

TEST(Faults, ARulesFileDeletedWhileRunningLeavesTheRulesInUse) {
    RulesCopy rules;
    const Engine engine = rules.engine();
    const std::string before = to_json(engine.evaluate_json(port_in));
    ASSERT_NE(before.find("\"allowed\":true"), std::string::npos) << before;
    fs::remove(rules.us_yaml());
    expect_still_serving(engine, before);
}

TEST(Faults, AReloadAfterTheRulesFileVanishedKeepsTheRulesAndSaysWhy) {
    RulesCopy rules;
    Engine engine = rules.engine();
    const std::string before = to_json(engine.evaluate_json(port_in));
    const std::uint64_t revision = engine.revision();
    fs::remove(rules.us_yaml());
    const ReloadResult result = engine.reload();
    EXPECT_FALSE(result.applied);
    EXPECT_EQ(result.revision, revision);
    EXPECT_NE(all_errors(result).find("us.yaml"), std::string::npos) << all_errors(result);
    EXPECT_NE(all_errors(result).find("in none of the rules directories"), std::string::npos) << all_errors(result);
    expect_still_serving(engine, before);
    EXPECT_EQ(engine.revision(), revision);
}

TEST(Faults, ARulesFileTruncatedWhileRunningIsNotTakenUp) {
    RulesCopy rules;
    Engine engine = rules.engine();
    const std::string before = to_json(engine.evaluate_json(port_in));
    const auto size = fs::file_size(rules.us_yaml());
    fs::resize_file(rules.us_yaml(), size / 2);  // cut mid-rule, as a crashed editor or a full disk leaves it
    expect_still_serving(engine, before);
    const ReloadResult half = engine.reload();
    EXPECT_FALSE(half.applied);
    EXPECT_NE(all_errors(half).find(rules.us_yaml().string() + ":"), std::string::npos) << all_errors(half);
    expect_still_serving(engine, before);

    fs::resize_file(rules.us_yaml(), 0);
    const ReloadResult empty = engine.reload();
    EXPECT_FALSE(empty.applied);
    EXPECT_NE(all_errors(empty).find("the rules file is empty"), std::string::npos) << all_errors(empty);
    expect_still_serving(engine, before);
}

TEST(Faults, ARulesFileReplacedByAFolderIsNotTakenUp) {
    RulesCopy rules;
    Engine engine = rules.engine();
    const std::string before = to_json(engine.evaluate_json(port_in));
    fs::remove(rules.us_yaml());
    fs::create_directory(rules.us_yaml());
    const ReloadResult result = engine.reload();
    EXPECT_FALSE(result.applied);
    EXPECT_NE(all_errors(result).find("us.yaml"), std::string::npos) << all_errors(result);
    expect_still_serving(engine, before);
}

TEST(Faults, TheRulesFolderVanishingIsNotTakenUp) {
    RulesCopy rules;
    Engine engine = rules.engine();
    const std::string before = to_json(engine.evaluate_json(port_in));
    fs::remove_all(rules.dir());
    const ReloadResult result = engine.reload();
    EXPECT_FALSE(result.applied);
    EXPECT_FALSE(result.errors.empty());
    expect_still_serving(engine, before);
}

TEST(Faults, AFixedRulesFileIsTakenUpByTheNextReload) {
    RulesCopy rules;
    Engine engine = rules.engine();
    const std::string text = [&] {
        std::ifstream in(rules.us_yaml(), std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }();
    fs::resize_file(rules.us_yaml(), 10);
    ASSERT_FALSE(engine.reload().applied);
    std::ofstream(rules.us_yaml(), std::ios::binary | std::ios::trunc) << text;
    const ReloadResult result = engine.reload();
    EXPECT_TRUE(result.applied) << all_errors(result);
    EXPECT_TRUE(engine.evaluate_json(port_in).allowed());
}

TEST(Faults, APluginWhoseInitialisationFailsIsRefusedAndTheOthersServe) {
    // The test plugin's entry point returns null: the SDK's way of saying "I cannot run".
    const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR, test_plugin_dir("null_descriptor")});
    const LoadReport report = engine.load_report();
    ASSERT_EQ(report.refused.size(), 1u);
    EXPECT_EQ(report.refused[0].path, test_plugin_dir("null_descriptor") / "telpolicy_null_descriptor.so");
    EXPECT_NE(report.refused[0].reason.find("the entry point returned no descriptor (the plugin reported that it cannot run)"),
              std::string::npos)
        << report.refused[0].reason;
    EXPECT_TRUE(engine.evaluate_json(port_in).allowed());
}

// Running as root, permissions do not stop reads: the unreadable places below are a folder where a
// file should be and a path through a regular file, which no one can read.

TEST(Faults, ARulesFileThatIsAFolderIsRefusedAndTheOthersServe) {
    const TempDir temp;
    const fs::path& dir = temp.path;
    fs::create_directory(dir / "us.yaml");
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_TEST_PLUGIN_DIR, test_plugin_dir("good_xa")};
    options.rules_dirs = {dir, fs::path(TELPOLICY_TEST_DATA_DIR) / "rules"};
    const Engine engine(options);
    const LoadReport report = engine.load_report();
    ASSERT_EQ(report.loaded.size(), 1u);
    EXPECT_EQ(report.loaded[0].name, "xa");
    ASSERT_EQ(report.refused.size(), 1u);
    EXPECT_NE(report.refused[0].reason.find("us.yaml"), std::string::npos) << report.refused[0].reason;
    EXPECT_NE(report.refused[0].reason.find(dir.string()), std::string::npos) << report.refused[0].reason;
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"XA","action":"new_numbers"})").allowed());
    EXPECT_EQ(engine.evaluate_json(port_in).violations.at(0).code, "country.unsupported");
}

TEST(Faults, ARulesFolderUnderARegularFileIsRefusedAndTheOthersServe) {
    const TempDir temp;
    const fs::path& dir = temp.path;
    std::ofstream(dir / "file") << "not a folder\n";
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_TEST_PLUGIN_DIR, test_plugin_dir("good_xa")};
    options.rules_dirs = {dir / "file" / "rules", fs::path(TELPOLICY_TEST_DATA_DIR) / "rules"};
    const Engine engine(options);
    const LoadReport report = engine.load_report();
    ASSERT_EQ(report.loaded.size(), 1u);
    ASSERT_EQ(report.refused.size(), 1u);
    EXPECT_NE(report.refused[0].reason.find((dir / "file" / "rules").string()), std::string::npos)
        << report.refused[0].reason;
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"XA","action":"new_numbers"})").allowed());
}

TEST(Faults, APluginFolderThatCannotBeReadIsSkippedAndTheOthersServe) {
    const TempDir temp;
    const fs::path& dir = temp.path;
    std::ofstream(dir / "file") << "not a folder\n";
    const Engine engine = make_engine({dir / "file", TELPOLICY_TEST_PLUGIN_DIR});
    EXPECT_EQ(engine.load_report().loaded.size(), 1u);
    EXPECT_TRUE(engine.evaluate_json(port_in).allowed());
}

TEST(Faults, LoadingARulesFileThatCannotBeReadSaysWhy) {
    const TempDir temp;
    const fs::path& dir = temp.path;
    fs::create_directory(dir / "us.yaml");
    const RuleLoadResult folder = load_rules_file(dir / "us.yaml");
    EXPECT_FALSE(folder.value);
    ASSERT_FALSE(folder.diagnostics.empty());
    EXPECT_NE(folder.diagnostics[0].to_string().find("cannot read the rules file"), std::string::npos)
        << folder.diagnostics[0].to_string();
    std::ofstream(dir / "file") << "x";
    const RuleLoadResult through_file = load_rules_file(dir / "file" / "us.yaml");
    EXPECT_FALSE(through_file.value);
    ASSERT_FALSE(through_file.diagnostics.empty());
    EXPECT_NE(through_file.diagnostics[0].to_string().find("Not a directory"), std::string::npos)
        << through_file.diagnostics[0].to_string();
}

}  // namespace
}  // namespace telpolicy::test
