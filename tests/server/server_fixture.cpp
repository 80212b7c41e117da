#include "server_fixture.hpp"

#include <fstream>

#include "test_engine.hpp"

namespace telpolicy::test {

server::ServerOptions RunningServer::small_limits() {
    server::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.max_header_bytes = 2048;
    options.max_body_bytes = 16 * 1024;
    options.max_batch = 50;
    options.idle_timeout = std::chrono::milliseconds(400);
    options.request_timeout = std::chrono::milliseconds(400);
    options.write_timeout = std::chrono::seconds(2);
    return options;
}

RunningServer::RunningServer(server::ServerOptions options, std::filesystem::path plugin_dir,
                             std::vector<std::string> sandbox_command)
    : dir_(make_temp_dir("telpolicy-server-test")), options_(std::move(options)) {
    rules_file_ = dir_ / "rules" / "us.yaml";
    std::filesystem::create_directories(rules_file_.parent_path());
    std::filesystem::copy_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml", rules_file_);
    // The policy tests beside the rules, as the playground's editor runs them.
    std::filesystem::copy_file(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.tests.yaml",
                               rules_file_.parent_path() / "us.tests.yaml");
    // A test may name its own decision log (a FIFO, say); otherwise it is a file in the folder.
    if (options_.decision_log.empty()) options_.decision_log = (dir_ / "decisions.jsonl").string();
    log_file_ = options_.decision_log;

    EngineOptions engine_options;
    engine_options.plugin_dirs = {std::move(plugin_dir)};
    engine_options.rules_dirs = {rules_file_.parent_path()};
    engine_options.on_reload = [this](const ReloadResult& result) {
        metrics_.reloaded(result, *engine_);
    };
    engine_ = std::make_unique<Engine>(std::move(engine_options));
    metrics_.rules_in_use(*engine_);
    log_ = std::make_unique<server::DecisionLog>(options_.decision_log, options_.decision_log_queue,
                                                options_.decision_log_full);
    if (options_.playground_rules) {
        if (sandbox_command.empty()) sandbox_command = {TELPOLICY_BINARY, "--log-level", "off", "playground-try"};
        sandbox_ = std::make_unique<server::RulesSandbox>(
            std::move(sandbox_command),
            server::SandboxLimits{options_.playground_try_timeout, options_.playground_try_memory});
    }
    service_ = std::make_unique<server::DecisionService>(*engine_, options_, Limits{}, metrics_, log_.get(), nullptr,
                                                         sandbox_.get());
    http_ = std::make_unique<server::HttpServer>(options_, *service_);
    runner_ = std::thread([this] { http_->run(); });
}

RunningServer::~RunningServer() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

void RunningServer::stop() {
    if (runner_.joinable()) {
        http_->stop(std::chrono::milliseconds(0));
        runner_.join();
    }
    log_.reset();  // writes what is queued
}

std::vector<std::string> RunningServer::log_lines() {
    stop();
    std::vector<std::string> lines;
    std::ifstream in(log_file_);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace telpolicy::test
