// The decision service's endpoints: what each HTTP request gets back. The transport (connections,
// limits, timeouts) is HttpServer's; this is what a request means.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <telpolicy/engine.hpp>

#include "admin_guard.hpp"
#include "decision_log.hpp"
#include "rules_playground.hpp"
#include "rules_sandbox.hpp"
#include "server_options.hpp"
#include "service_metrics.hpp"

namespace spdlog {
class logger;
}

namespace telpolicy::server {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

class DecisionService {
public:
    // `limits` are the engine's (EngineOptions::limits). `log` may be null (no decision log). All
    // must outlive the service. `logger` (thread-safe; null: none) hears failed admin authentications.
    // `sandbox` (null: none) runs the playground's tries of edited rules, when options.playground_rules.
    DecisionService(Engine& engine, const ServerOptions& options, const Limits& limits, ServiceMetrics& metrics,
                    DecisionLog* log, std::shared_ptr<spdlog::logger> logger = nullptr,
                    const RulesSandbox* sandbox = nullptr);

    // Fills `response` for `request`. Thread-safe; never throws (a failure inside is a 500).
    void handle(const HttpRequest& request, HttpResponse& response) noexcept;

    // Whether `request` is worked out on an evaluation thread (decisions, batches, reloads) rather
    // than answered at once on the I/O thread that read it (everything else, quick by design).
    [[nodiscard]] static bool needs_evaluation(const HttpRequest& request) noexcept;
    // Whether `request` is a probe's: /healthz, /readyz or /metrics, which a connection of the
    // probes' reserve may ask.
    [[nodiscard]] static bool is_probe(const HttpRequest& request) noexcept;

    [[nodiscard]] ServiceMetrics& metrics() noexcept { return metrics_; }

    // A response for a request the transport refused before it reached an endpoint (too large, too
    // slow, not HTTP): {"error": {"code", "message"}} with `status`, and the connection to close.
    void refuse(boost::beast::http::status status, std::string_view code, std::string_view message,
                HttpResponse& response) noexcept;

private:
    struct Decided;
    void decide(const HttpRequest& request, HttpResponse& response, bool explain);
    void decide_batch(const HttpRequest& request, HttpResponse& response);
    Decided decide_one(std::string_view json, std::string_view endpoint, bool explain);
    void reload(const HttpRequest& request, HttpResponse& response);
    void answer(const PlaygroundReply& reply, HttpResponse& response);
    void error(boost::beast::http::status status, std::string_view code, std::string_view message,
               HttpResponse& response);
    // LoadReport::digest of the rules in use, cached per thread until the revision changes.
    const std::string& rules_digest() const;

    Engine& engine_;
    const ServerOptions& options_;
    ServiceMetrics& metrics_;
    DecisionLog* log_;
    Limits limits_;
    std::shared_ptr<spdlog::logger> logger_;
    AdminGuard admin_guard_;
    RulesPlayground playground_;
};

}  // namespace telpolicy::server
