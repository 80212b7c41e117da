// The LSP client of the language server's tests: framing, requests and waiting, over socket pairs
// (a server that dies gives an error to read, never a SIGPIPE to the tests).
#include "lsp_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace telpolicy::test {

using nlohmann::json;

LspClient::LspClient(const std::vector<std::string>& extra_args) {
    int input[2];
    int output[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, input) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, output) != 0) {
        throw std::runtime_error("socketpair failed");
    }
    std::vector<std::string> argv_strings{TELPOLICY_BINARY, "lsp"};
    argv_strings.insert(argv_strings.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
        dup2(input[1], STDIN_FILENO);
        dup2(output[1], STDOUT_FILENO);
        const int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, STDERR_FILENO);
        for (int fd : {input[0], input[1], output[0], output[1]}) close(fd);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(input[1]);
    close(output[1]);
    to_server_ = input[0];
    from_server_ = output[0];
}

LspClient::~LspClient() {
    if (to_server_ >= 0) close(to_server_);
    if (!exit_status_ && !wait_exit(std::chrono::seconds(5))) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    close(from_server_);
}

void LspClient::send_raw(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(to_server_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;  // the server is gone: the test sees it in what it reads
        sent += static_cast<std::size_t>(n);
    }
}

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
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd fd{from_server_, POLLIN, 0};
        if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[65536];
        const ssize_t n = read(from_server_, chunk, sizeof chunk);
        if (n <= 0) return std::nullopt;  // the server closed its output
        buffer_.append(chunk, static_cast<std::size_t>(n));
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

std::optional<int> LspClient::wait_exit(std::chrono::milliseconds timeout) {
    if (exit_status_) return exit_status_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return exit_status_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
}

void LspClient::close_input() {
    if (to_server_ >= 0) close(to_server_);
    to_server_ = -1;
}

std::string file_uri(const std::string& path) { return "file://" + std::filesystem::absolute(path).string(); }

}  // namespace telpolicy::test
