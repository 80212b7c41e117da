// `telpolicy eval`: one request in, one decision out; `--batch`: JSON Lines, streamed.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include <string.h>  // explicit_bzero

#include <fcntl.h>
#include <unistd.h>


#include "batch_line.hpp"
#include "commands.hpp"
#include "line_reader.hpp"
#include "parallel_batch.hpp"
#include "secret_text.hpp"

namespace telpolicy::cli {
namespace {

// Reads at most `limit` + 1 bytes of `fd` (one more than the limit tells that the request is over
// it) into `text`. The text may hold a PIN: every buffer let go of on the way is cleared, and the
// caller clears `text`. Returns errno, or 0.
int read_request(int fd, std::size_t limit, std::string& text) {
    std::array<char, std::size_t{1} << 16> chunk;
    int error = 0;
    while (text.size() <= limit) {
        const ssize_t got = ::read(fd, chunk.data(), std::min(chunk.size(), limit + 1 - text.size()));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            error = got < 0 ? errno : 0;
            break;
        }
        append_secret_text(text, std::string_view(chunk.data(), static_cast<std::size_t>(got)));
    }
    explicit_bzero(chunk.data(), chunk.size());
    return error;
}

}  // namespace

int run_eval(const Engine& engine, const EvalOptions& options) {
    int fd = STDIN_FILENO;
    const bool from_file = !options.request_file.empty() && options.request_file != "-";
    if (from_file) fd = ::open(options.request_file.c_str(), O_RDONLY | O_CLOEXEC);
    std::string text;
    const int error = fd < 0 ? errno : read_request(fd, options.limits.max_request_bytes, text);
    if (from_file && fd >= 0) ::close(fd);
    if (error != 0) {
        explicit_bzero(text.data(), text.capacity());
        std::cerr << "telpolicy: cannot read the request from "
                  << (from_file ? options.request_file : std::string("standard input")) << ": " << std::strerror(error)
                  << "\n";
        return exit_bad_input;
    }
    const bool too_long = text.size() > options.limits.max_request_bytes;
    const int indent = options.compact ? -1 : 2;
    if (options.explain != ExplainFormat::none) {
        const Explanation explanation =
            too_long ? Explanation{Decision::invalid_request(too_long_message(options.limits.max_request_bytes)), {}} : engine.explain_json(text);
        explicit_bzero(text.data(), text.capacity());  // it may hold a PIN
        std::cout << (options.explain == ExplainFormat::json ? to_json(explanation, indent) + "\n" : to_text(explanation));
        return exit_ok;
    }
    const Decision decision = too_long ? Decision::invalid_request(too_long_message(options.limits.max_request_bytes)) : engine.evaluate_json(text);
    explicit_bzero(text.data(), text.capacity());  // it may hold a PIN
    std::cout << to_json(decision, indent) << "\n";
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
    LineReader reader(fd, options.limits.max_request_bytes);
    const unsigned threads = options.threads > 0 ? options.threads : available_cores();
    const BatchEnd end = decide_batch(engine, options.limits, reader, threads, stdout);
    int status = exit_ok;
    if (end.read_failed) {
        std::cerr << "telpolicy: reading batch input failed after line " << end.lines << ": "
                  << std::strerror(reader.error_number()) << "\n";
        status = exit_bad_input;
    }
    if (fd != STDIN_FILENO) ::close(fd);
    return status;
}

}  // namespace telpolicy::cli
