// The language server's session: the LSP lifecycle, the documents the editor has open, and the
// checker thread that publishes validate's diagnostics once the author stops typing.
#include "lsp_server.hpp"

#include "file_uri.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <telpolicy/authoring.hpp>

#include "lsp_cursor_context.hpp"
#include "lsp_features.hpp"

namespace telpolicy::cli::lsp {
namespace {

using nlohmann::json;

// JSON-RPC 2.0 and LSP 3.17 error codes.
constexpr int parse_error = -32700;
constexpr int invalid_request = -32600;
constexpr int method_not_found = -32601;
constexpr int invalid_params = -32602;
constexpr int internal_error = -32603;
constexpr int server_not_initialized = -32002;

// DiagnosticSeverity and TextDocumentSyncKind of LSP 3.17.
constexpr int severity_error = 1;
constexpr int severity_warning = 2;
constexpr int sync_full = 1;

// JSON escapes a byte in up to six: a rules file at its size limit still fits in one message.
std::size_t max_message_bytes(const Limits& limits) { return limits.max_rules_file_bytes * 6 + (std::size_t{1} << 16); }

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Policy tests files are YAML beside the rules, but not rules files: the rules checks would only
// mislead there.
bool is_tests_file(std::string_view uri) { return ends_with(uri, ".tests.yaml") || ends_with(uri, ".tests.yml"); }

// The file a URI names: a file: URI decoded, or, for an unsaved buffer (`untitled:Untitled-1`), its
// last segment, so that diagnostics still name something.
std::filesystem::path path_from_uri(std::string_view uri) {
    if (auto path = path_from_file_uri(uri); path && !path->empty()) return *path;
    const std::size_t last = uri.find_last_of("/:");
    const std::string_view name = last == std::string_view::npos ? uri : uri.substr(last + 1);
    return name.empty() ? std::filesystem::path("untitled.yaml") : std::filesystem::path(name);
}

// The member `key` of `object`; null when either is missing (a const json's operator[] must never
// be asked for a key it does not hold).
const json& member(const json& object, const char* key) {
    static const json none;
    if (!object.is_object()) return none;
    const auto found = object.find(key);
    return found == object.end() ? none : *found;
}

json lsp_diagnostics(const std::vector<Diagnostic>& diagnostics, const TextLines& lines) {
    json out = json::array();
    for (const Diagnostic& diagnostic : diagnostics) {
        TextSpan span;  // 0:0 for the whole file
        if (diagnostic.line > 0) {
            span.line = static_cast<std::size_t>(diagnostic.line - 1);
            span.byte_column = diagnostic.column > 0 ? static_cast<std::size_t>(diagnostic.column - 1) : 0;
            // Underline the word the problem starts at, if any.
            const WordAt word = word_at(lines.line(span.line), span.byte_column);
            if (!word.text.empty() && word.byte_column == span.byte_column) span.byte_length = word.text.size();
        }
        out.push_back({{"range", range_of(lines, span)},
                       {"severity", diagnostic.severity == Severity::error ? severity_error : severity_warning},
                       {"source", "telpolicy"},
                       {"code", diagnostic.code_or_default()},
                       {"message", diagnostic.message}});
    }
    return out;
}

std::optional<Position> position_in(const json& params) {
    const json& line = member(member(params, "position"), "line");
    const json& character = member(member(params, "position"), "character");
    if (!line.is_number_unsigned() || !character.is_number_unsigned()) return std::nullopt;
    return Position{line.get<std::size_t>(), character.get<std::size_t>()};
}

std::string uri_in(const json& params) {
    const json& uri = member(member(params, "textDocument"), "uri");
    return uri.is_string() ? uri.get<std::string>() : std::string();
}

std::optional<std::int64_t> version_in(const json& params) {
    const json& version = member(member(params, "textDocument"), "version");
    if (version.is_number_integer()) return version.get<std::int64_t>();
    return std::nullopt;
}

}  // namespace

LanguageServer::LanguageServer(std::istream& in, std::ostream& out, ServerOptions options,
                               std::shared_ptr<spdlog::logger> log)
    : reader_(in, max_message_bytes(options.limits)),
      writer_(out),
      options_(options),
      log_(std::move(log)),
      checker_([this] { check_when_quiet(); }) {}

LanguageServer::~LanguageServer() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    checker_.join();
}

int LanguageServer::run() {
    while (auto message = reader_.next()) {
        if (!message->problem.empty()) {
            log_->warn("lsp: skipped a message: {}", message->problem);
            respond_error(nullptr, parse_error, message->problem);
            continue;
        }
        json parsed = json::parse(message->body, nullptr, false);
        if (parsed.is_discarded()) {
            log_->warn("lsp: a message that is not JSON ({} bytes)", message->body.size());
            respond_error(nullptr, parse_error, "the message is not JSON");
            continue;
        }
        if (member(parsed, "method") == "exit") return shut_down_ ? 0 : 1;
        dispatch(parsed);
    }
    return shut_down_ ? 0 : 1;  // the client went away: as if it had sent exit
}

void LanguageServer::dispatch(const json& message) {
    if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
        // A response to a request of ours (we send none), or not JSON-RPC at all.
        if (message.is_object() && message.contains("id") && !message.contains("result") && !message.contains("error")) {
            respond_error(message["id"], invalid_request, "a request needs a method");
        } else if (!message.is_object()) {
            respond_error(nullptr, invalid_request, "a message must be a JSON object");
        }
        return;
    }
    const std::string method = message["method"].get<std::string>();
    const json& params = member(message, "params");
    const bool is_request = message.contains("id") && (message["id"].is_number_integer() || message["id"].is_string());
    log_->debug("lsp: {}", method);
    try {
        if (!is_request) {
            handle_notification(method, params);
            return;
        }
        const json& id = message["id"];
        if (!initialized_ && method != "initialize") {
            respond_error(id, server_not_initialized, "initialize first");
        } else if (shut_down_) {
            respond_error(id, invalid_request, "the server is shut down; only exit is expected");
        } else if (auto result = handle_request(method, params)) {
            respond(id, std::move(*result));
        } else {
            respond_error(id, method_not_found, "unknown method " + method);
        }
    } catch (const nlohmann::json::exception& error) {
        // A message of the wrong shape (a number where text was due): answered, never fatal.
        log_->warn("lsp: {} failed: {}", method, error.what());
        if (is_request) respond_error(message["id"], invalid_params, std::string("bad parameters: ") + error.what());
    } catch (const std::exception& error) {
        log_->error("lsp: {} failed: {}", method, error.what());
        if (is_request) respond_error(message["id"], internal_error, error.what());
    }
}

std::optional<json> LanguageServer::handle_request(const std::string& method, const json& params) {
    if (method == "initialize") {
        initialized_ = true;
        return json{
            {"capabilities",
             {{"textDocumentSync", {{"openClose", true}, {"change", sync_full}}},
              {"completionProvider", {{"triggerCharacters", {" ", "[", ",", "{"}}}},
              {"hoverProvider", true},
              {"definitionProvider", true}}},
            {"serverInfo", {{"name", "telpolicy"}}}};
    }
    if (method == "shutdown") {
        shut_down_ = true;
        return json(nullptr);
    }
    if (method == "textDocument/completion" || method == "textDocument/hover" || method == "textDocument/definition") {
        OpenDocument* document = document_at(params);
        const std::optional<Position> position = position_in(params);
        if (!document || !position) return json(nullptr);
        const TextLines lines(document->text);
        const auto outline = outline_for(uri_in(params), *document, position->line);
        if (method == "textDocument/completion") return complete(lines, outline.get(), *position);
        if (method == "textDocument/hover") return hover(lines, outline.get(), *position);
        return definition(lines, outline.get(), uri_in(params), *position);
    }
    return std::nullopt;
}

void LanguageServer::handle_notification(const std::string& method, const json& params) {
    if (!initialized_) return;  // LSP: notifications before initialize are dropped
    if (method == "textDocument/didOpen") open(params);
    if (method == "textDocument/didChange") change(params);
    if (method == "textDocument/didClose") close(params);
    // initialized, didSave, $/cancelRequest, $/setTrace and the like need nothing from us.
}

void LanguageServer::open(const json& params) {
    const std::string uri = uri_in(params);
    const json& text = member(member(params, "textDocument"), "text");
    if (uri.empty() || !text.is_string()) return;
    OpenDocument& opened = documents_[uri];
    opened = OpenDocument{text.get<std::string>(), nullptr, false};
    schedule(uri, opened.text, version_in(params), Clock::duration::zero());
}

void LanguageServer::change(const json& params) {
    OpenDocument* document = document_at(params);
    const json& changes = member(params, "contentChanges");
    if (!document || !changes.is_array()) return;
    for (const json& change : changes) {
        const json& new_text = member(change, "text");
        if (!new_text.is_string()) continue;
        std::string text = new_text.get<std::string>();
        if (const json& range = member(change, "range"); range.is_object()) {
            // An incremental change, though we ask for whole texts: applied all the same.
            const TextLines lines(document->text);
            const auto offset = [&](const json& at) {
                const json& line = member(at, "line");
                const json& character = member(at, "character");
                return lines.offset_of(line.is_number_unsigned() ? line.get<std::size_t>() : 0,
                                       character.is_number_unsigned() ? character.get<std::size_t>() : 0);
            };
            const std::size_t start = offset(member(range, "start"));
            const std::size_t end = std::max(start, offset(member(range, "end")));
            document->text.replace(start, end - start, text);
        } else {
            document->text = std::move(text);
        }
        document->outline_current = false;
    }
    schedule(uri_in(params), document->text, version_in(params), options_.quiet_period);
}

void LanguageServer::close(const json& params) {
    const std::string uri = uri_in(params);
    if (documents_.erase(uri) == 0) return;
    {
        const std::lock_guard lock(mutex_);
        checks_.erase(uri);
    }
    publish(uri, std::nullopt, json::array());  // an editor keeps diagnostics until told otherwise
}

void LanguageServer::schedule(const std::string& uri, const std::string& text, std::optional<std::int64_t> version,
                              Clock::duration delay) {
    {
        const std::lock_guard lock(mutex_);
        PendingCheck& check = checks_[uri];
        check.text = text;
        check.version = version;
        check.generation = ++generations_;
        check.due = Clock::now() + delay;
        check.waiting = true;
    }
    wake_.notify_all();
}

LanguageServer::OpenDocument* LanguageServer::document_at(const json& params) {
    const auto found = documents_.find(uri_in(params));
    return found == documents_.end() ? nullptr : &found->second;
}

// The outline of the current text; while it does not parse (a `[` just typed), of the text without
// the cursor's line; failing that, of the last text the checker saw parse.
std::shared_ptr<const DocumentOutline> LanguageServer::outline_for(const std::string& uri, OpenDocument& document,
                                                                   std::size_t cursor_line) {
    if (document.outline_current) return document.outline;
    if (auto outline = outline_document(document.text, options_.limits)) {
        document.outline = std::make_shared<const DocumentOutline>(std::move(*outline));
        document.outline_current = true;
        return document.outline;
    }
    const TextLines lines(document.text);
    if (cursor_line < lines.count()) {
        std::string without_cursor_line = document.text;
        without_cursor_line.erase(lines.offset_of(cursor_line, 0), lines.line(cursor_line).size());
        if (auto outline = outline_document(without_cursor_line, options_.limits)) {
            return std::make_shared<const DocumentOutline>(std::move(*outline));
        }
    }
    const std::lock_guard lock(mutex_);
    const auto found = checks_.find(uri);
    return found == checks_.end() ? nullptr : found->second.last_good;
}

void LanguageServer::check_when_quiet() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto next = checks_.end();
        for (auto it = checks_.begin(); it != checks_.end(); ++it) {
            if (it->second.waiting && (next == checks_.end() || it->second.due < next->second.due)) next = it;
        }
        if (next == checks_.end()) {
            wake_.wait(lock);
            continue;
        }
        if (Clock::now() < next->second.due) {
            wake_.wait_until(lock, next->second.due);
            continue;  // a change may have moved the time, or closed the document
        }
        next->second.waiting = false;
        const std::string uri = next->first;
        const std::string text = next->second.text;
        const std::optional<std::int64_t> version = next->second.version;
        const std::uint64_t generation = next->second.generation;
        lock.unlock();

        json diagnostics = json::array();
        std::shared_ptr<const DocumentOutline> outline;
        if (!is_tests_file(uri)) {
            const RulesCheck check = check_rules_text(text, path_from_uri(uri), options_.limits);
            diagnostics = lsp_diagnostics(check.diagnostics, TextLines(text));
            if (auto parsed = outline_document(text, options_.limits)) {
                outline = std::make_shared<const DocumentOutline>(std::move(*parsed));
            }
        }

        lock.lock();
        // Published under the lock, so that a close or a newer text always has the last word.
        const auto current = checks_.find(uri);
        if (current != checks_.end()) {
            if (outline) current->second.last_good = std::move(outline);
            if (current->second.generation == generation) publish(uri, version, std::move(diagnostics));
        }
    }
}

void LanguageServer::publish(const std::string& uri, std::optional<std::int64_t> version, json diagnostics) {
    json params{{"uri", uri}, {"diagnostics", std::move(diagnostics)}};
    if (version) params["version"] = *version;
    send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", std::move(params)}});
}

void LanguageServer::respond(const json& id, json result) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void LanguageServer::respond_error(const json& id, int code, const std::string& message) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void LanguageServer::send(const json& message) {
    // Messages quote the file (ids, keys); a file that is not UTF-8 must not stop the server.
    writer_.write(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace telpolicy::cli::lsp

namespace telpolicy::cli {

int run_lsp(const Limits& limits, std::shared_ptr<spdlog::logger> log) {
    lsp::ServerOptions options;
    options.limits = limits;
    lsp::LanguageServer server(std::cin, std::cout, options, std::move(log));
    return server.run();
}

}  // namespace telpolicy::cli
