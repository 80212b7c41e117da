// `telpolicy serve`: the decision service over HTTP (core/server/), with the engine it decides with.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <system_error>

#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "decision_log.hpp"
#include "decision_service.hpp"
#include "http_server.hpp"
#include "rules_sandbox.hpp"
#include "service_metrics.hpp"

namespace telpolicy::cli {
namespace {

// "HOST:PORT", "[IPv6]:PORT" or ":PORT" (loopback). Returns why not, or an empty string.
std::string parse_listen(const std::string& text, server::ServerOptions& options) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return "--listen takes HOST:PORT, such as 127.0.0.1:8181";
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string port = text.substr(colon + 1);
    char* end = nullptr;
    errno = 0;
    const unsigned long number = std::strtoul(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || errno != 0 || number > 65535) {
        return "--listen: '" + port + "' is not a port number (0 to 65535; 0 picks a free one)";
    }
    if (!host.empty()) options.address = host;
    options.port = static_cast<std::uint16_t>(number);
    return {};
}

// The admin token: from the file (first line), else from TELPOLICY_ADMIN_TOKEN. Never logged.
std::string read_admin_token(const std::string& file, std::string& problem) {
    std::string token;
    if (!file.empty()) {
        std::ifstream in(file);
        if (!in.is_open()) {
            problem = "cannot read the admin token file " + file + ": " + std::strerror(errno);
            return {};
        }
        std::getline(in, token);
        if (!token.empty() && token.back() == '\r') token.pop_back();
        if (token.empty()) problem = "the admin token file " + file + " is empty";
        return token;
    }
    if (const char* from_environment = std::getenv("TELPOLICY_ADMIN_TOKEN")) token = from_environment;
    return token;
}

// This very command, run again as `playground-try` with the service's limits: one try of edited
// rules in a process of its own. /proc/self/exe stays this program even if its file is replaced.
std::vector<std::string> playground_try_command(const EngineOptions& engine_options) {
    const Limits& limits = engine_options.limits;
    std::vector<std::string> command{"/proc/self/exe", "--log-level", "off"};
    for (const auto& [flag, value] : {std::pair<const char*, std::size_t>{"--max-numbers", limits.max_numbers},
                                      {"--max-pin-bytes", limits.max_pin_bytes},
                                      {"--max-json-depth", limits.max_json_depth},
                                      {"--max-rules-file-bytes", limits.max_rules_file_bytes},
                                      {"--max-yaml-depth", limits.max_yaml_depth},
                                      {"--max-yaml-aliases", limits.max_yaml_aliases},
                                      {"--max-rules", limits.max_rules}}) {
        command.insert(command.end(), {flag, std::to_string(value)});
    }
    if (engine_options.allow_untrusted_plugins) command.emplace_back("--allow-untrusted-plugins");
    command.emplace_back("playground-try");
    return command;
}

}  // namespace

int run_serve(EngineOptions engine_options, ServeOptions options) {
    auto log = engine_options.logger;
    if (const std::string problem = parse_listen(options.listen, options.server); !problem.empty()) {
        std::cerr << "telpolicy: " << problem << "\n";
        return exit_bad_input;
    }
    std::string problem;
    options.server.admin_token = read_admin_token(options.admin_token_file, problem);
    if (!problem.empty()) {
        std::cerr << "telpolicy: " << problem << "\n";
        return exit_bad_input;
    }

    server::ServiceMetrics metrics;
    // The engine calls this after every reload, by POST /v1/reload or by the watch; it is set before
    // the engine exists, so it reaches the engine through a pointer set right after.
    const Engine* engine_in_use = nullptr;
    engine_options.on_reload = [&metrics, &engine_in_use](const ReloadResult& result) {
        if (engine_in_use != nullptr) metrics.reloaded(result, *engine_in_use);
    };
    const Limits limits = engine_options.limits;
    std::unique_ptr<server::RulesSandbox> sandbox;
    if (options.server.playground_rules) {
        sandbox = std::make_unique<server::RulesSandbox>(
            playground_try_command(engine_options),
            server::SandboxLimits{options.server.playground_try_timeout, options.server.playground_try_memory});
    }
    Engine engine(std::move(engine_options));
    engine_in_use = &engine;
    const LoadReport report = engine.load_report();
    metrics.rules_in_use(engine);
    for (const RefusedPlugin& refused : report.refused) {
        if (log) log->error("plugin refused: {}: {}", refused.path.string(), refused.reason);
    }
    if (report.loaded.empty() && log) {
        log->error("no plugin's rules are loaded: /readyz answers 503 until POST /v1/reload (or the watch) loads some");
    }

    std::unique_ptr<server::DecisionLog> decision_log;
    try {
        if (!options.server.decision_log.empty()) {
            decision_log = std::make_unique<server::DecisionLog>(
                options.server.decision_log, options.server.decision_log_queue, options.server.decision_log_full);
            if (decision_log->torn_bytes_cut() > 0 && log) {
                log->warn("decision log {}: its last line was torn (its writer stopped in the middle of it); its {} "
                          "bytes were cut off, so that every line is one JSON object",
                          options.server.decision_log, decision_log->torn_bytes_cut());
            }
        }
    } catch (const std::exception& failure) {
        std::cerr << "telpolicy: " << failure.what() << "\n";
        return exit_bad_input;
    }
    server::DecisionService service(engine, options.server, limits, metrics, decision_log.get(), log, sandbox.get());
    std::unique_ptr<server::HttpServer> http;
    try {
        http = std::make_unique<server::HttpServer>(options.server, service);
    } catch (const std::system_error& failure) {
        std::cerr << "telpolicy: " << failure.what() << "\n";
        return exit_bad_input;
    }
    if (options.watch_interval.count() > 0) engine.watch(options.watch_interval);

    const bool ipv6 = options.server.address.find(':') != std::string::npos;
    std::ostringstream where;
    where << "http://" << (ipv6 ? "[" : "") << options.server.address << (ipv6 ? "]" : "") << ":" << http->port();
    // Scripts and tests wait for this line (with port 0, it is how they learn the port).
    std::cout << "telpolicy: listening on " << where.str() << std::endl;
    if (log) {
        log->info("serving revision {} ({}) on {}; admin endpoints {}; decision log {}; trying rules in the "
                  "playground {}",
                  report.revision, report.digest, where.str(), options.server.admin_token.empty() ? "off" : "on",
                  options.server.decision_log.empty() ? "off" : options.server.decision_log,
                  options.server.playground_rules ? "on" : "off");
    }
    if (options.server.playground_rules && log) {
        log->warn("--playground-rules: any client of {} may make this server load rules it sends (each try in a "
                  "sandbox of {} ms and {} MiB)",
                  where.str(), options.server.playground_try_timeout.count(), options.server.playground_try_memory >> 20);
    }
    // SIGHUP: the decision log reopens its file, for log rotation by renaming.
    server::DecisionLog* const reopened = decision_log.get();
    http->run([reopened, &log] {
        if (reopened == nullptr) return;
        reopened->reopen();
        if (log) log->info("decision log reopened");
    });
    engine.watch(std::chrono::milliseconds(0));
    if (log) log->info("stopped");
    return exit_ok;
}

}  // namespace telpolicy::cli
