// `eval --batch --threads N`, run as a separate process: the decisions of several threads written in
// input order, byte for byte what one thread writes, and each line fed answered before the next. In
// the concurrency label, so that CI runs them with the command built under ThreadSanitizer too.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "run_command.hpp"

namespace telpolicy::test {
namespace {

// Lines of every shape a batch meets: the seven actions, numbers, PINs good and bad, other
// countries, broken JSON, blank lines, CRLF, and lines over the limit of --max-request-bytes 400.
std::string mixed_batch(int lines) {
    const std::vector<std::string> shapes{
        R"({"country":"US","action":"port_in","numbers":["+12025550143","(787) 555-0100"],"pin":"123456"})",
        R"({"country":"US","action":"set_pin","pin":"12"})",
        R"({"country":"PR","action":"clear_pin","pin_is_set":true})",
        R"({"country":"US","action":"new_numbers","number_type":"service","count":3})",
        "not json",
        "",
        R"({"country":"XX","action":"port_in"})" "\r",
        R"({"country":"US","action":"port_out","numbers":["+1 800 555 0199"]})",
        R"({"country":"US","action":"port_in","x":")" + std::string(500, 'x') + R"("})",
        "[1,2]",
    };
    std::string text;
    for (int i = 0; i < lines; ++i) text += shapes[static_cast<std::size_t>(i * 7 + i / 3) % shapes.size()] + "\n";
    return text;
}

TEST(BatchThreads, ThreadsWriteWhatOneThreadWritesByteForByte) {
    // Several thousand lines: blocks of them go to the workers and must come back in input order.
    const std::string input = mixed_batch(12'000);
    const CommandResult one = run_telpolicy({"eval", "--batch", "--threads", "1", "--max-request-bytes", "400"}, input);
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_EQ(std::count(one.out.begin(), one.out.end(), '\n'), 12'000);
    for (const std::string threads : {"2", "3", "8"}) {
        const CommandResult many = run_telpolicy({"eval", "--batch", "--threads", threads, "--max-request-bytes", "400"}, input);
        EXPECT_EQ(many.exit_code, 0) << many.err;
        EXPECT_TRUE(many.out == one.out) << threads << " threads wrote other bytes than one";
    }
    // The default (one thread per available core) too, and a last line without its newline.
    const std::string unterminated = input + R"({"country":"US","action":"port_in"})";
    const CommandResult by_default = run_telpolicy({"eval", "--batch", "--max-request-bytes", "400"}, unterminated);
    EXPECT_EQ(by_default.out, one.out + run_telpolicy({"eval", "--batch"}, R"({"country":"US","action":"port_in"})").out);
    // Lines are numbered across blocks: the over-long line's message names its own line.
    const auto decisions = json_lines(one.out);
    EXPECT_NE(decisions.at(8)["violations"][0]["message"].get<std::string>().find("line 9:"), std::string::npos);
}

TEST(BatchThreads, WithThreadsEachLineFedIsAnsweredBeforeTheNext) {
    // A caller that writes a line and waits for its decision: a block goes out as soon as the input
    // read so far is used up, rather than waiting to be full.
    ChildProcess batch({"eval", "--batch", "--threads", "2"});
    for (const char* action : {"port_in", "new_numbers", "port_out"}) {
        batch.send(std::string(R"({"country":"US","action":")") + action + "\"}\n");
        const std::optional<std::string> line = batch.read_line();
        ASSERT_TRUE(line) << "no answer to " << action << " before the next line was sent";
        EXPECT_EQ(nlohmann::json::parse(*line)["action"], action);
    }
    batch.close_input();
    EXPECT_EQ(batch.wait_exit(), 0);
}

}  // namespace
}  // namespace telpolicy::test
