// One line of a decision log (`telpolicy serve --decision-log`), read for replay: the request as it
// was logged, what was kept of its PIN, and the decision, as raw JSON.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <telpolicy/pin_facts.hpp>

namespace telpolicy::cli {

struct LoggedDecision {
    std::string decision_id;
    std::optional<std::string_view> input;  // the request's JSON; nullopt when the request was unreadable
    bool pin_erased{false};                 // the request carried a PIN, which the log does not keep
    std::optional<PinFacts> pin_facts;      // what the log kept of it, when it did
    std::string_view result;                // the decision's JSON, as the service wrote it
};

// Reads lines one after another; the views of a LoggedDecision stay valid until the next read.
class LoggedDecisionReader {
public:
    LoggedDecisionReader();
    ~LoggedDecisionReader();
    LoggedDecisionReader(const LoggedDecisionReader&) = delete;
    LoggedDecisionReader& operator=(const LoggedDecisionReader&) = delete;

    // False, with `error` saying why, for a line that is not a decision record.
    bool read(std::string_view line, LoggedDecision& out, std::string& error);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace telpolicy::cli
