// The LSP client of the language server's tests: framing, requests and waiting, over a ChildProcess.
#include "lsp_client.hpp"

#include <filesystem>

namespace telpolicy::test {

using nlohmann::json;

LspClient::LspClient(const std::vector<std::string>& extra_args) : process_([&] {
    std::vector<std::string> args{"lsp"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return args;
}()) {}

void LspClient::send_raw(const std::string& bytes) { process_.send(bytes); }

void LspClient::send(const json& message) {
    // Tests send broken texts: bytes that are not UTF-8 go as U+FFFD, as an editor would send them.
    const std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
    send_raw("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

void LspClient::notify(const std::string& method, const json& params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

json LspClient::request(const std::string& method, const json& params) {
    const int id = next_id_++;
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
    auto response = wait_for([id](const json& m) { return m.contains("id") && m["id"] == id && !m.contains("method"); });
    return response ? *response : json();
}

json LspClient::initialize() {
    json response = request("initialize", {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", json::object()}});
    notify("initialized", json::object());
    return response;
}

std::optional<json> LspClient::read_message(std::chrono::steady_clock::time_point deadline) {
    while (true) {
        const std::size_t header_end = buffer_.find("\r\n\r\n");
        if (header_end != std::string::npos) {
            const std::string header = buffer_.substr(0, header_end);
            const std::size_t at = header.find("Content-Length: ");
            const std::size_t length = at == std::string::npos ? 0 : std::stoul(header.substr(at + 16));
            if (buffer_.size() >= header_end + 4 + length) {
                json message = json::parse(buffer_.substr(header_end + 4, length), nullptr, false);
                buffer_.erase(0, header_end + 4 + length);
                return message;
            }
        }
        if (!process_.read_some(buffer_, deadline)) return std::nullopt;  // closed its output, or timed out
    }
}

std::optional<json> LspClient::wait_for(const std::function<bool(const json&)>& matches,
                                        std::chrono::milliseconds timeout) {
    for (auto it = kept_.begin(); it != kept_.end(); ++it) {
        if (matches(*it)) {
            json found = std::move(*it);
            kept_.erase(it);
            return found;
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (auto message = read_message(deadline)) {
        if (matches(*message)) return message;
        kept_.push_back(std::move(*message));
    }
    return std::nullopt;
}

std::optional<json> LspClient::wait_for_diagnostics(const std::string& uri,
                                                    const std::function<bool(const json&)>& matches) {
    return wait_for([&](const json& m) {
        return m.value("method", "") == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri &&
               (!matches || matches(m["params"]));
    });
}

std::optional<int> LspClient::wait_exit(std::chrono::milliseconds timeout) { return process_.wait_exit(timeout); }

void LspClient::close_input() { process_.close_input(); }

std::string file_uri(const std::string& path) { return "file://" + std::filesystem::absolute(path).string(); }

}  // namespace telpolicy::test
