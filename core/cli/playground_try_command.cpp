// `telpolicy playground-try` (hidden): one try of the playground's rules editor, in a process of its
// own that the service starts under time and memory limits (core/server/rules_sandbox). It reads the
// try as JSON on stdin, builds an engine for the one plugin from the rules text in memory, and
// writes validate's diagnostics and what was asked (the diagram, a decision's trace, the policy
// tests' results) as JSON on stdout. Nothing is read from the rules folders or written anywhere.
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <telpolicy/authoring.hpp>

#include "commands.hpp"
#include "diagnostics_output.hpp"
#include "policy_tests.hpp"

namespace telpolicy::cli {
namespace {

using json = nlohmann::ordered_json;

std::string text_field(const nlohmann::json& input, const char* name) {
    const auto found = input.find(name);
    return found != input.end() && found->is_string() ? found->get<std::string>() : std::string();
}

json policy_tests_json(const Engine& engine, const std::string& tests_text, const std::string& tests_file,
                       const Limits& limits) {
    std::vector<TestsFileProblem> problems;
    const std::vector<PolicyTest> tests = read_policy_tests(tests_text, tests_file, limits, problems);
    const PolicyTestRun run = run_policy_tests(engine, tests);
    json out{{"file", tests_file}, {"passed", run.passed}, {"failed", run.failed},
             {"problems", json::array()}, {"results", json::array()}};
    for (const TestsFileProblem& problem : problems) out["problems"].push_back(problem.to_string());
    for (const PolicyTestOutcome& outcome : run.outcomes) {
        out["results"].push_back({{"name", outcome.test->name},
                                  {"line", outcome.test->line},
                                  {"label", outcome.label()},
                                  {"passed", outcome.passed()},
                                  {"differences", outcome.differences}});
    }
    return out;
}

}  // namespace

int run_playground_try(const Limits& limits, bool allow_untrusted_plugins) {
    nlohmann::json input;
    try {
        // Read whole first: nlohmann's reader steps std::cin's iterator back and forth, slowly.
        std::ostringstream text;
        text << std::cin.rdbuf();
        input = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::exception& error) {
        std::cerr << "telpolicy playground-try: the try is not JSON: " << error.what() << "\n";
        return exit_bad_input;
    }
    if (!input.is_object()) {
        std::cerr << "telpolicy playground-try: the try is a JSON object\n";
        return exit_bad_input;
    }
    const std::string what = text_field(input, "try");
    const std::string rules_file = text_field(input, "rules_file");

    EngineOptions options;
    options.plugin_dirs = {text_field(input, "plugin_dir")};
    options.limits = limits;
    options.allow_untrusted_plugins = allow_untrusted_plugins;
    options.rules_text = RulesText{text_field(input, "plugin"), text_field(input, "rules"), rules_file};
    const std::string& rules = options.rules_text->text;

    // Validate's diagnostics, as the author would see them from `telpolicy validate`; then the
    // engine's own refusal (a plugin that does not offer a check the rules call, other countries),
    // which validate cannot know, when it is the only problem.
    CheckedFile checked{rules_file, false, 0, 0, {}, {}};
    if (rules.size() <= limits.max_rules_file_bytes) {
        RulesCheck check = check_rules_text(rules, rules_file, limits);
        checked = {rules_file, check.loaded, check.rule_count, check.requests_examined, std::move(check.diagnostics),
                   std::move(check.schedule)};
    }
    const Engine engine(options);
    const LoadReport report = engine.load_report();
    const bool served = !report.loaded.empty();
    if (!served && !has_errors(checked.diagnostics)) {
        const std::string reason = report.refused.empty() ? "the engine refused these rules" : report.refused.back().reason;
        checked.diagnostics.push_back({rules_file, 0, 0, Severity::error, reason});
    }
    checked.loaded = served && !has_errors(checked.diagnostics);

    json out = diagnostics_json({checked});
    out["loaded"] = checked.loaded;
    if (checked.loaded && what == "check") {
        out["diagram"] = draw_rules_text(rules, rules_file, GraphFormat::svg, limits).text;
    } else if (checked.loaded && what == "decide") {
        // The request as the author typed it (text, perhaps not JSON), or as a JSON value.
        const auto request = input.find("request");
        const std::string request_text = request == input.end() ? std::string()
                                         : request->is_string() ? request->get<std::string>()
                                                                : request->dump();
        out["explanation"] = json::parse(to_json(engine.explain_json(request_text)));
    } else if (checked.loaded && what == "test") {
        out["tests"] = policy_tests_json(engine, text_field(input, "tests"), text_field(input, "tests_file"), limits);
    }
    std::cout << out.dump() << "\n";
    return std::cout.good() ? exit_ok : exit_bad_input;
}

}  // namespace telpolicy::cli
