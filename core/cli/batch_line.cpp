// decide_batch_line: the fast parser for well-formed lines, the engine's own wording for the rest.
#include "batch_line.hpp"

namespace telpolicy::cli {

std::string too_long_message(std::size_t limit) {
    return "the request is longer than the limit of " + std::to_string(limit) +
           " bytes (change it with --max-request-bytes)";
}

void decide_batch_line(const Engine& engine, const Limits& limits, const BatchLine& line, Decision& decision,
                       std::string& out) {
    if (line.too_long) {
        decision = Decision::invalid_request("line " + std::to_string(line.number) + ": " + too_long_message(limits.max_request_bytes));
    } else if (ParsedRequest parsed = parse_request(line.text, limits); parsed.request) {
        engine.evaluate(*parsed.request, decision);  // refills the kept decision
    } else {
        decision = engine.evaluate_json(line.text);  // rare: the engine words and logs the refusal
    }
    // Appended straight to the output buffer, which keeps its capacity from line to line.
    to_json(decision, out);
    out += '\n';
}

}  // namespace telpolicy::cli
