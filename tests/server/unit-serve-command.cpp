// `telpolicy serve` as a command: the line it prints when it listens, SIGTERM, and a clear error with
// exit status 2 for every unusable argument.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "run_command.hpp"
#include "test_engine.hpp"

extern char** environ;

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> serve_args(std::vector<std::string> extra) {
    std::vector<std::string> args{"serve", "--plugins", TELPOLICY_TEST_PLUGIN_DIR, "--rules", TELPOLICY_TEST_RULES_DIR};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// A `telpolicy serve` in the background; its first line of output says where it listens.
class ServeProcess {
public:
    explicit ServeProcess(const std::vector<std::string>& args) {
        int pipe_ends[2];
        if (::pipe(pipe_ends) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
        std::vector<std::string> all{TELPOLICY_BINARY};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (std::string& arg : all) argv.push_back(arg.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, TELPOLICY_BINARY, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
        ::close(pipe_ends[1]);
        output_ = ::fdopen(pipe_ends[0], "r");
    }
    ~ServeProcess() {
        if (pid_ > 0 && !waited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (output_ != nullptr) std::fclose(output_);
    }

    std::string first_line() {
        char line[256] = {};
        return std::fgets(line, sizeof line, output_) != nullptr ? std::string(line) : std::string();
    }

    void signal(int number) { ::kill(pid_, number); }

    // kill -9, and wait for it to be gone.
    void kill_now() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        waited_ = true;
    }

    int terminate() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        waited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }

private:
    pid_t pid_{-1};
    bool waited_{false};
    std::FILE* output_{nullptr};
};

TEST(ServeCommand, SaysWhereItListensServesAndStopsOnSigterm) {
    ServeProcess serve(serve_args({"--listen", "127.0.0.1:0"}));
    const std::string line = serve.first_line();
    ASSERT_THAT(line, ::testing::StartsWith("telpolicy: listening on http://127.0.0.1:"));
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    const HttpReply reply =
        http_request(port, "POST", "/v1/decisions", R"({"country":"US","action":"port_in","number_type":"user"})");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_THAT(reply.body, HasSubstr("\"allowed\":true"));
    EXPECT_EQ(serve.terminate(), 0);
}

TEST(ServeCommand, AdminTokenFromAFileOrTheEnvironment) {
    const auto dir = make_temp_dir("telpolicy-serve-token");
    const auto token_file = dir / "token";
    std::ofstream(token_file) << "from-the-file\n";
    ServeProcess serve(serve_args({"--listen", "127.0.0.1:0", "--admin-token-file", token_file.string()}));
    const std::string line = serve.first_line();
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    EXPECT_EQ(http_request(port, "POST", "/v1/reload", "", {{"Authorization", "Bearer from-the-file"}}).status, 200u);
    EXPECT_EQ(http_request(port, "POST", "/v1/reload", "", {{"Authorization", "Bearer from-the-fil"}}).status, 401u);
    serve.terminate();
    std::filesystem::remove_all(dir);

    ::setenv("TELPOLICY_ADMIN_TOKEN", "from-the-environment", 1);
    ServeProcess from_environment(serve_args({"--listen", "127.0.0.1:0"}));
    ::unsetenv("TELPOLICY_ADMIN_TOKEN");
    const std::string second_line = from_environment.first_line();
    const auto second_port = static_cast<std::uint16_t>(std::stoi(second_line.substr(second_line.rfind(':') + 1)));
    EXPECT_EQ(
        http_request(second_port, "POST", "/v1/reload", "", {{"Authorization", "Bearer from-the-environment"}}).status,
        200u);
}

TEST(ServeCommand, TimeoutsAreGivenInSeconds) {
    ServeProcess serve(serve_args({"--listen", "127.0.0.1:0", "--request-timeout", "0.2", "--idle-timeout", "0.2"}));
    const std::string line = serve.first_line();
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    // raw_exchange gives up after 5 s: a 408 within them says 0.2 was read as seconds, not 200 s.
    const std::string reply = raw_exchange(port, {"POST /v1/decisions HTTP/1.1\r\n"});
    EXPECT_THAT(reply, ::testing::StartsWith("HTTP/1.1 408"));
    EXPECT_EQ(serve.terminate(), 0);
}

std::uint16_t port_of(ServeProcess& serve) {
    const std::string line = serve.first_line();
    if (line.rfind(':') == std::string::npos) throw std::runtime_error("serve did not start: " + line);
    return static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
}

TEST(ServeCommand, TheConnectionLimitAndTheEvaluationQueueAreFlags) {
    ServeProcess serve(serve_args({"--listen", "127.0.0.1:0", "--max-connections", "5", "--probe-connections", "2",
                                   "--eval-threads", "1", "--max-queued-requests", "3"}));
    const HttpReply metrics = http_request(port_of(serve), "GET", "/metrics");
    EXPECT_THAT(metrics.body, HasSubstr("\ntelpolicy_connections_max 5\n"));
    EXPECT_EQ(serve.terminate(), 0);

    const CommandResult zero = run_telpolicy({"serve", "--listen", "127.0.0.1:0", "--max-connections", "0"});
    EXPECT_EQ(zero.exit_code, 2);
    EXPECT_THAT(zero.err, HasSubstr("--max-connections"));
}

// kill -9 while decisions are being logged, six times over, with a restart after each: the log's
// lines are whole, each one JSON object. Before, 3 kills in 6 left a half-written last line, and the
// first record after the restart was glued onto it.
TEST(ServeCommand, KillNineNeverLeavesATornLineInTheDecisionLog) {
    const auto dir = make_temp_dir("telpolicy-serve-kill");
    const auto log = dir / "decisions.jsonl";
    const std::vector<std::string> logged = {"--listen", "127.0.0.1:0", "--decision-log", log.string(),
                                             "--decision-log-full", "block"};
    for (int round = 0; round < 6; ++round) {
        ServeProcess serve(serve_args(logged));
        const std::uint16_t port = port_of(serve);
        std::atomic<bool> stop{false};
        std::atomic<int> answered{0};
        std::thread client([&] {
            try {
                HttpConnection connection(port);
                while (!stop.load()) {
                    connection.request("POST", "/v1/decisions", R"({"country":"US","action":"port_in","number_type":"user"})");
                    answered.fetch_add(1);
                }
            } catch (const std::exception&) {  // the server was killed
            }
        });
        while (answered.load() < 50 * (round + 1)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        serve.kill_now();
        stop.store(true);
        client.join();
    }
    // A last start mends what the last kill tore, and its own line starts a line of its own.
    ServeProcess last(serve_args(logged));
    http_request(port_of(last), "POST", "/v1/decisions", R"({"country":"PR","action":"port_in","number_type":"user"})");
    EXPECT_EQ(last.terminate(), 0);
    std::ifstream in(log);
    std::size_t lines = 0;
    std::string line;
    std::string last_line;
    for (; std::getline(in, line); ++lines) {
        ASSERT_TRUE(nlohmann::json::accept(line)) << "line " << lines + 1 << " is not one JSON object: " << line;
        last_line = line;
    }
    EXPECT_GT(lines, 1u);
    EXPECT_THAT(last_line, HasSubstr(R"("country":"PR")")) << "the last start's decision is the last line";
    std::filesystem::remove_all(dir);
}

TEST(ServeCommand, SighupReopensTheDecisionLog) {
    const auto dir = make_temp_dir("telpolicy-serve-rotation");
    const auto log = dir / "decisions.jsonl";
    ServeProcess serve(serve_args({"--listen", "127.0.0.1:0", "--decision-log", log.string()}));
    const std::string line = serve.first_line();
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    const std::string request = R"({"country":"US","action":"set_pin"})";
    http_request(port, "POST", "/v1/decisions", request);
    const auto wait_for_file = [](const std::filesystem::path& file) {
        for (int i = 0; i < 400 && (!std::filesystem::exists(file) || std::filesystem::file_size(file) == 0); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    };
    wait_for_file(log);
    std::filesystem::rename(log, dir / "decisions.jsonl.1");
    serve.signal(SIGHUP);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the signal is handled asynchronously
    http_request(port, "POST", "/v1/decisions", request);
    wait_for_file(log);
    EXPECT_TRUE(std::filesystem::exists(log));
    EXPECT_EQ(serve.terminate(), 0);
    std::filesystem::remove_all(dir);
}

TEST(ServeCommand, UnusableArgumentsExitWith2AndSayWhy) {
    const struct {
        std::vector<std::string> extra;
        std::string says;
    } cases[] = {
        {{"--listen", "localhost"}, "HOST:PORT"},
        {{"--listen", "127.0.0.1:99999"}, "not a port number"},
        {{"--listen", "not-an-address:8181"}, "not an IP address"},
        {{"--listen", "127.0.0.1:0", "--admin-token-file", "/nonexistent/token"}, "cannot read the admin token file"},
        {{"--listen", "127.0.0.1:0", "--decision-log", "/nonexistent/folder/log.jsonl"}, "cannot open the decision log"},
    };
    for (const auto& each : cases) {
        const CommandResult run = run_telpolicy(serve_args(each.extra));
        EXPECT_EQ(run.exit_code, 2) << each.says;
        EXPECT_THAT(run.err, HasSubstr(each.says));
    }
}

TEST(ServeCommand, AnAddressInUseExitsWith2) {
    ServeProcess first(serve_args({"--listen", "127.0.0.1:0"}));
    const std::string line = first.first_line();
    const std::string port = line.substr(line.rfind(':') + 1, line.find_last_not_of("\n") - line.rfind(':'));
    const CommandResult second = run_telpolicy(serve_args({"--listen", "127.0.0.1:" + port}));
    EXPECT_EQ(second.exit_code, 2);
    EXPECT_THAT(second.err, HasSubstr("cannot listen on 127.0.0.1:" + port));
}

}  // namespace
}  // namespace telpolicy::test
