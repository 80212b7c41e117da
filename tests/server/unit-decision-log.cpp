// The decision log: a line per decision, matching the response's id, the PIN erased, and a queue
// that drops (and counts) rather than making a decision wait.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <regex>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "decision_id.hpp"
#include "decision_log.hpp"
#include "http_client.hpp"
#include "server_fixture.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

using ::testing::HasSubstr;

TEST(DecisionLogLines, OneLinePerDecisionWithIdRevisionInputAndResult) {
    RunningServer server;
    const std::string request = R"({"country":"us","action":"port_in","number_type":"user","numbers":["+12025550123"],"locale":"en-US"})";
    const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions", request);
    const std::string digest = server.engine().load_report().digest;
    const std::vector<std::string> lines = server.log_lines();
    ASSERT_EQ(lines.size(), 1u);
    const auto line = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(line["decision_id"], reply.header("decision-id"));
    EXPECT_EQ(line["path"], "/v1/decisions");
    EXPECT_EQ(line["revision"], digest);
    // The input says when it was decided, for replay: the second of the decision.
    nlohmann::json input = line["input"];
    ASSERT_TRUE(input.contains("as_of")) << input;
    EXPECT_EQ(input["as_of"].get<std::string>(), line["timestamp"].get<std::string>().substr(0, 19) + "Z");
    input.erase("as_of");
    EXPECT_EQ(input, nlohmann::json::parse(
                         R"({"country":"US","action":"port_in","number_type":"user","numbers":["+12025550123"],"pin_is_set":false,"locale":"en-US"})"));
    EXPECT_EQ(line["result"], nlohmann::json::parse(reply.body));
    EXPECT_FALSE(line.contains("erased"));
    EXPECT_TRUE(std::regex_match(line["timestamp"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    EXPECT_GT(line["metrics"]["timer_server_handler_ns"].get<long long>(), 0);
}

TEST(DecisionLogLines, ThePinIsErasedAndSaidToBe) {
    RunningServer server;
    http_request(server.port(), "POST", "/v1/decisions", R"({"country":"US","action":"set_pin","pin":"73519264"})");
    const std::vector<std::string> lines = server.log_lines();
    ASSERT_EQ(lines.size(), 1u);
    const auto line = nlohmann::json::parse(lines[0]);
    EXPECT_FALSE(line["input"].contains("pin"));
    EXPECT_EQ(line["erased"], nlohmann::json::parse(R"(["/pin"])"));
    // What replay needs of it instead: its length, its characters, and the plugin checks' verdicts.
    EXPECT_EQ(line["pin_facts"], nlohmann::json::parse(R"({"length":8,"characters":"digits","checks":{"digits_only":true}})"));
    EXPECT_THAT(lines[0], ::testing::Not(HasSubstr("73519264")));
}

TEST(DecisionLogLines, AnUnreadableRequestIsLoggedWithoutItsText) {
    RunningServer server;
    http_request(server.port(), "POST", "/v1/decisions", R"({"country":"US","action":"fly","pin":"73519264"})");
    const std::vector<std::string> lines = server.log_lines();
    ASSERT_EQ(lines.size(), 1u);
    const auto line = nlohmann::json::parse(lines[0]);
    EXPECT_TRUE(line["input"].is_null());
    EXPECT_EQ(line["result"]["violations"][0]["code"], "request.invalid");
}

TEST(DecisionLogLines, EveryRequestOfABatchHasItsLine) {
    RunningServer server;
    const HttpReply reply = http_request(server.port(), "POST", "/v1/decisions/batch",
                                         R"([{"country":"US","action":"set_pin"},{"country":"PR","action":"port_out"}])");
    const auto decisions = nlohmann::json::parse(reply.body)["decisions"];
    const std::vector<std::string> lines = server.log_lines();
    ASSERT_EQ(lines.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto line = nlohmann::json::parse(lines[i]);
        EXPECT_EQ(line["decision_id"], decisions[i]["id"]);
        EXPECT_EQ(line["path"], "/v1/decisions/batch");
        EXPECT_EQ(line["result"], decisions[i]["decision"]);
    }
}

server::DecisionRecord record_of(const std::string& country) {
    server::DecisionRecord record;
    record.id = server::DecisionId::next();
    record.time = std::chrono::system_clock::now();
    record.endpoint = "/v1/decisions";
    record.revision = "0123456789abcdef";
    Request request;
    request.country = country;
    request.action = "set_pin";
    record.keep_input(std::move(request));
    record.decision_json = R"({"allowed":true})";
    return record;
}

TEST(DecisionLogQueue, AFullQueueDropsAndCountsInsteadOfWaiting) {
    const auto dir = make_temp_dir("telpolicy-log-queue");
    const auto fifo = dir / "log.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // A reader that reads nothing: once the pipe is full, the writer thread is stuck in its write.
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    std::uint64_t accepted = 0;
    std::thread drain;
    {
        server::DecisionLog log(fifo.string(), 8);
        const auto started = std::chrono::steady_clock::now();
        for (int i = 0; i < 20000; ++i) accepted += log.submit(record_of("US")) ? 1u : 0u;
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));  // never blocked
        EXPECT_GT(log.dropped(), 0u);
        EXPECT_EQ(log.dropped() + accepted, 20000u);
        // Drain the pipe so that the log can write what it holds and stop; the drain ends when the
        // log closes its end.
        drain = std::thread([reader] {
            char buffer[65536];
            for (;;) {
                const ssize_t got = ::read(reader, buffer, sizeof buffer);
                if (got == 0) return;
                if (got < 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });
    }
    drain.join();
    ::close(reader);
    std::filesystem::remove_all(dir);
}

TEST(DecisionLogQueue, FailedWritesAreCountedAsDropped) {
    std::uint64_t dropped = 0;
    {
        server::DecisionLog log("/dev/full", 16);
        for (int i = 0; i < 5; ++i) log.submit(record_of("US"));
        for (int i = 0; i < 200 && log.dropped() < 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        dropped = log.dropped();
        EXPECT_GT(log.write_errors(), 0u);
        EXPECT_EQ(log.written(), 0u);
    }
    EXPECT_EQ(dropped, 5u);
}

std::vector<std::string> lines_of(const std::filesystem::path& file) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

TEST(DecisionLogRotation, ReopenGoesOnInANewFileAfterARename) {
    const auto dir = make_temp_dir("telpolicy-log-rotation");
    const auto path = dir / "decisions.jsonl";
    {
        server::DecisionLog log(path.string(), 16);
        log.submit(record_of("US"));
        for (int i = 0; i < 400 && log.written() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::filesystem::rename(path, dir / "decisions.jsonl.1");
        log.reopen();
        log.submit(record_of("PR"));
    }
    EXPECT_EQ(lines_of(dir / "decisions.jsonl.1").size(), 1u);
    const std::vector<std::string> fresh = lines_of(path);
    ASSERT_EQ(fresh.size(), 1u);
    EXPECT_THAT(fresh[0], HasSubstr(R"("country":"PR")"));
    std::filesystem::remove_all(dir);
}

TEST(DecisionLogRotation, AReopenThatFailsKeepsTheFileItHas) {
    const auto dir = make_temp_dir("telpolicy-log-rotation");
    const auto path = dir / "sub" / "decisions.jsonl";
    std::filesystem::create_directories(path.parent_path());
    {
        server::DecisionLog log(path.string(), 16);
        std::filesystem::rename(dir / "sub", dir / "moved");  // the path's folder is gone
        log.reopen();
        log.submit(record_of("US"));
        for (int i = 0; i < 400 && log.written() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        EXPECT_EQ(log.write_errors(), 1u);
        EXPECT_EQ(log.written(), 1u);
    }
    EXPECT_EQ(lines_of(dir / "moved" / "decisions.jsonl").size(), 1u);
    std::filesystem::remove_all(dir);
}

// A record written after a writer was killed mid-line starts a line of its own: the torn line is cut
// off when the file is opened, so that every line stays one JSON object.
TEST(DecisionLogRecovery, ATornLastLineIsCutOffWhenTheLogIsOpened) {
    const auto dir = make_temp_dir("telpolicy-log-torn");
    const auto path = dir / "decisions.jsonl";
    const std::string whole = R"({"decision_id":"a","result":{"allowed":true}})" "\n";
    const std::string torn = R"({"decision_id":"b","result":{"allo)";
    std::ofstream(path, std::ios::binary) << whole << torn;
    {
        server::DecisionLog log(path.string(), 16);
        EXPECT_EQ(log.torn_bytes_cut(), torn.size());
        log.submit(record_of("PR"));
    }
    const std::vector<std::string> lines = lines_of(path);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0] + "\n", whole);
    EXPECT_TRUE(nlohmann::json::accept(lines[1])) << lines[1];
    EXPECT_THAT(lines[1], HasSubstr(R"("country":"PR")"));

    // A file that is all torn line is emptied; a file of whole lines is left as it is.
    std::ofstream(path, std::ios::binary | std::ios::trunc) << torn;
    EXPECT_EQ(server::DecisionLog(path.string(), 16).torn_bytes_cut(), torn.size());
    EXPECT_EQ(std::filesystem::file_size(path), 0u);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << whole;
    EXPECT_EQ(server::DecisionLog(path.string(), 16).torn_bytes_cut(), 0u);
    EXPECT_EQ(std::filesystem::file_size(path), whole.size());
    std::filesystem::remove_all(dir);
}

// --decision-log-full block: when the writer is behind, decisions wait for room and none is dropped.
TEST(DecisionLogQueue, BlockingWaitsForRoomAndDropsNothing) {
    const auto dir = make_temp_dir("telpolicy-log-block");
    const auto fifo = dir / "log.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    constexpr int records = 3000;  // far more than a pipe (64 KiB) and the queue hold
    std::size_t newlines = 0;      // the drain's, until it is joined
    std::thread drain;
    {
        server::DecisionLog log(fifo.string(), 8, server::WhenLogFull::block);
        std::atomic<int> accepted{0};
        std::thread submitter([&] {
            for (int i = 0; i < records; ++i) accepted += log.submit(record_of("US")) ? 1 : 0;
        });
        // Nobody reads yet: the writer is stuck in a write, the queue fills, the submitter waits.
        for (int i = 0; i < 30000 && log.waited() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        EXPECT_GT(log.waited(), 0u);
        EXPECT_LT(accepted.load(), records);
        // Read until the log closes its end of the pipe.
        drain = std::thread([&newlines, reader] {
            char buffer[65536];
            for (;;) {
                const ssize_t got = ::read(reader, buffer, sizeof buffer);
                if (got == 0) return;
                if (got > 0) newlines += static_cast<std::size_t>(std::count(buffer, buffer + got, '\n'));
                if (got < 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });
        submitter.join();
        EXPECT_EQ(accepted.load(), records);
        EXPECT_EQ(log.dropped(), 0u);
    }  // writes what is queued, then closes
    drain.join();
    ::close(reader);
    EXPECT_EQ(newlines, static_cast<std::size_t>(records));
    std::filesystem::remove_all(dir);
}

TEST(DecisionLogQueue, AnUnwritablePathIsAClearError) {
    try {
        server::DecisionLog log("/nonexistent-folder/decisions.jsonl", 16);
        FAIL() << "no error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("/nonexistent-folder/decisions.jsonl"));
    }
}

TEST(DecisionIds, AreVersion4UuidsThatDoNotRepeat) {
    std::set<std::string> seen;
    const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    for (int i = 0; i < 10000; ++i) {
        const std::string id(server::DecisionId::next().text());
        ASSERT_TRUE(std::regex_match(id, uuid)) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 10000u);
}

}  // namespace
}  // namespace telpolicy::test
