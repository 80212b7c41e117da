// A decision with its explanation: every rule considered, in order, and why it did or did not apply.
#pragma once

#include <string>
#include <vector>

#include <telpolicy/decision.hpp>

namespace telpolicy {

struct TraceStep {
    enum class Outcome {
        matched,      // its conditions held: its outcome is in the decision
        not_matched,  // `detail` names the first condition that failed
        not_reached,  // a final rule above it matched first
    };
    std::string rule;      // the rule's id
    std::string location;  // file:line:column of the rule, where a policy author edits it
    Outcome outcome{Outcome::not_matched};
    std::string detail;  // for people; never holds the PIN
};

struct Explanation {
    Decision decision;
    std::vector<TraceStep> trace;  // empty when no country's rules were reached (invalid request, unknown country)
};

// {"decision": {...}, "trace": [{"rule", "location", "outcome", "detail"}, ...]}
std::string to_json(const Explanation& explanation, int indent = -1);

// The decision's summary, then one line per step, for reading in a terminal.
std::string to_text(const Explanation& explanation);

}  // namespace telpolicy
