// Runs the telpolicy command as a separate process, as a user or a script would.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace telpolicy::test {

struct CommandResult {
    int exit_code{-1};
    std::string out;
    std::string err;
    long max_rss_kib{0};  // the child's peak resident memory
};

// Runs the telpolicy binary with `args`, feeding `input` on standard input; `env` adds variables.
CommandResult run_telpolicy(const std::vector<std::string>& args, const std::string& input = {},
                            const std::map<std::string, std::string>& env = {});

// Same, with standard input read from a file (for large inputs).
CommandResult run_telpolicy_from_file(const std::vector<std::string>& args, const std::string& input_path,
                                      const std::map<std::string, std::string>& env = {});

// Each line of a command's output (JSON Lines, as `eval --batch` writes), parsed.
std::vector<nlohmann::json> json_lines(const std::string& text);

}  // namespace telpolicy::test
