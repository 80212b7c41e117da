// `telpolicy lsp`: a language server for rules files (LSP 3.17 over a pair of streams). Diagnostics
// are validate's own, checked on a worker thread once the author pauses; completion, hover and
// definition come from what the file defines.
#pragma once

#include <chrono>
#include <condition_variable>
#include <istream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include <telpolicy/limits.hpp>

#include "lsp_document.hpp"
#include "lsp_transport.hpp"

namespace telpolicy::cli::lsp {

struct ServerOptions {
    Limits limits;  // the rules files' limits, as validate applies them
    // How long the text must stay unchanged before it is checked: a burst of keystrokes is one check.
    std::chrono::milliseconds quiet_period{250};
};

class LanguageServer {
public:
    LanguageServer(std::istream& in, std::ostream& out, ServerOptions options, std::shared_ptr<spdlog::logger> log);
    ~LanguageServer();
    LanguageServer(const LanguageServer&) = delete;
    LanguageServer& operator=(const LanguageServer&) = delete;

    // Serves until `exit` or the end of the input: 0 after a shutdown request, 1 without (LSP 3.17).
    int run();

private:
    using Clock = std::chrono::steady_clock;

    // The main thread's view of an open document.
    struct OpenDocument {
        std::string text;
        std::shared_ptr<const DocumentOutline> outline;  // of the current text, when outline_current
        bool outline_current{false};
    };
    // A text waiting for the checker.
    struct PendingCheck {
        std::string text;
        std::optional<std::int64_t> version;
        std::uint64_t generation{0};  // changes with every text, so that a stale check is never published
        Clock::time_point due;
        bool waiting{false};
        // The outline of the last text the checker saw parse: what completion falls back on while
        // the text being typed does not parse.
        std::shared_ptr<const DocumentOutline> last_good;
    };

    void dispatch(const nlohmann::json& message);
    std::optional<nlohmann::json> handle_request(const std::string& method, const nlohmann::json& params);
    void handle_notification(const std::string& method, const nlohmann::json& params);
    void open(const nlohmann::json& params);
    void change(const nlohmann::json& params);
    void close(const nlohmann::json& params);
    void schedule(const std::string& uri, const std::string& text, std::optional<std::int64_t> version,
                  Clock::duration delay);
    OpenDocument* document_at(const nlohmann::json& params);
    std::shared_ptr<const DocumentOutline> outline_for(const std::string& uri, OpenDocument& document,
                                                       std::size_t cursor_line);

    void check_when_quiet();
    void publish(const std::string& uri, std::optional<std::int64_t> version, nlohmann::json diagnostics);
    void respond(const nlohmann::json& id, nlohmann::json result);
    void respond_error(const nlohmann::json& id, int code, const std::string& message);
    void send(const nlohmann::json& message);

    MessageReader reader_;
    MessageWriter writer_;
    ServerOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    bool initialized_{false};
    bool shut_down_{false};
    std::map<std::string, OpenDocument> documents_;  // the main thread's only

    std::mutex mutex_;  // guards what follows, shared with the checker
    std::condition_variable wake_;
    std::map<std::string, PendingCheck> checks_;  // one per open document
    std::uint64_t generations_{0};
    bool stopping_{false};
    std::thread checker_;  // last: started once everything it uses exists
};

}  // namespace telpolicy::cli::lsp
