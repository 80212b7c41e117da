// decide_batch: one thread in a loop, or a pool of workers over bounded blocks of lines.
#include "parallel_batch.hpp"

#include <sched.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "batch_line.hpp"
#include "secret_text.hpp"

namespace telpolicy::cli {
namespace {

// A block is handed to a worker at this many lines or bytes: large enough that the hand-over (a
// lock, a wake-up) is lost in the work of deciding it, small enough that workers share the end of
// an input evenly and an interactive caller is not kept waiting.
constexpr std::size_t block_lines = 512;
constexpr std::size_t block_bytes = std::size_t{1} << 17;
constexpr std::size_t blocks_per_worker = 2;

void write_out(std::FILE* out, const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), out);
    std::fflush(out);
}

// Lines of the input, one after another in `text` (which may hold PINs: cleared on reuse), and
// their decisions once a worker has been through them.
struct LineBlock {
    struct Line {
        std::size_t at{0};
        std::size_t size{0};
        std::size_t number{0};
        bool too_long{false};
    };

    std::uint64_t sequence{0};
    std::string text;
    std::vector<Line> lines;
    std::string out;

    LineBlock() {
        text.reserve(block_bytes);
        lines.reserve(block_lines);
    }
    ~LineBlock() { clear_secret_text(text); }
    LineBlock(const LineBlock&) = delete;
    LineBlock& operator=(const LineBlock&) = delete;

    void add(std::string_view line, std::size_t number, bool too_long) {
        lines.push_back({text.size(), line.size(), number, too_long});
        append_secret_text(text, line);
    }
    [[nodiscard]] bool full() const noexcept { return lines.size() >= block_lines || text.size() >= block_bytes; }
    void empty_out() {
        clear_secret_text(text);
        lines.clear();
        out.clear();
    }
};

// The blocks go round: free, filled by the reader, queued, decided by a worker, written in order,
// free again. Whichever worker finishes the block next in order writes it and every decided block
// after it; the others leave theirs and go on deciding.
class BlockPipeline {
public:
    BlockPipeline(const Engine& engine, const Limits& limits, unsigned workers, std::FILE* out)
        : engine_(engine), limits_(limits), out_(out), decided_(workers * blocks_per_worker + 1, nullptr) {
        for (std::size_t i = 0; i < decided_.size(); ++i) {
            blocks_.push_back(std::make_unique<LineBlock>());
            free_.push_back(blocks_.back().get());
        }
        workers_.reserve(workers);
        for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
    }
    ~BlockPipeline() { stop_workers(); }
    BlockPipeline(const BlockPipeline&) = delete;
    BlockPipeline& operator=(const BlockPipeline&) = delete;

    // A block to fill; waits while every block is in flight.
    LineBlock& take_free() {
        std::unique_lock lock(mutex_);
        block_freed_.wait(lock, [this] { return !free_.empty(); });
        LineBlock* block = free_.back();
        free_.pop_back();
        return *block;
    }

    void submit(LineBlock& block) {
        {
            const std::lock_guard lock(mutex_);
            block.sequence = next_sequence_++;
            queued_.push_back(&block);
        }
        work_queued_.notify_one();
    }

    void give_back(LineBlock& block) {
        block.empty_out();
        const std::lock_guard lock(mutex_);
        free_.push_back(&block);
    }

    // Read by the reader at every line: an atomic, not the lock the workers take.
    [[nodiscard]] bool failed() const noexcept { return failed_.load(std::memory_order_relaxed); }

    // Waits until every submitted block is written, then stops the workers; throws a worker's error.
    void finish() {
        stop_workers();
        if (failure_) std::rethrow_exception(failure_);
    }

private:
    void stop_workers() {
        {
            const std::lock_guard lock(mutex_);
            closing_ = true;
        }
        work_queued_.notify_all();
        for (std::thread& worker : workers_) worker.join();
        workers_.clear();
    }

    void work() {
        Decision decision;  // the worker's own, refilled line after line
        for (;;) {
            LineBlock* block = nullptr;
            {
                std::unique_lock lock(mutex_);
                work_queued_.wait(lock, [this] { return closing_ || !queued_.empty(); });
                if (queued_.empty()) return;  // closing, and nothing left to decide
                block = queued_.front();
                queued_.pop_front();
            }
            decide(*block, decision);
            write_in_order(*block);
        }
    }

    void decide(LineBlock& block, Decision& decision) {
        if (failed()) return;  // the run is stopping: the block only goes round, unwritten
        try {
            for (const LineBlock::Line& line : block.lines) {
                const BatchLine batch_line{std::string_view(block.text).substr(line.at, line.size), line.number, line.too_long};
                decide_batch_line(engine_, limits_, batch_line, decision, block.out);
            }
        } catch (...) {
            const std::lock_guard lock(mutex_);
            if (!failure_) failure_ = std::current_exception();
            failed_.store(true, std::memory_order_relaxed);
        }
    }

    void write_in_order(LineBlock& block) {
        std::unique_lock lock(mutex_);
        decided_[block.sequence % decided_.size()] = &block;
        if (writing_) return;  // the worker writing now will come to this block
        writing_ = true;
        for (;;) {
            LineBlock*& next = decided_[next_to_write_ % decided_.size()];
            if (next == nullptr) break;
            LineBlock* writable = std::exchange(next, nullptr);
            const bool write = failure_ == nullptr;
            lock.unlock();
            if (write) write_out(out_, writable->out);
            writable->empty_out();
            lock.lock();
            ++next_to_write_;
            free_.push_back(writable);
            block_freed_.notify_one();
        }
        writing_ = false;
    }

    const Engine& engine_;
    const Limits& limits_;
    std::FILE* out_;
    std::mutex mutex_;
    std::condition_variable work_queued_;
    std::condition_variable block_freed_;
    std::vector<std::unique_ptr<LineBlock>> blocks_;
    std::vector<LineBlock*> free_;
    std::deque<LineBlock*> queued_;
    // Decided blocks waiting for their turn, at their sequence modulo the number of blocks: the
    // blocks in flight have consecutive sequences, so no two share a place.
    std::vector<LineBlock*> decided_;
    std::uint64_t next_sequence_{0};
    std::uint64_t next_to_write_{0};
    bool writing_{false};
    bool closing_{false};
    std::exception_ptr failure_;
    std::atomic<bool> failed_{false};
    std::vector<std::thread> workers_;  // last: they start once everything above is ready
};

// Hands `each` every line of `reader`, numbered from 1, until the input ends or fails or `each`
// returns false; says how the reading ended.
template <typename Each>
BatchEnd read_lines(LineReader& reader, Each&& each) {
    BatchEnd end;
    for (;;) {
        const LineReader::Status got = reader.next();
        if (got == LineReader::Status::end) break;
        if (got == LineReader::Status::error) {
            end.read_failed = true;
            break;
        }
        ++end.lines;
        if (!each(BatchLine{reader.line(), end.lines, got == LineReader::Status::too_long})) break;
    }
    return end;
}

BatchEnd decide_on_this_thread(const Engine& engine, const Limits& limits, LineReader& reader, std::FILE* out) {
    std::string decided;
    decided.reserve((std::size_t{1} << 16) + (std::size_t{1} << 12));
    // One decision for the whole run: the engine refills it, reusing its strings and vectors.
    Decision decision;
    const BatchEnd end = read_lines(reader, [&](const BatchLine& line) {
        decide_batch_line(engine, limits, line, decision, decided);
        // Flush whenever the input read so far is used up, so that a caller feeding lines one at a
        // time gets each answer at once, while a file streams in large writes.
        if (reader.drained() || decided.size() > (std::size_t{1} << 16)) {
            write_out(out, decided);
            decided.clear();
        }
        return true;
    });
    write_out(out, decided);
    return end;
}

BatchEnd decide_on_workers(const Engine& engine, const Limits& limits, LineReader& reader, unsigned workers, std::FILE* out) {
    BlockPipeline pipeline(engine, limits, workers, out);
    LineBlock* block = &pipeline.take_free();
    const BatchEnd end = read_lines(reader, [&](const BatchLine& line) {
        block->add(line.text, line.number, line.too_long);
        if (block->full() || reader.drained()) {
            pipeline.submit(*block);
            block = &pipeline.take_free();
        }
        return !pipeline.failed();
    });
    if (block->lines.empty()) {
        pipeline.give_back(*block);
    } else {
        pipeline.submit(*block);
    }
    pipeline.finish();
    return end;
}

}  // namespace

unsigned available_cores() noexcept {
    cpu_set_t cores;
    CPU_ZERO(&cores);
    if (::sched_getaffinity(0, sizeof cores, &cores) == 0) {
        const int count = CPU_COUNT(&cores);
        if (count > 0) return static_cast<unsigned>(count);
    }
    const unsigned hardware = std::thread::hardware_concurrency();
    return hardware > 0 ? hardware : 1;
}

BatchEnd decide_batch(const Engine& engine, const Limits& limits, LineReader& reader, unsigned threads, std::FILE* out) {
    return threads <= 1 ? decide_on_this_thread(engine, limits, reader, out) : decide_on_workers(engine, limits, reader, threads, out);
}

}  // namespace telpolicy::cli
