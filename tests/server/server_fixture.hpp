// A decision service running in-process on a free loopback port, over the bundled US plugin and a
// copy of the shipped rules that a test may edit, with a decision log in a temporary folder.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <telpolicy/engine.hpp>

#include "decision_log.hpp"
#include "decision_service.hpp"
#include "http_server.hpp"
#include "rules_sandbox.hpp"
#include "server_options.hpp"
#include "service_metrics.hpp"

namespace telpolicy::test {

class RunningServer {
public:
    // `plugin_dir` empty: the bundled plugins. Small limits and timeouts, so that tests of them are quick.
    // With options.playground_rules, tries of edited rules run `sandbox_command` (empty: the
    // telpolicy command's playground-try) in the sandbox.
    explicit RunningServer(server::ServerOptions options = small_limits(),
                           std::filesystem::path plugin_dir = TELPOLICY_TEST_PLUGIN_DIR,
                           std::vector<std::string> sandbox_command = {});
    ~RunningServer();
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    static server::ServerOptions small_limits();

    [[nodiscard]] std::uint16_t port() const { return http_->port(); }
    [[nodiscard]] Engine& engine() { return *engine_; }
    [[nodiscard]] const std::filesystem::path& rules_file() const { return rules_file_; }
    [[nodiscard]] const std::filesystem::path& log_file() const { return log_file_; }
    // Stops the server and flushes the decision log; the folder stays until destruction.
    void stop();
    // The decision log's lines so far (stops the server first, so that every line is written).
    [[nodiscard]] std::vector<std::string> log_lines();

private:
    std::filesystem::path dir_;
    std::filesystem::path rules_file_;
    std::filesystem::path log_file_;
    server::ServerOptions options_;
    server::ServiceMetrics metrics_;
    std::unique_ptr<Engine> engine_;
    std::unique_ptr<server::DecisionLog> log_;
    std::unique_ptr<server::RulesSandbox> sandbox_;
    std::unique_ptr<server::DecisionService> service_;
    std::unique_ptr<server::HttpServer> http_;
    std::thread runner_;
};

}  // namespace telpolicy::test
