#include "decision_log.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <telpolicy/json_writer.hpp>

namespace telpolicy::server {
namespace {


void append_timestamp(std::string& out, std::chrono::system_clock::time_point time) {
    const auto since_epoch = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch());
    const std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1'000'000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const auto written = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900,
                                       utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                                       static_cast<long long>(since_epoch.count() % 1'000'000));
    out += '"';
    out.append(text, written > 0 ? static_cast<std::size_t>(written) : 0);
    out += '"';
}

// The request as the engine read it (normalized: upper-case country), PIN excluded, with the
// instant it was decided for as its as_of: replaying it decides for the same instant.
void append_input(std::string& out, const Request& request, Instant decided_for) {
    out += "{\"country\":";
    append_json_string(out, request.country);
    out += ",\"action\":";
    append_json_string(out, request.action);
    if (request.number_type) {
        out += ",\"number_type\":";
        append_json_string(out, *request.number_type);
    }
    if (request.numbers) {
        out += ",\"numbers\":[";
        bool first = true;
        for (const std::string& number : *request.numbers) {
            if (!first) out += ',';
            first = false;
            append_json_string(out, number);
        }
        out += ']';
    }
    if (request.count) out.append(",\"count\":").append(std::to_string(*request.count));
    out.append(",\"pin_is_set\":").append(request.pin_is_set ? "true" : "false");
    if (!request.locale.empty()) {
        out += ",\"locale\":";
        append_json_string(out, request.locale);
    }
    out += ",\"as_of\":";
    append_json_string(out, format_timestamp(decided_for));
    out += '}';
}

}  // namespace

void DecisionRecord::keep_input(Request request) noexcept {
    pin_erased = request.pin.has_value();
    if (pin_erased) pin_facts = telpolicy::pin_facts(*request.pin);
    request.pin.reset();  // TransferPin wipes its bytes
    decided_for = request.as_of.value_or(std::chrono::time_point_cast<std::chrono::seconds>(time));
    input = std::move(request);
}

void DecisionLog::format(const DecisionRecord& record, std::string& line) {
    line += "{\"decision_id\":";
    append_json_string(line, record.id.text());
    line += ",\"timestamp\":";
    append_timestamp(line, record.time);
    line += ",\"path\":";
    append_json_string(line, record.endpoint);
    line += ",\"revision\":";
    append_json_string(line, record.revision);
    line += ",\"input\":";
    if (record.input) {
        append_input(line, *record.input, record.decided_for);
    } else {
        line += "null";  // unreadable: the raw body may hold a PIN anywhere, so none of it is kept
    }
    if (record.pin_erased) {
        line += ",\"erased\":[\"/pin\"],\"pin_facts\":{\"length\":";
        line += std::to_string(record.pin_facts.length);
        line += ",\"characters\":\"";
        line += to_string(record.pin_facts.characters);
        line += "\",\"checks\":{";
        bool first = true;
        for (const PinCheckVerdict& verdict : record.pin_facts.checks) {
            if (!first) line += ',';
            first = false;
            append_json_string(line, verdict.check);
            line += verdict.passed ? ":true" : ":false";
        }
        line += "}}";
    }
    line += ",\"result\":";
    line += record.decision_json;
    line += ",\"metrics\":{\"timer_server_handler_ns\":";
    line += std::to_string(record.duration.count());
    line += "}}";
}

namespace {

// A writer killed in the middle of a line (kill -9, a crash, a full disk) leaves it torn, and the
// first line written after a restart would be glued onto it: two records lost in one invalid line.
// Cuts the file back to its last whole line; returns how many bytes went.
std::uint64_t cut_torn_line(int fd) {
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size == 0) return 0;
    std::array<char, 64 * 1024> block{};
    off_t end = info.st_size;
    off_t keep = 0;
    while (end > 0) {
        const auto size = static_cast<std::size_t>(std::min<off_t>(end, static_cast<off_t>(block.size())));
        const off_t start = end - static_cast<off_t>(size);
        if (::pread(fd, block.data(), size, start) != static_cast<ssize_t>(size)) return 0;  // unreadable: leave it
        const auto newline = std::string_view(block.data(), size).rfind('\n');
        if (newline != std::string_view::npos) {
            keep = start + static_cast<off_t>(newline) + 1;
            break;
        }
        end = start;
    }
    if (keep == info.st_size || ::ftruncate(fd, keep) != 0) return 0;
    return static_cast<std::uint64_t>(info.st_size - keep);
}

struct OpenedLog {
    int fd;
    std::uint64_t torn_bytes;
};

// O_APPEND: each write lands at the end whoever else appends; read access only to find a torn line.
OpenedLog open_log(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd >= 0) return {fd, cut_torn_line(fd)};
    if (errno == EACCES) {  // a file this process may write but not read: appended to as it is
        const int write_only = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
        if (write_only >= 0) return {write_only, 0};
    }
    throw std::runtime_error("cannot open the decision log " + path + ": " + std::strerror(errno));
}

// One write() per batch of whole lines, resumed after a partial write, rather than stdio's buffer,
// which split a batch into 4 KiB writes: a kill between two of them tore a line in half.
bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t written = ::write(fd, text.data(), text.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        text.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

}  // namespace

DecisionLog::DecisionLog(const std::string& path, std::size_t queue_capacity, WhenLogFull when_full)
    : path_(path),
      fd_(STDOUT_FILENO),
      owns_fd_(path != "-"),
      when_full_(when_full),
      capacity_(queue_capacity == 0 ? 1 : queue_capacity) {
    if (owns_fd_) {
        const OpenedLog opened = open_log(path);
        fd_ = opened.fd;
        torn_bytes_cut_.store(opened.torn_bytes);
    }
    queue_.reserve(capacity_);
    writer_ = std::thread([this] { write_loop(); });
}

DecisionLog::~DecisionLog() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    room_.notify_all();
    writer_.join();
    if (owns_fd_) ::close(fd_);
}

bool DecisionLog::submit(DecisionRecord&& record) noexcept {
    bool wake = false;
    {
        std::unique_lock lock(mutex_);
        if (queue_.size() >= capacity_) {
            if (when_full_ == WhenLogFull::drop) {
                dropped_.fetch_add(1, std::memory_order_relaxed);
                return false;
            }
            waited_.fetch_add(1, std::memory_order_relaxed);
            wake_.notify_one();  // the writer may be letting lines gather: the queue is full now
            room_.wait(lock, [this] { return stopping_ || queue_.size() < capacity_; });
            if (queue_.size() >= capacity_) {  // stopping: nothing writes any more
                dropped_.fetch_add(1, std::memory_order_relaxed);
                return false;
            }
        }
        queue_.push_back(std::move(record));  // within the reserved capacity: no allocation
        // Wake the writer only when it sleeps with nothing to do, or when the queue fills up: a
        // wake-up per decision would cost a system call per decision.
        wake = (writer_idle_ && queue_.size() == 1) || queue_.size() == wake_threshold();
    }
    if (wake) wake_.notify_one();
    return true;
}

void DecisionLog::write_loop() {
    std::vector<DecisionRecord> taken;
    taken.reserve(capacity_);
    std::string text;
    std::unique_lock lock(mutex_);
    for (;;) {
        if (queue_.empty()) {
            if (stopping_) return;
            writer_idle_ = true;
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            writer_idle_ = false;
            if (queue_.empty()) return;  // stopping, nothing left
        }
        // Let lines gather for a moment, so that each write carries many.
        wake_.wait_for(lock, gather_time, [this] { return stopping_ || queue_.size() >= wake_threshold(); });
        taken.swap(queue_);  // both keep capacity_: the submitters never allocate
        lock.unlock();
        room_.notify_all();
        write_lines(taken, text);
        taken.clear();
        lock.lock();
    }
}

void DecisionLog::reopen() noexcept { reopen_asked_.store(true); }

void DecisionLog::reopen_if_asked() {
    if (!reopen_asked_.exchange(false) || !owns_fd_) return;
    try {
        const OpenedLog reopened = open_log(path_);
        ::close(fd_);
        fd_ = reopened.fd;
        torn_bytes_cut_.fetch_add(reopened.torn_bytes, std::memory_order_relaxed);
    } catch (const std::exception&) {
        write_errors_.fetch_add(1, std::memory_order_relaxed);
    }
}

void DecisionLog::write_lines(const std::vector<DecisionRecord>& records, std::string& text) {
    reopen_if_asked();
    text.clear();
    std::uint64_t lines = 0;
    for (const DecisionRecord& record : records) {
        const std::size_t mark = text.size();
        try {
            format(record, text);
            text += '\n';
            ++lines;
        } catch (const std::bad_alloc&) {
            text.resize(mark);
            dropped_.fetch_add(1, std::memory_order_relaxed);
        }
    }
    if (lines == 0) return;
    if (write_all(fd_, text)) {
        written_.fetch_add(lines, std::memory_order_relaxed);
    } else {
        write_errors_.fetch_add(1, std::memory_order_relaxed);
        dropped_.fetch_add(lines, std::memory_order_relaxed);
    }
}

}  // namespace telpolicy::server
