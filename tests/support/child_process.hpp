// A telpolicy child process that a test speaks to over its standard input and output, as an editor
// speaks to `telpolicy lsp` or a script feeds `eval --batch` one line at a time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telpolicy::test {

class ChildProcess {
public:
    // Starts TELPOLICY_BINARY with `args`; its standard error goes to /dev/null.
    explicit ChildProcess(const std::vector<std::string>& args);
    // Closes its input, and kills it if it has not exited five seconds later.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Writes all of `bytes` (or stops when the child has gone: the test sees it in what it reads).
    void send(std::string_view bytes);
    // Appends what the child writes next to `into`; false once the child has closed its output or
    // nothing came before `deadline`.
    bool read_some(std::string& into, std::chrono::steady_clock::time_point deadline);
    // The next line the child writes (without its "\n"), within `timeout`.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    void close_input();
    // The exit status once the child has exited; nullopt if it is still running after `timeout`.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20));

private:
    int pid_{-1};
    int to_child_{-1};
    int from_child_{-1};
    std::string unread_;  // read_line's: output read past the last line handed out
    std::optional<int> exit_status_;
};

}  // namespace telpolicy::test
