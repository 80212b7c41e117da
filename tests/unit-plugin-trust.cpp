// Plugin trust: a plugin file or folder that someone besides its owner may write, or that belongs to
// neither root nor the running user, is refused before it is loaded (as sudo and osquery refuse
// plugins), naming the path and the permission, unless the host explicitly allows it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include "runtime/plugin_loader.hpp"
#include "run_command.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

namespace fs = std::filesystem;

// A private copy of the US plugin in a folder of its own, both with the given modes.
class PluginCopy {
public:
    explicit PluginCopy(fs::perms file_mode = fs::perms(0755), fs::perms folder_mode = fs::perms(0755))
        : dir_(make_temp_dir("telpolicy-trust")) {
        fs::copy_file(fs::path(TELPOLICY_TEST_PLUGIN_DIR) / "telpolicy_us.so", library());
        fs::permissions(library(), file_mode);
        fs::permissions(dir_, folder_mode);
    }
    ~PluginCopy() {
        std::error_code ignored;
        fs::permissions(dir_, fs::perms(0755), ignored);
        fs::remove_all(dir_, ignored);
    }
    PluginCopy(const PluginCopy&) = delete;
    PluginCopy& operator=(const PluginCopy&) = delete;

    [[nodiscard]] const fs::path& dir() const { return dir_; }
    [[nodiscard]] fs::path library() const { return dir_ / "telpolicy_us.so"; }

private:
    fs::path dir_;
};

Engine engine_over(const fs::path& plugin_dir, bool allow_untrusted = false,
                   std::shared_ptr<spdlog::logger> logger = nullptr) {
    EngineOptions options;
    options.plugin_dirs = {plugin_dir};
    options.rules_dirs = {TELPOLICY_TEST_RULES_DIR};
    options.allow_untrusted_plugins = allow_untrusted;
    options.logger = std::move(logger);
    return Engine(options);
}

std::string only_refusal(const Engine& engine) {
    const LoadReport report = engine.load_report();
    EXPECT_TRUE(report.loaded.empty());
    EXPECT_EQ(report.refused.size(), 1u);
    return report.refused.empty() ? std::string() : report.refused[0].reason;
}

bool mapped_into_this_process(const fs::path& dir) {
    std::ifstream maps("/proc/self/maps");
    const std::string text{std::istreambuf_iterator<char>(maps), std::istreambuf_iterator<char>()};
    return text.find(dir.string()) != std::string::npos;
}

constexpr const char* advice = "; refusing it (use --allow-untrusted-plugins to load it anyway)";

TEST(PluginTrust, TheBuildTreesOwnPluginsAreTrusted) {
    EXPECT_EQ(trust_problem(fs::path(TELPOLICY_TEST_PLUGIN_DIR) / "telpolicy_us.so"), "");
    EXPECT_TRUE(us_engine().load_report().refused.empty());
    const PluginCopy copy;
    EXPECT_EQ(engine_over(copy.dir()).load_report().loaded.size(), 1u);
}

TEST(PluginTrust, RefusesAGroupWritablePluginNamingPathAndMode) {
    const PluginCopy copy(fs::perms(0775));
    const Engine engine = engine_over(copy.dir());
    EXPECT_EQ(only_refusal(engine), copy.library().string() + " is writable by group (mode 0775)" + advice);
    EXPECT_EQ(engine.load_report().refused.at(0).path, copy.library());
}

TEST(PluginTrust, RefusesAWorldWritablePlugin) {
    const PluginCopy others(fs::perms(0757));
    EXPECT_EQ(only_refusal(engine_over(others.dir())),
              others.library().string() + " is writable by others (mode 0757)" + advice);
    const PluginCopy both(fs::perms(0777));
    EXPECT_EQ(only_refusal(engine_over(both.dir())),
              both.library().string() + " is writable by group and others (mode 0777)" + advice);
}

TEST(PluginTrust, RefusesAPluginInAFolderOthersMayWrite) {
    const PluginCopy copy(fs::perms(0755), fs::perms(0777));
    EXPECT_EQ(only_refusal(engine_over(copy.dir())),
              "its folder " + copy.dir().string() + " is writable by group and others (mode 0777)" + advice);
    // A sticky folder such as /tmp still lets anyone add a library to it.
    fs::permissions(copy.dir(), fs::perms(01777));
    EXPECT_NE(only_refusal(engine_over(copy.dir())).find("(mode 1777)"), std::string::npos);
}

TEST(PluginTrust, RefusesAPluginOwnedBySomeoneElse) {
    if (::geteuid() != 0) GTEST_SKIP() << "only root can give a file away";
    const PluginCopy copy;
    ASSERT_EQ(::chown(copy.library().c_str(), 4242, 4242), 0);
    EXPECT_EQ(only_refusal(engine_over(copy.dir())),
              copy.library().string() + " is owned by user 4242, neither root nor the user running telpolicy (uid 0)" +
                  advice);
}

TEST(PluginTrust, ARefusedPluginIsNeverLoaded) {
    const PluginCopy copy(fs::perms(0777));
    const Engine engine = engine_over(copy.dir());
    ASSERT_EQ(engine.load_report().refused.size(), 1u);
    EXPECT_FALSE(mapped_into_this_process(copy.dir())) << "the library was mapped before it was judged";
}

TEST(PluginTrust, TheOtherPluginsStillLoad) {
    const PluginCopy copy(fs::perms(0777));
    EngineOptions options;
    options.plugin_dirs = {copy.dir(), test_plugin_dir("good_xa")};
    options.rules_dirs = {TELPOLICY_TEST_RULES_DIR, fs::path(TELPOLICY_TEST_DATA_DIR) / "rules"};
    const Engine engine(options);
    ASSERT_EQ(engine.load_report().loaded.size(), 1u);
    EXPECT_EQ(engine.load_report().loaded[0].name, "xa");
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"XA","action":"new_numbers"})").allowed());
}

TEST(PluginTrust, AnExplicitOptionLoadsItAnywayAndSaysSo) {
    const PluginCopy copy(fs::perms(0777), fs::perms(0777));
    std::ostringstream log_text;
    auto logger = std::make_shared<spdlog::logger>("trust", std::make_shared<spdlog::sinks::ostream_sink_st>(log_text));
    logger->set_level(spdlog::level::warn);
    const Engine engine = engine_over(copy.dir(), true, logger);
    ASSERT_EQ(engine.load_report().loaded.size(), 1u);
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"US","action":"port_in"})").allowed());
    EXPECT_NE(log_text.str().find("loading plugin " + copy.library().string() + " although its folder"),
              std::string::npos)
        << log_text.str();
}

TEST(CliPluginTrust, RefusesAndLoadsWithTheFlag) {
    const PluginCopy copy(fs::perms(0666 | 0111));
    const CommandResult refused = run_telpolicy({"plugins", "--plugins", copy.dir().string()});
    EXPECT_EQ(refused.exit_code, 3);
    EXPECT_NE(refused.out.find(copy.library().string() + " is writable by group and others (mode 0777)"),
              std::string::npos)
        << refused.out;
    const CommandResult allowed = run_telpolicy({"plugins", "--plugins", copy.dir().string(), "--allow-untrusted-plugins"});
    EXPECT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
    EXPECT_NE(allowed.out.find("us 1.0.0"), std::string::npos) << allowed.out;
}

}  // namespace
}  // namespace telpolicy::test
