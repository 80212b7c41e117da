// Hot reload under load: threads evaluate while rules are reloaded, good and bad, in a loop; every
// decision comes whole from one version of the rules, none fails, and a bad file changes nothing.
// Labeled `concurrency`: the tsan preset runs these under ThreadSanitizer.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <telpolicy/engine.hpp>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Version `v` of the rules of the test plugin xa: every part of a decision names the version, so that
// a decision mixing two versions shows. The padding makes each version's size differ from the next.
std::string xa_rules(int v) {
    const std::string n = std::to_string(v);
    return "# version " + n + std::string(static_cast<std::size_t>(v % 7), '.') +
           "\n"
           "format: 1\n"
           "plugin: xa\n"
           "countries: [XA]\n"
           "actions: [new_numbers, port_in]\n"
           "pin:\n"
           "  used: false\n"
           "forms:\n"
           "  - {id: xa-form, title: \"XA form " + n + "\", version: \"" + n +
           "\", locale: en-GB, url: \"https://example.test/" + n + ".pdf\"}\n"
           "mailboxes:\n"
           "  - {id: xa, address: v" + n + "@example.test}\n"
           "rules:\n"
           "  - id: xa.v" + n + ".first\n"
           "    when: {action: new_numbers}\n"
           "    then: {forms: [xa-form], mailbox: xa, notes: [\"version " + n + "\"]}\n"
           "  - id: xa.v" + n + ".second\n"
           "    when: {action: new_numbers}\n"
           "    then: {notes: [\"still version " + n + "\"]}\n"
           "  - id: xa.v" + n + ".port-in\n"
           "    when: {action: port_in}\n"
           "    then: {deny: {code: xa.closed, message: \"closed in version " + n + "\"}}\n";
}

// Broken files, each refused for a different reason.
const std::vector<std::string> bad_rules = {
    "format: 1\nplugin: xa\ncountries: [XA\n",                                     // YAML syntax
    xa_rules(0) + "  - id: xa.typo\n    when: {action: new_numbers}\n    then: {mailbx: xa}\n",  // unknown key
    xa_rules(0) + "  - id: xa.v0.first\n    then: {notes: [again]}\n",              // duplicate id
    "",                                                                             // empty file
    "format: 1\nplugin: xb\ncountries: [XA]\nactions: [new_numbers]\npin: {used: false}\nrules: []\n",  // other plugin
};

void write_file(const fs::path& path, const std::string& text) {
    // Written beside and renamed over, as editors save: a reader sees the old file or the new one.
    const fs::path partial = path.parent_path() / (".partial-" + path.filename().string());
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << text;
    }
    fs::rename(partial, path);
}

class XaRules {
public:
    XaRules() : dir_(make_temp_dir("telpolicy-reload")) { write_file(xa_yaml(), xa_rules(1)); }
    ~XaRules() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    XaRules(const XaRules&) = delete;
    XaRules& operator=(const XaRules&) = delete;

    [[nodiscard]] fs::path xa_yaml() const { return dir_ / "xa.yaml"; }
    [[nodiscard]] EngineOptions options() const {
        EngineOptions options;
        options.plugin_dirs = {test_plugin_dir("good_xa")};
        options.rules_dirs = {dir_};
        return options;
    }

private:
    fs::path dir_;
};

// The version a decision for new_numbers comes from, or -1 when its parts disagree or it is not a
// decision of the xa rules at all.
int version_of(const Decision& decision) {
    if (!decision.allowed() || !decision.plugin || decision.plugin->name != "xa") return -1;
    if (decision.forms.size() != 1 || decision.notes.size() != 2 || decision.matched_rules.size() != 2) return -1;
    const std::string n = decision.forms[0].version.value_or("");
    const bool whole = decision.forms[0].title == "XA form " + n && decision.forms[0].url == "https://example.test/" + n + ".pdf" &&
                       decision.mailbox == "v" + n + "@example.test" && decision.notes[0] == "version " + n &&
                       decision.notes[1] == "still version " + n && decision.matched_rules[0] == "xa.v" + n + ".first" &&
                       decision.matched_rules[1] == "xa.v" + n + ".second";
    return whole ? std::stoi(n) : -1;
}

TEST(Reload, EvaluationsDuringGoodAndBadReloadsEachSeeOneWholeVersionAndNeverFail) {
    const XaRules rules;
    Engine engine(rules.options());
    ASSERT_EQ(engine.load_report().loaded.size(), 1u);

    constexpr int cycles = 60;
    constexpr int evaluators = 4;
    std::atomic<bool> done{false};
    std::atomic<int> newest_applied{1};
    std::vector<std::string> failures(evaluators);
    std::vector<long> decided(evaluators, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < evaluators; ++t) {
        threads.emplace_back([&, t] {
            const auto slot = static_cast<std::size_t>(t);
            Request request;
            request.country = t % 2 == 0 ? "XA" : "xa";
            request.action = "new_numbers";
            int last = 1;
            // At least a few rounds, however fast the reloads are.
            for (int round = 0; !done.load() || round < 20; ++round) {
                // The newest version applied before this evaluation starts is the oldest it may see.
                const int floor = newest_applied.load();
                const Decision decision = round % 2 == 0 ? engine.evaluate(request)
                                                         : engine.evaluate_json(R"({"country":"XA","action":"new_numbers"})");
                const int version = version_of(decision);
                if (version < 0) {
                    failures[slot] = "a decision mixes versions or failed: " + to_json(decision);
                    return;
                }
                if (version < last || version < floor) {
                    failures[slot] = "version " + std::to_string(version) + " after " + std::to_string(std::max(last, floor));
                    return;
                }
                last = version;
                const Decision denied = engine.evaluate_json(R"({"country":"XA","action":"port_in"})");
                if (denied.allowed() || denied.violations.size() != 1 || denied.violations[0].code != "xa.closed") {
                    failures[slot] = "port_in was not denied by one version: " + to_json(denied);
                    return;
                }
                ++decided[slot];
            }
        });
    }

    std::string reload_failure;
    for (int cycle = 0; cycle < cycles && reload_failure.empty(); ++cycle) {
        const int version = cycle + 2;
        write_file(rules.xa_yaml(), xa_rules(version));
        const ReloadResult good = engine.reload();
        if (!good.applied || good.revision != static_cast<std::uint64_t>(version) || !good.errors.empty()) {
            reload_failure = "good version " + std::to_string(version) + " was not applied as revision " +
                             std::to_string(version) + ": " + (good.errors.empty() ? "" : good.errors[0].to_string());
            break;
        }
        newest_applied = version;

        write_file(rules.xa_yaml(), bad_rules[static_cast<std::size_t>(cycle) % bad_rules.size()]);
        const ReloadResult bad = engine.reload();
        if (bad.applied || bad.revision != static_cast<std::uint64_t>(version) || bad.errors.empty() ||
            bad.errors[0].file != rules.xa_yaml().string()) {
            reload_failure = "bad file " + std::to_string(cycle % static_cast<int>(bad_rules.size())) +
                             " was not refused with the file named: " +
                             (bad.errors.empty() ? "no error" : bad.errors[0].to_string());
            break;
        }
        if (version_of(engine.evaluate_json(R"({"country":"XA","action":"new_numbers"})")) != version) {
            reload_failure = "a refused file changed the rules in use";
        }
    }
    done = true;
    for (std::thread& thread : threads) thread.join();

    EXPECT_TRUE(reload_failure.empty()) << reload_failure;
    for (int t = 0; t < evaluators; ++t) {
        const auto slot = static_cast<std::size_t>(t);
        EXPECT_TRUE(failures[slot].empty()) << "thread " << t << ": " << failures[slot];
        EXPECT_GT(decided[slot], 0) << "thread " << t;
    }
    EXPECT_EQ(engine.revision(), static_cast<std::uint64_t>(cycles + 1));
}

TEST(Reload, ConcurrentReloadsAreSerializedAndEachCountsOnce) {
    const XaRules rules;
    Engine engine(rules.options());
    constexpr int reloaders = 3;
    constexpr int each = 10;
    std::atomic<int> applied{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < reloaders; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < each; ++i) applied += engine.reload().applied ? 1 : 0;
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(applied.load(), reloaders * each);
    EXPECT_EQ(engine.revision(), static_cast<std::uint64_t>(1 + reloaders * each));
}

// What the on_reload callback heard, for a test to wait on.
class Heard {
public:
    void add(const ReloadResult& result) {
        {
            const std::lock_guard lock(mutex_);
            results_.push_back(result);
        }
        changed_.notify_all();
    }
    // Waits until `count` outcomes were heard, or a few seconds.
    std::vector<ReloadResult> wait_for(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 10s, [&] { return results_.size() >= count; });
        return results_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<ReloadResult> results_;
};

TEST(Reload, TheWatchPicksUpAnEditAndKeepsTheRulesWhenTheEditIsBad) {
    const XaRules rules;
    Heard heard;
    EngineOptions options = rules.options();
    options.watch_interval = 10ms;
    options.on_reload = [&heard](const ReloadResult& result) { heard.add(result); };
    const Engine engine(options);
    ASSERT_TRUE(engine.watching());
    const std::string request = R"({"country":"XA","action":"new_numbers"})";
    EXPECT_EQ(version_of(engine.evaluate_json(request)), 1);

    write_file(rules.xa_yaml(), xa_rules(2));
    std::vector<ReloadResult> results = heard.wait_for(1);
    ASSERT_EQ(results.size(), 1u) << "the watch did not reload within 10 s";
    EXPECT_TRUE(results[0].applied);
    EXPECT_EQ(results[0].revision, 2u);
    EXPECT_EQ(version_of(engine.evaluate_json(request)), 2);

    write_file(rules.xa_yaml(), bad_rules[0]);
    results = heard.wait_for(2);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_FALSE(results[1].applied);
    ASSERT_FALSE(results[1].errors.empty());
    EXPECT_NE(results[1].errors[0].to_string().find("xa.yaml:"), std::string::npos) << results[1].errors[0].to_string();
    EXPECT_EQ(version_of(engine.evaluate_json(request)), 2);

    // A broken file is reported once, not at every poll; the next edit is picked up again.
    std::this_thread::sleep_for(60ms);
    write_file(rules.xa_yaml(), xa_rules(3));
    results = heard.wait_for(3);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_TRUE(results[2].applied);
    EXPECT_EQ(results[2].revision, 3u);
    EXPECT_EQ(version_of(engine.evaluate_json(request)), 3);
}

TEST(Reload, TheWatchCannotBeChangedFromItsOwnCallback) {
    const XaRules rules;
    Heard heard;
    std::atomic<bool> refused{false};
    Engine* watched = nullptr;
    EngineOptions options = rules.options();
    options.on_reload = [&](const ReloadResult& result) {
        try {
            watched->watch(0ms);
        } catch (const std::logic_error&) {
            refused = true;
        }
        heard.add(result);
    };
    Engine engine(options);
    watched = &engine;
    engine.watch(10ms);
    write_file(rules.xa_yaml(), xa_rules(2));
    ASSERT_EQ(heard.wait_for(1).size(), 1u);
    EXPECT_TRUE(refused.load());
    EXPECT_TRUE(engine.watching());
}

TEST(Reload, DestroyingAWatchingEngineStopsItsThread) {
    const XaRules rules;
    for (int i = 0; i < 5; ++i) {
        EngineOptions options = rules.options();
        options.watch_interval = 1ms;
        const Engine engine(options);
        std::this_thread::sleep_for(3ms);
    }
    SUCCEED();
}

}  // namespace
}  // namespace telpolicy::test
