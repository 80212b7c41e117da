// Drives `telpolicy lsp` as an editor would: a child process spoken to in LSP messages over its
// standard input and output.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"

namespace telpolicy::test {

class LspClient {
public:
    explicit LspClient(const std::vector<std::string>& extra_args = {});
    // Closes the server's input, and kills it if it has not exited five seconds later.
    ~LspClient() = default;
    LspClient(const LspClient&) = delete;
    LspClient& operator=(const LspClient&) = delete;

    void send(const nlohmann::json& message);
    void send_raw(const std::string& bytes);
    // Sends a request and waits for its response (the messages before it are kept for wait_for).
    nlohmann::json request(const std::string& method, const nlohmann::json& params);
    void notify(const std::string& method, const nlohmann::json& params);
    // initialize, then initialized.
    nlohmann::json initialize();

    // The first message (kept or still to come) that `matches`, within `timeout`.
    std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& matches,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // The publishDiagnostics for `uri` that `matches`, within the timeout.
    std::optional<nlohmann::json> wait_for_diagnostics(
        const std::string& uri, const std::function<bool(const nlohmann::json&)>& matches = {});
    // The exit status once the server has exited; nullopt if it is still running after `timeout`.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Closes the server's standard input.
    void close_input();

private:
    std::optional<nlohmann::json> read_message(std::chrono::steady_clock::time_point deadline);

    ChildProcess process_;
    int next_id_{1};
    std::string buffer_;
    std::vector<nlohmann::json> kept_;
};

// "file://" and the absolute path.
std::string file_uri(const std::string& path);

}  // namespace telpolicy::test
