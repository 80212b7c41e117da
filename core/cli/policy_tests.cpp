// Policy tests: read from YAML text, each request decided, each expectation compared.
#include "policy_tests.hpp"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include <telpolicy/decision.hpp>
#include <telpolicy/request.hpp>
#include <telpolicy/suggestion.hpp>

#include "yaml_json.hpp"

namespace telpolicy::cli {
namespace {

using test_json = nlohmann::json;

// "unknown request field 'numbertype'; did you mean 'number_type'? (request fields: ...)"
template <std::size_t N>
std::string unknown_field_message(const std::string& field, std::string_view what,
                                  const std::string_view (&known)[N]) {
    const std::vector<std::string_view> candidates(std::begin(known), std::end(known));
    std::string message = "unknown " + std::string(what) + " field '" + field + "'";
    if (const auto guess = closest_word(field, candidates)) message += "; did you mean '" + *guess + "'?";
    message += " (" + std::string(what) + " fields: ";
    for (std::size_t i = 0; i < N; ++i) message += (i == 0 ? "" : ", ") + std::string(known[i]);
    return message + ")";
}

template <std::size_t N>
bool is_one_of(const std::string& field, const std::string_view (&known)[N]) {
    return std::find(std::begin(known), std::end(known), field) != std::end(known);
}

std::string where(const std::string& file, const YAML::Node& node) {
    return file + ":" + std::to_string(node.Mark().line + 1) + ":" + std::to_string(node.Mark().column + 1);
}

// What the decision shows for an expected key, shaped like the expectation: forms, contacts and
// violations may be expected as lists of ids, names and codes, or of objects with some of their fields.
test_json actual_for(const std::string& key, const test_json& expected, const test_json& decision) {
    if (key == "plugin" && expected.is_string()) return decision["plugin"].is_null() ? test_json(nullptr) : decision["plugin"]["name"];
    if ((key == "forms" || key == "contacts" || key == "violations") && expected.is_array()) {
        const char* id_field = key == "forms" ? "id" : key == "contacts" ? "name" : "code";
        test_json shaped = test_json::array();
        const test_json& actual = decision[key];
        for (std::size_t i = 0; i < actual.size(); ++i) {
            const test_json* wanted = i < expected.size() ? &expected[i] : nullptr;
            if (wanted != nullptr && wanted->is_object()) {
                test_json picked = test_json::object();
                for (const auto& [field, value] : wanted->items()) picked[field] = actual[i].value(field, test_json(nullptr));
                shaped.push_back(picked);
            } else {
                shaped.push_back(actual[i][id_field]);
            }
        }
        return shaped;
    }
    return decision.value(key, test_json(nullptr));
}

// For lists, what is missing from the decision and what it has more, so that a long list's diff
// need not be read item by item; or that only the order differs.
std::string list_difference(const test_json& expected, const test_json& actual) {
    if (!expected.is_array() || !actual.is_array()) return {};
    const auto items_not_in = [](const test_json& from, const test_json& other) {
        test_json out = test_json::array();
        std::vector<bool> used(other.size(), false);
        for (const test_json& item : from) {
            bool found = false;
            for (std::size_t i = 0; i < other.size() && !found; ++i) {
                if (!used[i] && other[i] == item) found = used[i] = true;
            }
            if (!found) out.push_back(item);
        }
        return out;
    };
    const test_json missing = items_not_in(expected, actual);
    const test_json extra = items_not_in(actual, expected);
    if (missing.empty() && extra.empty()) return "\n      (the same items, in another order)";
    std::string out;
    if (!missing.empty()) out += "\n      missing  " + missing.dump();
    if (!extra.empty()) out += "\n      extra    " + extra.dump();
    return out;
}

}  // namespace

std::vector<PolicyTest> read_policy_tests(std::string_view text, const std::string& file, const Limits& limits,
                                          std::vector<TestsFileProblem>& problems) {
    std::vector<PolicyTest> tests;
    const auto problem = [&](const std::string& at, const std::string& message) { problems.push_back({at, message}); };
    // Checked before it becomes nodes: turning a "billion laughs" into requests would exhaust
    // memory, and an alias inside its own anchor the stack (fuzzing findings).
    if (const std::string limit = yaml_text_problem(text, limits); !limit.empty()) {
        const std::size_t colon = limit.find(": ");
        problem(file + ":" + limit.substr(0, colon), limit.substr(colon + 2));
        return tests;
    }
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& error) {
        problem(file + ":" + std::to_string(error.mark.line + 1) + ":" + std::to_string(error.mark.column + 1),
                "invalid YAML: " + error.msg);
        return tests;
    }
    const YAML::Node list = root["tests"];
    if (!root.IsMap() || !list || !list.IsSequence()) {
        problem(file, "a tests file is a mapping with a 'tests' list");
        return tests;
    }
    for (const YAML::Node& item : list) {
        if (!item.IsMap() || !item["name"] || !item["request"] || !item["expect"] || !item["request"].IsMap() ||
            !item["expect"].IsMap()) {
            problem(where(file, item), "each test needs 'name', a 'request' mapping and an 'expect' mapping");
            continue;
        }
        for (auto it = item.begin(); it != item.end(); ++it) {
            const std::string key = it->first.Scalar();
            if (key != "name" && key != "request" && key != "expect") {
                problem(where(file, it->first), "unknown key '" + key + "' in a test (expected name, request, expect)");
            }
        }
        // The engine ignores fields it does not know, so a misspelt one would let a test pass for the
        // wrong reason: in a test, written by hand, it is an error.
        bool fields_known = true;
        const auto check_fields = [&](const YAML::Node& map, std::string_view what, const auto& known) {
            for (auto it = map.begin(); it != map.end(); ++it) {
                const std::string field = it->first.IsScalar() ? it->first.Scalar() : std::string();
                if (is_one_of(field, known)) continue;
                problem(where(file, it->first), unknown_field_message(field, what, known));
                fields_known = false;
            }
        };
        check_fields(item["request"], "request", request_fields);
        check_fields(item["expect"], "decision", decision_fields);
        if (!fields_known) continue;
        tests.push_back({file, item.Mark().line + 1, item["name"].Scalar(), yaml_to_json(item["request"]),
                         yaml_to_json(item["expect"])});
    }
    return tests;
}

std::string PolicyTestOutcome::label() const {
    return test->file + ":" + std::to_string(test->line) + ": " + test->name;
}

PolicyTestRun run_policy_tests(const Engine& engine, const std::vector<PolicyTest>& tests) {
    PolicyTestRun run;
    for (const PolicyTest& test : tests) {
        const test_json decision = test_json::parse(to_json(engine.evaluate_json(test.request.dump())));
        for (const auto& rule : decision["matched_rules"]) run.exercised.insert(rule.get<std::string>());
        if (decision["plugin"].is_object()) run.reached_plugins.insert(decision["plugin"]["name"].get<std::string>());
        PolicyTestOutcome outcome{&test, {}};
        for (const auto& [key, expected] : test.expect.items()) {
            const test_json actual = actual_for(key, expected, decision);
            if (actual != expected) {
                outcome.differences.push_back(key + ":\n      expected " + expected.dump() + "\n      got      " +
                                              actual.dump() + list_difference(expected, actual));
            }
        }
        ++(outcome.passed() ? run.passed : run.failed);
        run.outcomes.push_back(std::move(outcome));
    }
    return run;
}

}  // namespace telpolicy::cli
