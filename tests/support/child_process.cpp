// ChildProcess over socket pairs: a child that dies gives an error to read, never a SIGPIPE to the tests.
#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <thread>

namespace telpolicy::test {

ChildProcess::ChildProcess(const std::vector<std::string>& args) {
    int input[2];
    int output[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, input) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, output) != 0) {
        throw std::runtime_error("socketpair failed");
    }
    std::vector<std::string> argv_strings{TELPOLICY_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
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
    to_child_ = input[0];
    from_child_ = output[0];
}

ChildProcess::~ChildProcess() {
    close_input();
    if (!exit_status_ && !wait_exit(std::chrono::seconds(5))) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    close(from_child_);
}

void ChildProcess::send(std::string_view bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(to_child_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

bool ChildProcess::read_some(std::string& into, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd fd{from_child_, POLLIN, 0};
        if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[65536];
        const ssize_t n = read(from_child_, chunk, sizeof chunk);
        if (n <= 0) return false;  // the child closed its output
        into.append(chunk, static_cast<std::size_t>(n));
        return true;
    }
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const std::size_t end = unread_.find('\n');
        if (end != std::string::npos) {
            std::string line = unread_.substr(0, end);
            unread_.erase(0, end + 1);
            return line;
        }
        if (!read_some(unread_, deadline)) return std::nullopt;
    }
}

void ChildProcess::close_input() {
    if (to_child_ >= 0) close(to_child_);
    to_child_ = -1;
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
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

}  // namespace telpolicy::test
