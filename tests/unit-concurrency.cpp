// Concurrency: one engine shared by several threads decides every request as one thread alone does.
// Labeled `concurrency`: the tsan preset runs these under ThreadSanitizer.
#include <gtest/gtest.h>

#include <dlfcn.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

// Requests down every path of an evaluation: allowed, denied by rules, PIN checks, per-number
// rules (libphonenumber), invalid JSON, an unknown country.
const std::vector<std::string> requests = {
    R"({"country":"US","action":"port_in"})",
    R"({"country":"US","action":"port_in","number_type":"toll_free","count":1200})",
    R"({"country":"PR","action":"clear_pin","pin_is_set":true})",
    R"({"country":"US","action":"set_pin","pin":"73829"})",
    R"({"country":"US","action":"set_pin","pin":"738291"})",
    R"({"country":"US","action":"port_out","pin":"1234567","pin_is_set":true})",
    R"({"country":"US","action":"port_in","numbers":["+12025550143","+14165550123","+12025550143","12"]})",
    R"({"country":"US","action":"new_numbers","locale":"fr-CA"})",
    R"({"country":"ZZ","action":"port_in"})",
    R"({"country":"US","action":)",
};

// Start-up loads the rules files on every core (runtime/rules_loading.cpp): the bundle's 33 files
// give the same rule sets, in the same order, as loading them again, and the same decisions.
TEST(Concurrency, TheBundleLoadedOnEveryCoreIsTheBundleLoadedAgain) {
    const Engine first = make_engine({TELPOLICY_TEST_BUNDLE_PLUGIN_DIR});
    const Engine second = make_engine({TELPOLICY_TEST_BUNDLE_PLUGIN_DIR});
    ASSERT_GE(first.load_report().loaded.size(), 33u);
    EXPECT_TRUE(first.load_report().refused.empty()) << to_json(first.load_report(), 2);
    EXPECT_EQ(first.load_report().digest, second.load_report().digest);
    for (std::size_t i = 0; i < first.load_report().loaded.size(); ++i) {
        EXPECT_EQ(first.load_report().loaded[i].name, second.load_report().loaded[i].name);
        EXPECT_EQ(first.load_report().loaded[i].rules_digest, second.load_report().loaded[i].rules_digest);
    }
    for (const char* request : {R"({"country":"DE","action":"port_in","number_type":"toll_free"})",
                                R"({"country":"AU","action":"port_in","number_type":"au.conferencing"})",
                                R"({"country":"US","action":"port_in"})"}) {
        EXPECT_EQ(to_json(first.evaluate_json(request)), to_json(second.evaluate_json(request))) << request;
    }
}

TEST(Concurrency, ThreadsSharingOneEngineGetTheDecisionsOfOneThread) {
    const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR});
    std::vector<std::string> expected;
    for (const std::string& request : requests) expected.push_back(to_json(engine.evaluate_json(request)));

    constexpr int thread_count = 4;
    constexpr int rounds = 25;
    std::vector<std::vector<std::string>> mismatches(thread_count);
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < rounds; ++round) {
                // Each thread walks the requests from a different start, so that different paths overlap.
                for (std::size_t i = 0; i < requests.size(); ++i) {
                    const std::size_t k = (i + static_cast<std::size_t>(t)) % requests.size();
                    std::string got = to_json(engine.evaluate_json(requests[k]));
                    if (got != expected[k]) mismatches[static_cast<std::size_t>(t)].push_back(std::move(got));
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (const auto& found : mismatches) EXPECT_TRUE(found.empty()) << found.front();
}

TEST(Concurrency, EnginesBuiltOnSeveralThreadsAtOnceAreIndependent) {
    std::vector<std::string> decisions(3);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < decisions.size(); ++t) {
        threads.emplace_back([&, t] {
            const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR});
            decisions[t] = to_json(engine.evaluate_json(requests[0]));
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (const std::string& decision : decisions) EXPECT_EQ(decision, decisions[0]);
    EXPECT_NE(decisions[0].find("\"allowed\":true"), std::string::npos) << decisions[0];
}

// Each thread's copy of the snapshot belongs to the engine: destroying the engine releases it, and
// unloads its plugin libraries, even while a thread that evaluated with it still runs.
TEST(SnapshotCache, ADestroyedEnginesSnapshotIsReleasedInThreadsThatUsedIt) {
    const std::string library = (test_plugin_dir("good_xa") / "telpolicy_good_xa.so").string();
    auto engine = std::make_unique<Engine>(make_engine({test_plugin_dir("good_xa")}));
    std::mutex mutex;
    std::condition_variable changed;
    int stage = 0;
    std::thread worker([&] {
        EXPECT_TRUE(engine->evaluate_json(R"({"country":"XA","action":"new_numbers"})").allowed());
        std::unique_lock lock(mutex);
        stage = 1;
        changed.notify_all();
        changed.wait(lock, [&] { return stage == 2; });
    });
    {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stage == 1; });
    }
    void* before = dlopen(library.c_str(), RTLD_NOW | RTLD_NOLOAD);
    EXPECT_NE(before, nullptr) << "loaded while the engine lives";
    if (before != nullptr) dlclose(before);
    engine.reset();
    void* after = dlopen(library.c_str(), RTLD_NOW | RTLD_NOLOAD);
    EXPECT_EQ(after, nullptr) << "unloaded with the engine, though the worker thread still runs";
    if (after != nullptr) dlclose(after);
    {
        const std::lock_guard lock(mutex);
        stage = 2;
    }
    changed.notify_all();
    worker.join();
}

TEST(SnapshotCache, AThreadThatEndsGivesItsSeatBack) {
    const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR});
    for (int round = 0; round < 50; ++round) {
        std::thread([&] { EXPECT_TRUE(engine.evaluate_json(R"({"country":"US","action":"port_in"})").allowed()); }).join();
    }
    EXPECT_TRUE(engine.evaluate_json(R"({"country":"US","action":"port_in"})").allowed());
}

}  // namespace
}  // namespace telpolicy::test
