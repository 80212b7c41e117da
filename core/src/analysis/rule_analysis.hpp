// Static analysis of a rule set: rules that can never match, mailbox conflicts, and gaps. The
// request space of a country is finite once counts are cut at the thresholds the rules use and
// numbers are grouped into the classes the rules tell apart, so the analysis enumerates all of it:
// its findings are proofs over that space, not samples.
#pragma once

#include <cstddef>
#include <vector>

#include <telpolicy/diagnostic.hpp>
#include "policy/rule_set.hpp"

namespace telpolicy {

struct RuleAnalysis {
    std::vector<Diagnostic> findings;  // warnings, positioned at the rule or key concerned
    std::size_t requests_examined{0};  // the size of the enumerated request space
};

// `file` names the rules file in the findings.
RuleAnalysis analyze_rules(const RuleSet& rules, const std::string& file);

}  // namespace telpolicy
