// Policy tests (*.tests.yaml beside the rules: a request and the parts of the decision expected),
// read from text and run against an engine, with the results as values: what `telpolicy test`
// prints, and what the playground's sandbox sends back for rules being edited.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <telpolicy/engine.hpp>
#include <telpolicy/limits.hpp>

namespace telpolicy::cli {

inline constexpr std::string_view tests_suffix = ".tests.yaml";

struct PolicyTest {
    std::string file;
    int line{0};
    std::string name;
    nlohmann::json request;
    nlohmann::json expect;
};

// A tests file that cannot be run as written, with where: "file:line:column" (or "file").
struct TestsFileProblem {
    std::string where;
    std::string message;

    [[nodiscard]] std::string to_string() const { return where + ": error: " + message; }
};

// The tests of one file's `text` (`file` names it in positions), held to the rules files' limits. A
// test with a problem is left out and its problem added to `problems`.
std::vector<PolicyTest> read_policy_tests(std::string_view text, const std::string& file, const Limits& limits,
                                          std::vector<TestsFileProblem>& problems);

struct PolicyTestOutcome {
    const PolicyTest* test{nullptr};
    // One per expected field that the decision does not show: "field:\n expected ...\n got ...".
    std::vector<std::string> differences;

    [[nodiscard]] bool passed() const { return differences.empty(); }
    // "file:line: name"
    [[nodiscard]] std::string label() const;
};

struct PolicyTestRun {
    std::vector<PolicyTestOutcome> outcomes;  // in the order of the tests
    std::size_t passed{0};
    std::size_t failed{0};
    std::set<std::string> exercised;        // the ids of the rules some test's decision matched
    std::set<std::string> reached_plugins;  // the plugins that decided some test's request
};

// Decides each test's request with `engine` and compares the decision with what the test expects.
// The outcomes point into `tests`, which must outlive the run.
PolicyTestRun run_policy_tests(const Engine& engine, const std::vector<PolicyTest>& tests);

}  // namespace telpolicy::cli
