// Test helpers: engines over the bundled and test plugins.
#include "test_engine.hpp"

#include <random>

namespace telpolicy::test {

std::filesystem::path test_plugin_dir(const std::string& case_name) {
    return std::filesystem::path(TELPOLICY_TEST_BROKEN_PLUGINS_DIR) / case_name;
}

Engine make_engine(std::vector<std::filesystem::path> plugin_dirs) {
    EngineOptions options;
    options.plugin_dirs = std::move(plugin_dirs);
    options.rules_dirs = {TELPOLICY_TEST_RULES_DIR, std::filesystem::path(TELPOLICY_TEST_DATA_DIR) / "rules"};
    return Engine(options);
}

const Engine& us_engine() {
    static const Engine engine = make_engine({TELPOLICY_TEST_PLUGIN_DIR});
    return engine;
}

const Engine& bundle_engine() {
    static const Engine engine = make_engine({TELPOLICY_TEST_BUNDLE_PLUGIN_DIR});
    return engine;
}

nlohmann::json decide(const std::string& request_json) {
    return nlohmann::json::parse(to_json(us_engine().evaluate_json(request_json)));
}

nlohmann::json decide_with_bundle(const std::string& request_json) {
    return nlohmann::json::parse(to_json(bundle_engine().evaluate_json(request_json)));
}

std::vector<std::string> codes(const nlohmann::json& decision) {
    std::vector<std::string> out;
    for (const auto& violation : decision.at("violations")) out.push_back(violation.at("code").get<std::string>());
    return out;
}

std::vector<std::string> form_ids(const nlohmann::json& decision) {
    std::vector<std::string> out;
    for (const auto& form : decision.at("forms")) out.push_back(form.at("id").get<std::string>());
    return out;
}

std::filesystem::path make_temp_dir(const std::string& prefix) {
    std::random_device random;
    const auto dir = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(random()));
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace telpolicy::test
