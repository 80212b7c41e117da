// Child-process runner for command-line tests: fork, exec, wait4 for the exit status and memory.
#include "run_command.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) out.push_back(nlohmann::json::parse(line));
    return out;
}

CommandResult run_telpolicy_from_file(const std::vector<std::string>& args, const std::string& input_path,
                                      const std::map<std::string, std::string>& env) {
    const auto dir = make_temp_dir("telpolicy-run");
    const auto out_path = dir / "out";
    const auto err_path = dir / "err";
    std::vector<std::string> argv_strings{TELPOLICY_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);

    CommandResult result;
    const pid_t pid = fork();
    if (pid == 0) {
        const int in = open(input_path.c_str(), O_RDONLY);
        const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0) _exit(127);
        dup2(in, STDIN_FILENO);
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.max_rss_kib = usage.ru_maxrss;
    result.out = slurp(out_path);
    result.err = slurp(err_path);
    std::filesystem::remove_all(dir);
    return result;
}

CommandResult run_telpolicy(const std::vector<std::string>& args, const std::string& input,
                            const std::map<std::string, std::string>& env) {
    const auto dir = make_temp_dir("telpolicy-input");
    const auto input_path = dir / "in";
    std::ofstream(input_path, std::ios::binary) << input;
    CommandResult result = run_telpolicy_from_file(args, input_path.string(), env);
    std::filesystem::remove_all(dir);
    return result;
}

}  // namespace telpolicy::test
