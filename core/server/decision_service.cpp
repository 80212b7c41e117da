#include "decision_service.hpp"

#include "beast_text.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include <string.h>  // explicit_bzero

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <simdjson.h>
#include <spdlog/logger.h>

#include <telpolicy/explanation.hpp>

#include <telpolicy/json_writer.hpp>
#include "playground_page.hpp"

namespace telpolicy::server {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view json_type = "application/json";
constexpr std::string_view decisions_path = "/v1/decisions";
constexpr std::string_view batch_path = "/v1/decisions/batch";
constexpr std::string_view reload_path = "/v1/reload";
// The rules editor: GET rules/{plugin}; POST check, decide and test, each a try in the sandbox.
constexpr std::string_view playground_prefix = "/v1/playground/";
constexpr std::string_view playground_rules_path = "/v1/playground/rules";

// The endpoints, for routing and for metric labels (anything else is "other").
struct Endpoint {
    std::string_view path;
    http::verb method;
    std::string_view allow;  // the Allow header of a 405
};
constexpr std::array<Endpoint, 12> endpoints{{
    {"/", http::verb::get, "GET, HEAD"},
    {decisions_path, http::verb::post, "POST"},
    {batch_path, http::verb::post, "POST"},
    {"/v1/plugins", http::verb::get, "GET, HEAD"},
    {reload_path, http::verb::post, "POST"},
    {"/healthz", http::verb::get, "GET, HEAD"},
    {"/readyz", http::verb::get, "GET, HEAD"},
    {"/metrics", http::verb::get, "GET, HEAD"},
    {playground_rules_path, http::verb::get, "GET, HEAD"},
    {"/v1/playground/check", http::verb::post, "POST"},
    {"/v1/playground/decide", http::verb::post, "POST"},
    {"/v1/playground/test", http::verb::post, "POST"},
}};

// The path an endpoint is found by: /v1/playground/rules/{plugin} is one endpoint for every plugin.
std::string_view routed(std::string_view path) {
    const bool names_a_plugin = path.size() > playground_rules_path.size() && path.starts_with(playground_rules_path) &&
                                path[playground_rules_path.size()] == '/';
    return names_a_plugin ? playground_rules_path : path;
}


std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
    const std::size_t question = target.find('?');
    if (question == std::string_view::npos) return {target, {}};
    return {target.substr(0, question), target.substr(question + 1)};
}

// True when the query holds `name=true` or `name=1` (or a bare `name`).
bool query_flag(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const std::size_t equals = pair.find('=');
        if (pair.substr(0, equals) != name) continue;
        if (equals == std::string_view::npos) return true;
        const std::string_view value = pair.substr(equals + 1);
        return value == "true" || value == "1";
    }
    return false;
}

// A body may be sent without Content-Type; one that says what it is must say JSON.
bool json_or_unlabelled(const HttpRequest& request) {
    const auto found = request.find(http::field::content_type);
    if (found == request.end()) return true;
    std::string_view type = to_std(found->value());
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    return boost::beast::iequals(to_beast(type), to_beast(json_type));
}

// Compares in time that depends only on the lengths, so that a wrong token's timing says nothing
// about the right one.
bool same_secret(std::string_view given, std::string_view expected) {
    if (given.size() != expected.size()) return false;
    unsigned char difference = 0;
    for (std::size_t i = 0; i < given.size(); ++i) {
        difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
    }
    return difference == 0;
}

void set_json(HttpResponse& response, http::status status, std::string body) {
    response.result(status);
    response.set(http::field::content_type, to_beast(json_type));
    response.body() = std::move(body);
}

// The JSON text of one value of a batch, as it is in the body. A request that is not an object is
// read by the engine, which calls it request.invalid.
bool raw_text(simdjson::ondemand::value value, std::string_view& text) {
    simdjson::ondemand::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    if (type == simdjson::ondemand::json_type::object) {
        simdjson::ondemand::object object;
        return value.get_object().get(object) == simdjson::SUCCESS && object.raw_json().get(text) == simdjson::SUCCESS;
    }
    if (type == simdjson::ondemand::json_type::array) {
        simdjson::ondemand::array array;
        return value.get_array().get(array) == simdjson::SUCCESS && array.raw_json().get(text) == simdjson::SUCCESS;
    }
    text = value.raw_json_token();
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return true;
}

// The texts of a batch's requests: views into `padded` (the body, copied with simdjson's padding),
// which the caller keeps and wipes. Returns what is wrong with the batch, or an empty string.
std::string split_batch(simdjson::padded_string& padded, std::vector<std::string_view>& items) {
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document document;
    simdjson::ondemand::array array;
    if (parser.iterate(padded).get(document) != simdjson::SUCCESS || document.get_array().get(array) != simdjson::SUCCESS) {
        return "a batch is a JSON array of requests";
    }
    for (auto element : array) {
        std::string_view text;
        if (element.error() != simdjson::SUCCESS || !raw_text(element.value_unsafe(), text)) {
            // Where, but not what: the text may hold a PIN.
            return "the batch is not valid JSON after request " + std::to_string(items.size());
        }
        items.push_back(text);
    }
    // Nothing may follow the array: simdjson reports OUT_OF_BOUNDS exactly at the end of the text.
    if (document.current_location().error() == simdjson::OUT_OF_BOUNDS) return {};
    return "the batch holds something after its closing ']'";
}

}  // namespace

struct DecisionService::Decided {
    DecisionId id;
    std::string body;  // the decision (or the explanation) as JSON, one line
    bool readable{true};  // false: the request could not be read (request.invalid)
};

DecisionService::DecisionService(Engine& engine, const ServerOptions& options, const Limits& limits,
                                 ServiceMetrics& metrics, DecisionLog* log, std::shared_ptr<spdlog::logger> logger,
                                 const RulesSandbox* sandbox)
    : engine_(engine),
      options_(options),
      metrics_(metrics),
      log_(log),
      limits_(limits),
      logger_(std::move(logger)),
      playground_(engine, options.playground_rules ? sandbox : nullptr, limits) {}

const std::string& DecisionService::rules_digest() const {
    struct Cached {
        const Engine* engine{nullptr};
        std::uint64_t revision{0};
        std::string digest;
    };
    thread_local Cached cached;
    const std::uint64_t revision = engine_.revision();
    if (cached.engine != &engine_ || cached.revision != revision) {
        const LoadReport report = engine_.load_report();
        cached = {&engine_, report.revision, report.digest};
    }
    return cached.digest;
}

bool DecisionService::needs_evaluation(const HttpRequest& request) noexcept {
    if (request.method() != http::verb::post) return false;
    const std::string_view path = split_target(to_std(request.target())).first;
    // A try of edited rules waits for its sandbox, up to its time bound.
    return path == decisions_path || path == batch_path || path == reload_path || path.starts_with(playground_prefix);
}

bool DecisionService::is_probe(const HttpRequest& request) noexcept {
    const std::string_view path = split_target(to_std(request.target())).first;
    return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

void DecisionService::handle(const HttpRequest& request, HttpResponse& response) noexcept {
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    response.set(http::field::server, "telpolicy");
    const auto target = split_target(to_std(request.target()));
    const std::string_view path = target.first;
    const std::string_view query = target.second;
    const auto endpoint = std::find_if(endpoints.begin(), endpoints.end(),
                                       [at = routed(path)](const Endpoint& candidate) { return candidate.path == at; });
    const std::string_view label = endpoint == endpoints.end() ? std::string_view("other") : endpoint->path;
    try {
        if (endpoint == endpoints.end()) {
            error(http::status::not_found, "not_found",
                  "no endpoint at " + std::string(path.substr(0, 200)) +
                      "; the endpoints are /v1/decisions, /v1/decisions/batch, /v1/plugins, /v1/reload, /healthz, "
                      "/readyz, /metrics, / (the playground) and its rules editor's /v1/playground/rules/{plugin}, "
                      "/v1/playground/check, /v1/playground/decide and /v1/playground/test",
                  response);
        } else if (request.method() != endpoint->method &&
                   !(endpoint->method == http::verb::get && request.method() == http::verb::head)) {
            response.set(http::field::allow, to_beast(endpoint->allow));
            error(http::status::method_not_allowed, "method_not_allowed",
                  std::string(path) + " takes " + std::string(endpoint->allow), response);
        } else if (endpoint->method == http::verb::post && !json_or_unlabelled(request)) {
            error(http::status::unsupported_media_type, "unsupported_media_type",
                  "send the body as application/json", response);
        } else if (path == decisions_path) {
            decide(request, response, query_flag(query, "explain"));
        } else if (path == batch_path) {
            decide_batch(request, response);
        } else if (path == reload_path) {
            reload(request, response);
        } else if (endpoint->path == playground_rules_path) {
            answer(path.size() > playground_rules_path.size()
                       ? playground_.served_rules(path.substr(playground_rules_path.size() + 1))
                       : PlaygroundReply{http::status::not_found, {}, "not_found",
                                         "name the plugin: GET /v1/playground/rules/{plugin}", false},
                   response);
        } else if (path.starts_with(playground_prefix)) {
            answer(playground_.try_rules(path.substr(playground_prefix.size()), request.body()), response);
        } else if (path == "/v1/plugins") {
            set_json(response, http::status::ok, to_json(engine_.load_report()));
        } else if (path == "/healthz") {
            set_json(response, http::status::ok, R"({"status":"ok"})");
        } else if (path == "/readyz") {
            const LoadReport report = engine_.load_report();
            if (report.loaded.empty()) {
                error(http::status::service_unavailable, "not_ready",
                      "no plugin's rules are loaded; GET /v1/plugins says why", response);
            } else {
                std::string body;
                JsonWriter(body).begin_object().key("status").string("ready").key("revision").number(report.revision)
                    .key("digest").string(report.digest).end_object();
                set_json(response, http::status::ok, std::move(body));
            }
        } else if (path == "/metrics") {
            ExternalCounts counts;
            if (log_ != nullptr) counts = {log_->written(), log_->dropped(), log_->write_errors(), log_->waited()};
            response.result(http::status::ok);
            response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
            response.body() = metrics_.render(counts);
        } else {  // "/"
            response.result(http::status::ok);
            response.set(http::field::content_type, "text/html; charset=utf-8");
            // The page is self-contained: it may talk to this server and nothing else.
            response.set("Content-Security-Policy",
                         "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                         "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
                         "frame-ancestors 'none'");
            response.set("X-Content-Type-Options", "nosniff");
            response.body() = std::string(playground_page());
        }
    } catch (...) {
        // Memory ran out, or a bug: the client hears it, the server goes on.
        response.clear();
        response.set(http::field::server, "telpolicy");
        try {
            error(http::status::internal_server_error, "internal", "the server could not answer; see its log",
                  response);
        } catch (...) {
            response.result(http::status::internal_server_error);
            response.body().clear();
        }
    }
    if (request.method() == http::verb::head) {
        response.content_length(response.body().size());
        response.body().clear();
    }
    metrics_.count_response(label, response.result_int());
}

DecisionService::Decided DecisionService::decide_one(std::string_view json, std::string_view endpoint, bool explain) {
    const auto started = std::chrono::steady_clock::now();
    Decided decided{DecisionId::next(), {}, true};
    ParsedRequest parsed = parse_request(json, limits_);
    // One Decision per thread, refilled request after request (see Engine::evaluate).
    thread_local Decision kept;
    const Decision* decision = &kept;
    Explanation explanation;
    if (explain) {
        explanation = parsed.request ? engine_.explain(*parsed.request) : engine_.explain_json(json);
        decided.body = to_json(explanation);
        decision = &explanation.decision;
    } else {
        // An unreadable request goes to the engine as text, which words and logs the refusal.
        if (parsed.request) {
            engine_.evaluate(*parsed.request, kept);
        } else {
            kept = engine_.evaluate_json(json);
        }
        to_json(kept, decided.body);
    }
    // A request the engine could not read, or whose words no loaded plugin knows: request.invalid.
    decided.readable = !decision->is_invalid_request();
    const auto duration = std::chrono::steady_clock::now() - started;
    metrics_.count_decision(*decision, duration);
    if (log_ != nullptr) {
        DecisionRecord record;
        record.id = decided.id;
        record.time = std::chrono::system_clock::now();
        record.endpoint = endpoint;
        record.revision = rules_digest();
        if (parsed.request && decided.readable) {
            // The native checks' verdicts on the PIN, taken before keep_input wipes it.
            std::vector<PinCheckVerdict> verdicts =
                parsed.request->pin ? engine_.pin_check_verdicts(*parsed.request) : std::vector<PinCheckVerdict>{};
            record.keep_input(std::move(*parsed.request));
            record.pin_facts.checks = std::move(verdicts);
        }
        // Dated rules read the clock when they decided: that instant, not the log's, is the one replayed.
        if (decision->as_of) record.decided_for = *decision->as_of;
        record.decision_json = explain ? to_json(*decision) : decided.body;
        record.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(duration);
        log_->submit(std::move(record));
    }
    return decided;
}

void DecisionService::decide(const HttpRequest& request, HttpResponse& response, bool explain) {
    Decided decided = decide_one(request.body(), decisions_path, explain);
    if (!decided.readable) metrics_.count_error("request_invalid");
    response.set("Decision-Id", to_beast(decided.id.text()));
    set_json(response, decided.readable ? http::status::ok : http::status::bad_request, std::move(decided.body));
}

void DecisionService::decide_batch(const HttpRequest& request, HttpResponse& response) {
    simdjson::padded_string padded(request.body());
    // The copy may hold PINs: wiped on every way out.
    const std::unique_ptr<simdjson::padded_string, void (*)(simdjson::padded_string*)> wipe(
        &padded, [](simdjson::padded_string* text) { explicit_bzero(text->data(), text->size()); });
    std::vector<std::string_view> items;
    std::string problem = split_batch(padded, items);
    if (problem.empty() && items.size() > options_.max_batch) {
        error(http::status::payload_too_large, "batch_too_large",
              "a batch holds at most " + std::to_string(options_.max_batch) + " requests; this one holds " +
                  std::to_string(items.size()),
              response);
        return;
    }
    if (!problem.empty()) {
        metrics_.count_error("request_invalid");
        const DecisionId id = DecisionId::next();
        response.set("Decision-Id", to_beast(id.text()));
        set_json(response, http::status::bad_request, to_json(Decision::invalid_request(std::move(problem))));
        return;
    }
    std::string body;
    JsonWriter w(body);
    w.begin_object().key("decisions").begin_array();
    for (const std::string_view item : items) {
        const Decided decided = decide_one(item, batch_path, false);
        w.begin_object().key("id").string(decided.id.text()).key("decision").raw(decided.body).end_object();
    }
    w.end_array().end_object();
    set_json(response, http::status::ok, std::move(body));
}

void DecisionService::reload(const HttpRequest& request, HttpResponse& response) {
    if (options_.admin_token.empty()) {
        error(http::status::forbidden, "admin_disabled",
              "admin endpoints are off: start the server with --admin-token-file FILE or TELPOLICY_ADMIN_TOKEN",
              response);
        return;
    }
    if (const auto wait = admin_guard_.locked_for()) {
        response.set(http::field::retry_after, std::to_string(wait->count()));
        error(http::status::too_many_requests, "too_many_attempts",
              "too many failed admin authentications in a row: admin endpoints refuse every attempt for " +
                  std::to_string(wait->count()) + " more seconds",
              response);
        return;
    }
    const auto authorization = request.find(http::field::authorization);
    constexpr std::string_view scheme = "Bearer ";
    const std::string_view given =
        authorization == request.end() ? std::string_view{} : to_std(authorization->value());
    if (given.size() <= scheme.size() || !boost::beast::iequals(to_beast(given.substr(0, scheme.size())), to_beast(scheme)) ||
        !same_secret(given.substr(scheme.size()), options_.admin_token)) {
        const std::uint32_t in_a_row = admin_guard_.failed();
        if (logger_) {
            // What was wrong, never what was given: a wrong token may be a right one mistyped.
            logger_->warn("admin authentication failed on POST /v1/reload: {} ({} in a row{})",
                          authorization == request.end() ? "no Authorization header" : "the admin token is wrong",
                          in_a_row,
                          in_a_row >= AdminGuard::free_failures ? "; admin endpoints refuse every attempt for a while"
                                                                 : "");
        }
        response.set(http::field::www_authenticate, R"(Bearer realm="telpolicy admin")");
        error(http::status::unauthorized, "unauthorized",
              authorization == request.end() ? "send Authorization: Bearer <admin token>" : "the admin token is wrong",
              response);
        return;
    }
    admin_guard_.succeeded();
    const ReloadResult result = engine_.reload();
    const LoadReport report = engine_.load_report();
    std::string body;
    JsonWriter w(body);
    w.begin_object();
    w.key("applied").boolean(result.applied);
    w.key("revision").number(result.revision);
    w.key("digest").string(report.digest);
    w.key("errors").begin_array();
    for (const Diagnostic& diagnostic : result.errors) w.string(diagnostic.to_string());
    w.end_array().end_object();
    set_json(response, result.applied ? http::status::ok : http::status::unprocessable_entity, std::move(body));
}

void DecisionService::answer(const PlaygroundReply& reply, HttpResponse& response) {
    if (reply.retry_later) response.set(http::field::retry_after, "1");
    if (reply.status == http::status::ok) {
        set_json(response, http::status::ok, reply.body);
    } else {
        error(reply.status, reply.error_code, reply.error_message, response);
    }
}

void DecisionService::error(http::status status, std::string_view code, std::string_view message,
                            HttpResponse& response) {
    metrics_.count_error(code);
    std::string body;
    JsonWriter(body).begin_object().key("error").begin_object().key("code").string(code).key("message").string(message)
        .end_object().end_object();
    set_json(response, status, std::move(body));
}

void DecisionService::refuse(http::status status, std::string_view code, std::string_view message,
                             HttpResponse& response) noexcept {
    try {
        response.version(11);
        response.set(http::field::server, "telpolicy");
        response.keep_alive(false);
        error(status, code, message, response);
    } catch (...) {
        response.result(status);
    }
    metrics_.count_response("other", static_cast<unsigned>(status));
}

}  // namespace telpolicy::server
