// The rules editor's endpoints: which plugin, which files, what the sandbox is asked and what its
// answer means for the client.
#include "rules_playground.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <stdexcept>

#include <string.h>  // explicit_bzero

#include <nlohmann/json.hpp>

namespace telpolicy::server {
namespace {

namespace http = boost::beast::http;
using json = nlohmann::json;

constexpr std::string_view turned_off =
    "trying rules in the playground is off: start the server with --playground-rules (it lets any client make the "
    "server load a rules file, in a sandbox)";

// `code` is a literal (PlaygroundReply::error_code says why).
PlaygroundReply refusal(http::status status, std::string_view code, std::string message) {
    return {status, {}, code, std::move(message), false};
}

std::optional<LoadedPlugin> loaded_plugin(const Engine& engine, std::string_view name) {
    LoadReport report = engine.load_report();
    const auto found = std::find_if(report.loaded.begin(), report.loaded.end(),
                                    [&](const LoadedPlugin& plugin) { return plugin.name == name; });
    if (found == report.loaded.end()) return std::nullopt;
    return std::move(*found);
}

std::string plugin_names(const Engine& engine) {
    std::string names;
    for (const LoadedPlugin& plugin : engine.load_report().loaded) names += (names.empty() ? "" : ", ") + plugin.name;
    return names.empty() ? "none" : names;
}

// The text of a file beside the served rules, bounded as a rules file is; nullopt when unreadable.
std::optional<std::string> read_bounded(const std::filesystem::path& path, const Limits& limits) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error || size > limits.max_rules_file_bytes) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) return std::nullopt;
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (text.size() > limits.max_rules_file_bytes) return std::nullopt;
    return text;
}

std::filesystem::path tests_file_of(const LoadedPlugin& plugin) {
    return plugin.rules_file.parent_path() / (plugin.name + ".tests.yaml");
}

// The try's body, as JSON no deeper than requests may be (a deeper one would cost the server's
// stack to copy, before the sandbox is reached).
json read_try(std::string_view body, const Limits& limits) {
    const auto depth_bound = static_cast<int>(limits.max_json_depth) + 1;
    return json::parse(body, [depth_bound](int depth, json::parse_event_t, json&) {
        if (depth > depth_bound) throw std::length_error("nested deeper than " + std::to_string(depth_bound));
        return true;
    });
}

// The request of a try may hold a transfer PIN: its every string is cleared before it is freed, as
// the service clears request bodies. (The depth was bounded when it was read.)
void wipe_strings(json& value) {
    if (value.is_string()) {
        std::string& text = value.get_ref<std::string&>();
        explicit_bzero(text.data(), text.size());
    } else if (value.is_structured()) {
        for (json& item : value) wipe_strings(item);
    }
}

// Clears the try's copies on every way out of try_rules.
struct WipedOnExit {
    json& request;
    json& sandboxed;
    std::string& input;
    ~WipedOnExit() {
        wipe_strings(request);
        wipe_strings(sandboxed);
        explicit_bzero(input.data(), input.size());
    }
};

}  // namespace

RulesPlayground::RulesPlayground(const Engine& engine, const RulesSandbox* sandbox, const Limits& limits)
    : engine_(engine), sandbox_(sandbox), limits_(limits) {}

PlaygroundReply RulesPlayground::served_rules(std::string_view plugin_name) const {
    if (sandbox_ == nullptr) return refusal(http::status::forbidden, "playground_rules_off", std::string(turned_off));
    const std::optional<LoadedPlugin> plugin = loaded_plugin(engine_, plugin_name);
    if (!plugin) {
        return refusal(http::status::not_found, "no_such_plugin",
                       "no loaded plugin is named '" + std::string(plugin_name.substr(0, 100)) +
                           "'; loaded: " + plugin_names(engine_));
    }
    const std::optional<std::string> text = read_bounded(plugin->rules_file, limits_);
    if (!text) {
        return refusal(http::status::internal_server_error, "rules_unreadable",
                       "the rules file " + plugin->rules_file.string() +
                           " cannot be read now, or is larger than --max-rules-file-bytes");
    }
    const std::filesystem::path tests = tests_file_of(*plugin);
    std::error_code error;
    json out{{"plugin", plugin->name}, {"file", plugin->rules_file.string()}, {"rules", *text},
             {"tests_file", std::filesystem::is_regular_file(tests, error) ? json(tests.string()) : json(nullptr)}};
    return {http::status::ok, out.dump(), {}, {}, false};
}

PlaygroundReply RulesPlayground::try_rules(std::string_view what, std::string_view body) const {
    if (sandbox_ == nullptr) return refusal(http::status::forbidden, "playground_rules_off", std::string(turned_off));
    json request;
    json sandboxed;
    std::string input;
    const WipedOnExit wiped{request, sandboxed, input};
    try {
        request = read_try(body, limits_);
    } catch (const std::exception& error) {
        return refusal(http::status::bad_request, "try_invalid",
                       std::string("a try is a JSON object {\"plugin\", \"rules\", \"request\"}: ") + error.what());
    }
    if (!request.is_object() || !request["plugin"].is_string() || !request["rules"].is_string()) {
        return refusal(http::status::bad_request, "try_invalid",
                       "a try is a JSON object with \"plugin\" (a loaded plugin's name) and \"rules\" (the rules "
                       "file's text)");
    }
    const std::optional<LoadedPlugin> plugin = loaded_plugin(engine_, request["plugin"].get<std::string>());
    if (!plugin) {
        return refusal(http::status::not_found, "no_such_plugin",
                       "no loaded plugin is named '" + request["plugin"].get<std::string>().substr(0, 100) +
                           "'; loaded: " + plugin_names(engine_));
    }
    const std::string& rules = request["rules"].get_ref<const std::string&>();
    if (rules.size() > limits_.max_rules_file_bytes) {
        return refusal(http::status::payload_too_large, "rules_too_large",
                       "the rules are " + std::to_string(rules.size()) + " bytes, more than the limit of " +
                           std::to_string(limits_.max_rules_file_bytes) + " (--max-rules-file-bytes)");
    }
    // The try as the sandboxed command reads it: the plugin's own library, so that its native
    // checks are bound, and the rules read as if they were its served file.
    sandboxed = {{"try", what},
                 {"plugin", plugin->name},
                 {"plugin_dir", plugin->library.parent_path().string()},
                 {"rules_file", plugin->rules_file.string()},
                 {"rules", rules}};
    if (what == "decide") {
        if (!request.contains("request")) {
            return refusal(http::status::bad_request, "try_invalid", "a decision needs \"request\": the request to decide");
        }
        sandboxed["request"] = std::move(request["request"]);
    }
    if (what == "test") {
        const std::filesystem::path tests = tests_file_of(*plugin);
        const std::optional<std::string> text = read_bounded(tests, limits_);
        if (!text) {
            return refusal(http::status::not_found, "no_policy_tests",
                           "plugin '" + plugin->name + "' has no readable policy tests at " + tests.string());
        }
        sandboxed["tests_file"] = tests.string();
        sandboxed["tests"] = *text;
    }
    input = sandboxed.dump();
    const SandboxResult result = sandbox_->run(input);
    switch (result.outcome) {
        case SandboxResult::Outcome::finished:
            if (result.exit_code == 0 && !result.output.empty()) return {http::status::ok, result.output, {}, {}, false};
            return refusal(http::status::internal_server_error, "try_failed",
                           "the try failed (exit status " + std::to_string(result.exit_code) +
                               "): " + result.message.substr(0, 500));
        case SandboxResult::Outcome::over_time:
            return refusal(http::status::unprocessable_entity, "try_over_time", result.message);
        case SandboxResult::Outcome::over_memory:
            return refusal(http::status::unprocessable_entity, "try_over_memory", result.message);
        case SandboxResult::Outcome::busy: {
            PlaygroundReply busy = refusal(http::status::service_unavailable, "playground_busy", result.message);
            busy.retry_later = true;
            return busy;
        }
        case SandboxResult::Outcome::failed: break;
    }
    return refusal(http::status::internal_server_error, "try_failed", result.message);
}

}  // namespace telpolicy::server
