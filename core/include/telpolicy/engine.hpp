// The engine a host application embeds: loads plugins and their rules, evaluates requests.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <telpolicy/decision.hpp>
#include <telpolicy/request.hpp>

namespace spdlog {
class logger;
}

namespace telpolicy {

struct EngineOptions {
    std::vector<std::filesystem::path> plugin_dirs;  // searched for plugin libraries, in order
    std::vector<std::filesystem::path> rules_dirs;   // searched for each plugin's rules file, in order
    std::shared_ptr<spdlog::logger> logger;          // null: a logger that discards everything
};

struct LoadedPlugin {
    std::string name;
    std::string version;
    std::filesystem::path library;
    std::filesystem::path rules_file;
    std::vector<std::string> countries;
};

struct RefusedPlugin {
    std::filesystem::path path;  // the library, or the rules file when only that was at fault
    std::string reason;          // why, with file:line:column for rule errors
};

struct LoadReport {
    std::vector<LoadedPlugin> loaded;
    std::vector<RefusedPlugin> refused;
};

// Immutable once built: evaluate() may be called from any number of threads at once.
class Engine {
public:
    explicit Engine(EngineOptions options);
    ~Engine();
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Never throws: bad input gives a decision with a request.invalid violation.
    [[nodiscard]] Decision evaluate(const Request& request) const noexcept;
    [[nodiscard]] Decision evaluate_json(std::string_view request_json) const noexcept;

    // Which plugins were loaded, from where, and which were refused and why.
    [[nodiscard]] const LoadReport& load_report() const noexcept;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace telpolicy
