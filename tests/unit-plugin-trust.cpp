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
    const PluginTrust trust = check_plugin_trust(fs::path(TELPOLICY_TEST_PLUGIN_DIR) / "telpolicy_us.so");
    EXPECT_EQ(trust.problem, "");
    EXPECT_EQ(trust.real_path, fs::canonical(fs::path(TELPOLICY_TEST_PLUGIN_DIR) / "telpolicy_us.so"));
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

// A link in a trusted folder is judged by where it leads: the real file and every folder up to the
// root, and the file loaded is the one judged. Before, a link into a world-writable folder loaded
// (and ran the library's constructors) because only the link's folder was looked at.
TEST(PluginTrust, ALinkIsJudgedByTheFileItLeadsTo) {
    const PluginCopy target(fs::perms(0755), fs::perms(0777));
    const PluginCopy trusted;
    fs::remove(trusted.library());
    fs::create_symlink(target.library(), trusted.library());
    const Engine engine = engine_over(trusted.dir());
    EXPECT_EQ(only_refusal(engine), "its folder " + target.dir().string() +
                                        " is writable by group and others (mode 0777) (" + trusted.library().string() +
                                        " leads to " + target.library().string() + " through a symbolic link)" + advice);
    EXPECT_FALSE(mapped_into_this_process(target.dir())) << "the library was mapped before it was judged";
    // Where it leads is trusted: it loads, from its real path.
    fs::permissions(target.dir(), fs::perms(0755));
    const Engine loaded = engine_over(trusted.dir());
    ASSERT_EQ(loaded.load_report().loaded.size(), 1u);
    EXPECT_TRUE(mapped_into_this_process(target.library()));
}

// Whoever may rename a folder on the way may put another library in the plugin's place: every folder
// up to the root is judged, a sticky one (/tmp, where the tests' copies are) accepted above the
// plugin's own folder.
TEST(PluginTrust, RefusesAPluginBelowAFolderOthersMayWrite) {
    const PluginCopy outer(fs::perms(0755), fs::perms(0777));
    const fs::path inner = outer.dir() / "plugins";
    fs::create_directory(inner);
    fs::permissions(inner, fs::perms(0755));
    fs::copy_file(outer.library(), inner / "telpolicy_us.so");
    EXPECT_EQ(only_refusal(engine_over(inner)),
              "a folder above it: " + outer.dir().string() + " is writable by group and others (mode 0777)" + advice);
    fs::permissions(outer.dir(), fs::perms(01777));
    EXPECT_EQ(engine_over(inner).load_report().loaded.size(), 1u) << "a sticky folder above is safe";
    EXPECT_EQ(fs::status(fs::temp_directory_path()).permissions() & fs::perms::sticky_bit, fs::perms::sticky_bit);
}

// A file named like a library that is not one is refused for what it is, before the dynamic linker
// sees it (dlopen said "Bad file descriptor" of a text file).
TEST(PluginTrust, AFileThatIsNotElfIsNotASharedLibrary) {
    const PluginCopy copy;
    fs::remove(copy.library());
    std::ofstream(copy.library()) << "#!/bin/sh\necho not a library\n";
    fs::permissions(copy.library(), fs::perms(0755));
    EXPECT_EQ(only_refusal(engine_over(copy.dir())),
              "not a shared library: the file is not an ELF file (it does not start with \\x7fELF)");
    std::ofstream(copy.library(), std::ios::trunc) << "";
    EXPECT_EQ(only_refusal(engine_over(copy.dir())),
              "not a shared library: the file is not an ELF file (it does not start with \\x7fELF)");
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
