// Shared helpers for the tests: engines over the bundled and test plugins, decisions as JSON.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <telpolicy/engine.hpp>

namespace telpolicy::test {

// The folder holding the test plugin built for `case_name` (see tests/plugins/CMakeLists.txt).
std::filesystem::path test_plugin_dir(const std::string& case_name);

// An engine over the given plugin folders and the shipped rules plus the test rules.
Engine make_engine(std::vector<std::filesystem::path> plugin_dirs);

// One engine with the bundled US plugin alone, built once for the whole test run.
const Engine& us_engine();

// One engine with every bundled plugin (the default folders of an installed copy), built once.
const Engine& bundle_engine();

// Evaluates `request_json` with us_engine() and returns the decision's contract JSON, parsed.
nlohmann::json decide(const std::string& request_json);

// The same with bundle_engine().
nlohmann::json decide_with_bundle(const std::string& request_json);

// The violation codes of a decision, in order.
std::vector<std::string> codes(const nlohmann::json& decision);

// The ids of the forms of a decision, in order.
std::vector<std::string> form_ids(const nlohmann::json& decision);

// A fresh empty folder under the system's temporary folder, removed by the caller.
std::filesystem::path make_temp_dir(const std::string& prefix);

}  // namespace telpolicy::test
