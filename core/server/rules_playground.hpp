// The playground's rules editor, on the server's side: the served rules file of a plugin, to start
// from, and tries of an edited text (its diagnostics and diagram, a decision with its trace, its
// policy tests), each worked out in the sandbox, never replacing the rules the service decides with.
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>

#include <telpolicy/engine.hpp>

#include "rules_sandbox.hpp"

namespace telpolicy::server {

// What an endpoint answers: `body` (JSON) when the status is 200, else an error with its code.
struct PlaygroundReply {
    boost::beast::http::status status{boost::beast::http::status::ok};
    std::string body;
    // A literal ("try_over_time"): it keys the service's error counter, which keeps the view.
    std::string_view error_code;
    std::string error_message;
    bool retry_later{false};  // 503: come back in a second
};

class RulesPlayground {
public:
    // `sandbox` null: trying rules is off, and every endpoint answers 403 saying how to turn it on.
    RulesPlayground(const Engine& engine, const RulesSandbox* sandbox, const Limits& limits);

    // GET /v1/playground/rules/{plugin}: {"plugin", "file", "rules", "tests_file"} (tests_file null
    // when the plugin has no policy tests beside its rules).
    [[nodiscard]] PlaygroundReply served_rules(std::string_view plugin) const;

    // POST /v1/playground/{check,decide,test} with {"plugin", "rules", "request"}: validate's JSON
    // ({"diagnostics": [...], ...}, "loaded"), and "diagram" (check: an SVG picture), "explanation"
    // (decide: the decision and its trace) or "tests" (test: each policy test's outcome).
    [[nodiscard]] PlaygroundReply try_rules(std::string_view what, std::string_view body) const;

    [[nodiscard]] bool enabled() const noexcept { return sandbox_ != nullptr; }

private:
    const Engine& engine_;
    const RulesSandbox* sandbox_;
    Limits limits_;
};

}  // namespace telpolicy::server
