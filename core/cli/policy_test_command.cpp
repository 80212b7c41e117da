// `telpolicy test`: policy tests written in YAML next to the rules (a request and the parts of the
// decision expected), with a line per test, a diff on failure, a summary, and rule coverage.
#include <algorithm>
#include <fstream>
#include <iostream>

#include <telpolicy/authoring.hpp>

#include "commands.hpp"
#include "policy_tests.hpp"

namespace telpolicy::cli {
namespace {

std::vector<std::filesystem::path> test_files(const std::vector<std::string>& paths,
                                              const std::vector<std::filesystem::path>& default_dirs) {
    std::vector<std::filesystem::path> roots(paths.begin(), paths.end());
    if (roots.empty()) roots = default_dirs;
    std::vector<std::filesystem::path> files;
    for (const auto& root : roots) {
        std::error_code error;
        if (!std::filesystem::is_directory(root, error)) {
            files.push_back(root);
            continue;
        }
        for (std::filesystem::directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
            const std::string name = it->path().filename().string();
            if (name.size() > tests_suffix.size() && name.ends_with(tests_suffix)) files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Reads one tests file; problems are printed with their position and counted.
std::vector<PolicyTest> read_tests(const std::filesystem::path& path, const Limits& limits, std::size_t& problems) {
    const std::string file = path.string();
    // Bounded before it is read, as a rules file is.
    std::ifstream in(path, std::ios::binary);
    std::error_code size_error;
    if (!in.is_open() || std::filesystem::file_size(path, size_error) > limits.max_rules_file_bytes || size_error) {
        std::cerr << file << ": error: cannot read the tests file, or it is larger than " << limits.max_rules_file_bytes
                  << " bytes (change it with --max-rules-file-bytes)\n";
        ++problems;
        return {};
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<TestsFileProblem> found;
    std::vector<PolicyTest> tests = read_policy_tests(text, file, limits, found);
    for (const TestsFileProblem& problem : found) std::cerr << problem.to_string() << "\n";
    problems += found.size();
    return tests;
}

}  // namespace

int run_policy_tests(const Engine& engine, const PolicyTestOptions& options) {
    std::size_t problems = 0;
    std::vector<PolicyTest> tests;
    for (const auto& file : test_files(options.paths, options.default_dirs)) {
        auto more = read_tests(file, options.limits, problems);
        tests.insert(tests.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
    if (problems > 0) return exit_bad_input;
    if (tests.empty()) {
        std::cerr << "telpolicy: no policy tests found (files named *" << tests_suffix << ")\n";
        return exit_bad_input;
    }
    const PolicyTestRun run = run_policy_tests(engine, tests);
    for (const PolicyTestOutcome& outcome : run.outcomes) {
        std::cout << (outcome.passed() ? "PASS " : "FAIL ") << outcome.label() << "\n";
        for (const std::string& difference : outcome.differences) std::cout << "    " << difference << "\n";
    }
    std::size_t uncovered = 0;
    if (options.coverage) {
        std::size_t total = 0;
        std::vector<std::string> missing;
        // Naming tests asks for the coverage of the plugins they reach, not the whole bundle's.
        for (const LoadedPlugin& plugin : engine.load_report().loaded) {
            if (!options.paths.empty() && run.reached_plugins.count(plugin.name) == 0) continue;
            for (const RuleLocation& rule : rule_locations(plugin.rules_file, options.limits)) {
                ++total;
                if (run.exercised.count(rule.id) == 0) {
                    missing.push_back(plugin.rules_file.string() + ":" + std::to_string(rule.line) + ":" +
                                      std::to_string(rule.column) + ": rule '" + rule.id + "' is exercised by no test");
                }
            }
        }
        uncovered = missing.size();
        std::cout << "coverage: " << (total - uncovered) << " of " << total << " rules exercised by a test\n";
        for (const std::string& rule : missing) std::cout << rule << "\n";
    }
    std::cout << run.passed << " passed, " << run.failed << " failed\n";
    if (run.failed > 0) return 1;
    return options.require_full_coverage && uncovered > 0 ? 1 : exit_ok;
}

}  // namespace telpolicy::cli
