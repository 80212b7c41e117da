// The sandbox's child: forked and at once replaced by the command (nothing but async-signal-safe
// calls between fork and exec, as the server has many threads), its limits set in between; the
// parent feeds its stdin and drains its stdout and stderr with poll until it exits or runs out of time.
#include "rules_sandbox.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace telpolicy::server {
namespace {

// AddressSanitizer and ThreadSanitizer reserve terabytes of address space at start: under them an
// address-space bound would stop every child, so only the time bounds hold.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool bound_address_space = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
constexpr bool bound_address_space = false;
#else
constexpr bool bound_address_space = true;
#endif
#else
constexpr bool bound_address_space = true;
#endif

// A descriptor closed when it goes out of scope.
class Descriptor {
public:
    Descriptor() = default;
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() { reset(); }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    Descriptor(Descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Descriptor& operator=(Descriptor&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    [[nodiscard]] int get() const noexcept { return fd_; }
    void reset() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_{-1};
};

void set_non_blocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

struct ChildLimits {
    rlimit cpu;
    rlimit memory;
    bool bound_memory;
};

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void become_command(char* const* argv, int in, int out, int err, const ChildLimits& limits) {
    // A process group of its own: whatever it starts is stopped with it.
    ::setpgid(0, 0);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    // Nothing of the server's (its sockets, its decision log) reaches the child.
    ::close_range(3, ~0U, 0);
    // The server's threads block signals for asio; the child must hear SIGXCPU.
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    const rlimit no_core_file{0, 0};  // a try stopped by its bounds leaves nothing on disk
    // Unbounded, a try would not run at all (a seccomp filter may forbid setrlimit: see
    // deploy/systemd/telpolicy.service).
    if (::setrlimit(RLIMIT_CPU, &limits.cpu) != 0 || (limits.bound_memory && ::setrlimit(RLIMIT_AS, &limits.memory) != 0) ||
        ::setrlimit(RLIMIT_CORE, &no_core_file) != 0) {
        constexpr char message[] = "telpolicy: the playground's sandbox could not set its CPU and memory bounds\n";
        (void)!::write(STDERR_FILENO, message, sizeof message - 1);
        ::_exit(126);
    }
    ::execv(argv[0], argv);
    constexpr char message[] = "telpolicy: the playground's sandbox could not run its command\n";
    (void)!::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(127);
}

struct Running {
    std::atomic<unsigned>& count;
    ~Running() { --count; }
};

std::string megabytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

RulesSandbox::RulesSandbox(std::vector<std::string> command, SandboxLimits limits)
    : command_(std::move(command)), limits_(limits) {}

SandboxResult RulesSandbox::run(std::string_view input) const {
    SandboxResult result;
    if (running_.fetch_add(1) >= limits_.concurrent) {
        --running_;
        result.outcome = SandboxResult::Outcome::busy;
        result.message = std::to_string(limits_.concurrent) + " tries of edited rules are running; try again in a moment";
        return result;
    }
    const Running running{running_};
    const auto fail = [&](std::string why) {
        result.outcome = SandboxResult::Outcome::failed;
        result.message = std::move(why) + ": " + std::strerror(errno);
        return result;
    };

    // stdin through a socket, so that writing to a child that died is an error (MSG_NOSIGNAL)
    // rather than a SIGPIPE that would stop the server.
    std::array<int, 2> in_pair{};
    std::array<int, 2> out_pipe{};
    std::array<int, 2> err_pipe{};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair.data()) != 0) return fail("socketpair");
    Descriptor to_child(in_pair[0]);
    Descriptor child_in(in_pair[1]);
    if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0) return fail("pipe");
    Descriptor from_child(out_pipe[0]);
    Descriptor child_out(out_pipe[1]);
    if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0) return fail("pipe");
    Descriptor errors_from_child(err_pipe[0]);
    Descriptor child_err(err_pipe[1]);

    std::vector<char*> argv;
    for (const std::string& word : command_) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    const auto cpu_seconds = static_cast<rlim_t>((limits_.wall.count() + 999) / 1000);
    // CPU soft: SIGXCPU; a second later, hard: SIGKILL, for a child that ignores the first.
    const ChildLimits child_limits{{cpu_seconds, cpu_seconds + 1},
                                   {limits_.memory_bytes, limits_.memory_bytes},
                                   bound_address_space};

    const auto started = std::chrono::steady_clock::now();
    const pid_t child = ::fork();
    if (child < 0) return fail("fork");
    if (child == 0) {
        become_command(argv.data(), child_in.get(), child_out.get(), child_err.get(), child_limits);
    }
    child_in.reset();
    child_out.reset();
    child_err.reset();
    set_non_blocking(to_child.get());
    set_non_blocking(from_child.get());
    set_non_blocking(errors_from_child.get());

    const auto deadline = started + limits_.wall;
    std::string errors;
    std::size_t written = 0;
    bool over_time = false;
    bool too_much_output = false;
    if (input.empty()) to_child.reset();
    std::array<char, 1 << 16> chunk{};
    while (from_child.get() >= 0 || errors_from_child.get() >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            over_time = true;
            break;
        }
        std::array<pollfd, 3> watched{{{to_child.get(), POLLOUT, 0},
                                       {from_child.get(), POLLIN, 0},
                                       {errors_from_child.get(), POLLIN, 0}}};
        if (::poll(watched.data(), watched.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) break;
        if (watched[0].revents != 0) {
            const ssize_t sent = ::send(to_child.get(), input.data() + written, input.size() - written,
                                        MSG_NOSIGNAL | MSG_DONTWAIT);
            if (sent > 0) written += static_cast<std::size_t>(sent);
            // All sent, or the child stopped reading: it hears the end of its input either way.
            if (written == input.size() || (sent < 0 && errno != EAGAIN && errno != EINTR)) to_child.reset();
        }
        for (auto [index, target] : {std::pair<std::size_t, std::string*>{1, &result.output}, {2, &errors}}) {
            if (watched[index].revents == 0) continue;
            Descriptor& source = index == 1 ? from_child : errors_from_child;
            const ssize_t got = ::read(source.get(), chunk.data(), chunk.size());
            if (got > 0) {
                // stderr is for the reason of a failure: its first few kilobytes are enough.
                const std::size_t room = index == 1 ? limits_.output_bytes + 1 : 4096;
                target->append(chunk.data(), std::min(static_cast<std::size_t>(got), room - std::min(room, target->size())));
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                source.reset();
            }
        }
        if (result.output.size() > limits_.output_bytes) {
            too_much_output = true;
            break;
        }
    }
    to_child.reset();
    // The child closed its output: it is ending. Give it until the deadline to be gone.
    int status = 0;
    pid_t waited = 0;
    while ((waited = ::waitpid(child, &status, WNOHANG)) == 0) {
        if (over_time || too_much_output || std::chrono::steady_clock::now() >= deadline) {
            over_time = over_time || !too_much_output;
            ::kill(-child, SIGKILL);
            ::kill(child, SIGKILL);
            waited = ::waitpid(child, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (waited < 0) return fail("waitpid");

    const auto ms = limits_.wall.count();
    const std::string bound = ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    if (too_much_output) {
        result.outcome = SandboxResult::Outcome::failed;
        result.message = "the try wrote more than " + megabytes(limits_.output_bytes) + " of answer, and was stopped";
    } else if (over_time || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))) {
        result.outcome = SandboxResult::Outcome::over_time;
        result.message = "the try took longer than its bound of " + bound +
                         " (wall-clock and CPU time) and was stopped; the served rules are unchanged";
    } else if (errors.find("bad_alloc") != std::string::npos) {
        result.outcome = SandboxResult::Outcome::over_memory;
        result.message = "the try needed more memory than its bound of " + megabytes(limits_.memory_bytes) +
                         " and was stopped; the served rules are unchanged";
    } else if (WIFEXITED(status)) {
        result.outcome = SandboxResult::Outcome::finished;
        result.exit_code = WEXITSTATUS(status);
        result.message = errors;
    } else {
        result.outcome = SandboxResult::Outcome::failed;
        result.message = "the try stopped on signal " + std::to_string(WTERMSIG(status)) +
                         (errors.empty() ? std::string() : ": " + errors.substr(0, errors.find('\n')));
    }
    return result;
}

}  // namespace telpolicy::server
