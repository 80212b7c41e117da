// `telpolicy eval`: one request in, one decision out; `--batch`: JSON Lines, streamed.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <telpolicy/violation_codes.hpp>

#include "commands.hpp"
#include "line_reader.hpp"

namespace telpolicy::cli {
namespace {

Decision invalid(std::string message) {
    Decision decision;
    decision.violations.push_back({std::string(violation_code::request_invalid), std::move(message), "core.request"});
    decision.matched_rules.emplace_back("core.request");
    return decision;
}

std::string too_long_message(std::size_t limit) {
    return "the request is longer than the limit of " + std::to_string(limit) +
           " bytes (change it with --max-request-bytes)";
}

}  // namespace

int run_eval(const Engine& engine, const EvalOptions& options) {
    std::string text;
    if (options.request_file.empty() || options.request_file == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        text = buffer.str();
    } else {
        std::ifstream in(options.request_file, std::ios::binary);
        if (!in.is_open()) {
            std::cerr << "telpolicy: cannot read request file " << options.request_file << ": " << std::strerror(errno)
                      << "\n";
            return exit_bad_input;
        }
        std::ostringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
    }
    const Decision decision =
        text.size() > options.max_request_bytes ? invalid(too_long_message(options.max_request_bytes)) : engine.evaluate_json(text);
    std::fill(text.begin(), text.end(), '\0');  // it may hold a PIN
    std::cout << to_json(decision, options.compact ? -1 : 2) << "\n";
    return exit_ok;
}

int run_batch(const Engine& engine, const EvalOptions& options) {
    int fd = STDIN_FILENO;
    if (!options.input_file.empty() && options.input_file != "-") {
        fd = ::open(options.input_file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            std::cerr << "telpolicy: cannot read batch input " << options.input_file << ": " << std::strerror(errno)
                      << "\n";
            return exit_bad_input;
        }
    }
    LineReader reader(fd, options.max_request_bytes);
    std::string out;
    std::size_t line_number = 0;
    const auto flush = [&out] {
        std::fwrite(out.data(), 1, out.size(), stdout);
        std::fflush(stdout);
        out.clear();
    };
    int status = exit_ok;
    for (;;) {
        const LineReader::Status got = reader.next();
        if (got == LineReader::Status::end) break;
        if (got == LineReader::Status::error) {
            std::cerr << "telpolicy: reading batch input failed after line " << line_number << ": "
                      << std::strerror(reader.error_number()) << "\n";
            status = exit_bad_input;
            break;
        }
        ++line_number;
        const Decision decision = got == LineReader::Status::too_long
                                      ? invalid("line " + std::to_string(line_number) + ": " +
                                                too_long_message(options.max_request_bytes))
                                      : engine.evaluate_json(reader.line());
        out += to_json(decision);
        out += '\n';
        // Flush whenever the input read so far is used up, so that a caller feeding lines one at a
        // time gets each answer at once, while a file streams in large writes.
        if (reader.drained() || out.size() > (std::size_t{1} << 16)) flush();
    }
    flush();
    if (fd != STDIN_FILENO) ::close(fd);
    return status;
}

}  // namespace telpolicy::cli
