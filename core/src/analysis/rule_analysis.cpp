// Enumerates a rule set's request space and proves which rules are shadowed, which mailboxes
// conflict, and which allowed requests get neither a form nor a mailbox.
#include "analysis/rule_analysis.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "evaluation/evaluator.hpp"

namespace telpolicy {
namespace {

// One point of the request space, with its numbers already classified.
struct Point {
    Request request;
    RequestWords words;
    std::vector<NumberFacts> numbers;
};

// A number as the rules can tell it apart: invalid, or valid with a region and a kind.
struct NumberClass {
    bool valid{false};
    std::string region;
    NumberKind kind{NumberKind::unknown};
};

std::vector<std::string> regions_named(const RuleSet& rules) {
    std::set<std::string> regions(rules.countries.begin(), rules.countries.end());
    for (const Rule& rule : rules.rules) {
        for (const auto* filter : {&rule.when.numbers.each, &rule.when.numbers.all}) {
            if (!*filter) continue;
            regions.insert((*filter)->regions.begin(), (*filter)->regions.end());
            regions.insert((*filter)->regions_not.begin(), (*filter)->regions_not.end());
        }
    }
    std::vector<std::string> out(regions.begin(), regions.end());
    out.emplace_back("ZZ");  // stands for every region no rule names
    return out;
}

std::vector<NumberClass> number_classes(const RuleSet& rules) {
    std::vector<NumberClass> classes{NumberClass{}};
    if (!rules.classifies_numbers) return classes;
    for (const std::string& region : regions_named(rules)) {
        for (std::size_t kind = 0; kind < number_kind_count; ++kind) {
            classes.push_back({true, region, static_cast<NumberKind>(kind)});
        }
    }
    return classes;
}

// Counts at which some rule's answer can change: every bound the rules use, and the small counts
// that lists of one or two numbers have.
std::vector<std::uint64_t> count_representatives(const RuleSet& rules) {
    std::set<std::uint64_t> cuts{0, 1, 2, 3};
    for (const Rule& rule : rules.rules) {
        cuts.insert(rule.when.count_min);
        if (rule.when.count_max != UINT64_MAX) cuts.insert(rule.when.count_max + 1);
    }
    return {cuts.begin(), cuts.end()};
}

// The lists of numbers a request may carry, as far as the rules can tell: none, one number of each
// class, or a number and its repeat.
std::vector<std::vector<NumberFacts>> number_lists(const RuleSet& rules) {
    std::vector<std::vector<NumberFacts>> lists{{}};
    for (const NumberClass& number_class : number_classes(rules)) {
        NumberFacts facts;
        facts.valid = number_class.valid;
        facts.region = number_class.region;
        facts.kind = number_class.kind;
        lists.push_back({facts});
        NumberFacts repeat = facts;
        repeat.duplicate_of = 0;
        lists.push_back({facts, repeat});
    }
    return lists;
}

// One instant of each period in which the rules decide alike: before the first change, then each
// change; a single one for rules that are not dated.
std::vector<Instant> period_representatives(const RuleSet& rules) {
    if (!rules.dated()) return {Instant{}};
    std::vector<Instant> instants{rules.change_instants.front() - std::chrono::seconds(1)};
    instants.insert(instants.end(), rules.change_instants.begin(), rules.change_instants.end());
    return instants;
}

// ", from 2027-01-01 until 2027-06-01" for the period that begins at `instant`; empty for rules
// that are not dated.
std::string period_of(const RuleSet& rules, Instant instant) {
    if (!rules.dated()) return {};
    const auto next = std::upper_bound(rules.change_instants.begin(), rules.change_instants.end(), instant);
    EffectivePeriod period;
    if (next != rules.change_instants.begin()) period.from = *(next - 1);
    if (next != rules.change_instants.end()) period.until = *next;
    return ", " + period.describe();
}

std::string describe(const RuleSet& rules, const Point& point) {
    const Request& request = point.request;
    std::string out = "{country: " + request.country + ", action: " + request.action +
                      ", number_type: " + request.number_type.value_or("unspecified");
    if (request.count) out += ", count: " + std::to_string(*request.count);
    out += std::string(", pin_is_set: ") + (request.pin_is_set ? "true" : "false");
    if (!point.numbers.empty()) {
        const NumberFacts& number = point.numbers.front();
        out += ", numbers: [" + std::to_string(point.numbers.size()) + " x " +
               (number.valid ? "a valid " + std::string(to_string(number.kind)) + " number of " +
                                   (number.region == "ZZ" ? std::string("another region") : number.region)
                             : std::string("an invalid number")) +
               (point.numbers.size() > 1 ? ", repeated" : "") + "]";
    }
    return out + "}" + period_of(rules, point.words.as_of);
}

template <typename Visit>
std::size_t for_each_point(const RuleSet& rules, Instant as_of, Visit visit) {
    const auto counts = count_representatives(rules);
    const auto lists = number_lists(rules);
    // A valid PIN of the shortest allowed length, so that PIN rules do not hide the rules' own gaps.
    const TransferPin valid_pin(std::string(std::max<std::size_t>(rules.pin.min_length, 1), '1'));
    std::size_t examined = 0;
    Point point;
    for (std::size_t action = 0; action < rules.words.actions.size(); ++action) {
        if (!rules.offered_actions.contains(action)) continue;
        // The types in the file's order, then unspecified (id 0), as people list them.
        for (std::size_t step = 1; step <= rules.words.number_types.size() + 1; ++step) {
            const std::size_t type = step % (rules.words.number_types.size() + 1);
            for (const std::string& country : rules.countries) {
                for (bool pin_is_set : {false, true}) {
                    for (std::uint64_t count : counts) {
                        for (const auto& numbers : lists) {
                            Request& request = point.request;
                            request.country = country;
                            request.action = rules.words.actions[action];
                            request.number_type = type == Vocabulary::unspecified_number_type
                                                      ? std::nullopt
                                                      : std::optional<std::string>(rules.words.number_type_word(type));
                            point.words = {action, type, as_of};
                            request.pin_is_set = pin_is_set;
                            request.pin = valid_pin;
                            if (numbers.empty()) {
                                request.numbers.reset();
                            } else {
                                request.numbers = std::vector<std::string>(numbers.size(), "+0");
                            }
                            // A count equal to the list's length is the same as no count at all.
                            request.count = count == numbers.size() ? std::nullopt : std::optional<std::uint64_t>(count);
                            point.numbers = numbers;
                            visit(point);
                            ++examined;
                        }
                    }
                }
            }
        }
    }
    return examined;
}

// Setting or clearing the PIN is decided by the file's `pin` section, not by its rules.
bool pin_handles(const RuleSet& rules, std::size_t action) {
    return rules.pin.used && (rules.pin.sets.contains(action) || rules.pin.clears.contains(action));
}

struct RulePair {
    bool operator<(const RulePair& other) const { return std::tie(first, second) < std::tie(other.first, other.second); }
    std::size_t first;
    std::size_t second;
};

}  // namespace

RuleAnalysis analyze_rules(const RuleSet& rules, const std::string& file) {
    RuleAnalysis analysis;
    const std::size_t rule_count = rules.rules.size();
    std::vector<bool> satisfiable(rule_count, false);
    std::vector<bool> reached(rule_count, false);
    std::vector<std::set<std::size_t>> stopped_by(rule_count);  // final rules that matched first
    struct MailboxConflict {
        std::string example;  // a request both rules match
        std::size_t earlier;  // the mailboxes they give it, as contact indexes
        std::size_t later;
    };
    std::map<RulePair, MailboxConflict> mailbox_conflicts;  // (earlier rule, later rule) -> what they disagree on
    std::map<std::pair<std::size_t, std::size_t>, std::string> gaps;  // (action, number type) ids -> example
    std::map<std::pair<std::size_t, std::size_t>, std::string> unmatched;  // allowed, yet no rule matched
    WordSet actions_with_channel;  // actions some rule gives a form or a contact
    WordSet actions_with_rules;
    for (const Rule& rule : rules.rules) {
        if (rule.then.forms.empty() && rule.then.contacts.empty()) continue;
        if (rule.when.actions) {
            actions_with_channel |= *rule.when.actions;
        } else {
            actions_with_channel |= rules.offered_actions;
        }
    }

    // Every period is proved on its own: a gap or a conflict that exists only from some date on is
    // found, and its example says when.
    for (const Instant as_of : period_representatives(rules)) {
    analysis.requests_examined += for_each_point(rules, as_of, [&](const Point& point) {
        std::optional<std::size_t> stopper;
        std::optional<std::size_t> mailbox_rule;
        for (std::size_t i = 0; i < rule_count; ++i) {
            const Rule& rule = rules.rules[i];
            if (!condition_holds(rule.when, point.request, point.words, point.numbers)) continue;
            satisfiable[i] = true;
            if (stopper) {
                stopped_by[i].insert(*stopper);
                continue;
            }
            reached[i] = true;
            actions_with_rules.insert(point.words.action);
            const Instant at = point.words.as_of;
            if (const auto mailbox = first_mailbox(rules, rule.then, at)) {
                if (!mailbox_rule) {
                    mailbox_rule = i;
                } else if (const auto earlier = first_mailbox(rules, rules.rules[*mailbox_rule].then, at); earlier != mailbox) {
                    mailbox_conflicts.emplace(RulePair{*mailbox_rule, i}, MailboxConflict{describe(rules, point), *earlier, *mailbox});
                }
            }
            if (rule.final) stopper = i;
        }
        if (pin_handles(rules, point.words.action)) return;
        Decision decision;
        evaluate_rules(rules, point.request, point.words, point.numbers, decision);
        if (!decision.allowed() || !decision.forms.empty() || !decision.contacts.empty()) return;
        // Unspecified sorts after the types, as the findings list them.
        const std::size_t type = point.words.number_type == Vocabulary::unspecified_number_type
                                     ? rules.words.number_types.size() + 1
                                     : point.words.number_type;
        // Allowed with nothing said at all is a gap whatever other requests get; allowed with a
        // note only is one when requests of the same action are given somewhere to go.
        if (decision.matched_rules.empty()) {
            unmatched.emplace(std::make_pair(point.words.action, type), describe(rules, point));
        } else if (actions_with_channel.contains(point.words.action)) {
            gaps.emplace(std::make_pair(point.words.action, type), describe(rules, point));
        }
    });
    }

    const auto warn = [&](SourceLocation where, std::string message, std::string code) {
        analysis.findings.push_back({file, where.line, where.column, Severity::warning, std::move(message), std::move(code)});
    };
    for (std::size_t i = 0; i < rule_count; ++i) {
        const Rule& rule = rules.rules[i];
        if (reached[i] || (rule.when.actions && !rule.when.actions->intersects(rules.offered_actions))) {
            continue;  // the loader said so
        }
        if (!satisfiable[i]) {
            warn(rule.location, "rule '" + rule.id + "' can never match: no request meets all its conditions", "analysis.never_matches");
            continue;
        }
        std::string stoppers;
        for (std::size_t stopper : stopped_by[i]) {
            stoppers += (stoppers.empty() ? "'" : ", '") + rules.rules[stopper].id + "'";
        }
        warn(rule.location, "rule '" + rule.id + "' is shadowed: every request it matches is stopped first by final rule " +
                                stoppers + " above it", "analysis.shadowed");
    }
    for (const auto& [pair, conflict] : mailbox_conflicts) {
        const Rule& earlier = rules.rules[pair.first];
        const Rule& later = rules.rules[pair.second];
        warn(later.location, "rule '" + later.id + "' conflicts with rule '" + earlier.id + "': both match requests such as " +
                                 conflict.example + ", with mailboxes '" + rules.contacts[conflict.later].id + "' and '" +
                                 rules.contacts[conflict.earlier].id + "'; the earlier one wins silently. Mark '" +
                                 earlier.id + "' final, or make their conditions exclusive", "analysis.mailbox_conflict");
    }
    const auto type_word = [&](std::size_t sort_key) {
        return std::string(rules.words.number_type_word(
            sort_key > rules.words.number_types.size() ? Vocabulary::unspecified_number_type : sort_key));
    };
    for (const auto& [key, example] : unmatched) {
        if (!actions_with_rules.contains(key.first)) continue;  // the whole action's gap, below, says it
        warn(rules.actions_location, "gap: an allowed " + rules.words.actions[key.first] + " request with number_type " +
                                         type_word(key.second) +
                                         " matches no rule: it is allowed with no form, no contact and no note, "
                                         "for example " + example + "; give it a rule, or deny it", "analysis.gap");
    }
    for (const auto& [key, example] : gaps) {
        warn(rules.actions_location, "gap: an allowed " + rules.words.actions[key.first] + " request with number_type " +
                                         type_word(key.second) + " gets no form and no mailbox, for example " + example, "analysis.gap");
    }
    for (std::size_t action = 0; action < rules.words.actions.size(); ++action) {
        if (rules.offered_actions.contains(action) && !actions_with_rules.contains(action) && !pin_handles(rules, action)) {
            warn(rules.actions_location,
                 "gap: action " + rules.words.actions[action] + " is offered but no rule matches any request for it", "analysis.gap");
        }
    }
    for (std::size_t form = 0; form < rules.forms.size(); ++form) {
        const bool named = std::any_of(rules.rules.begin(), rules.rules.end(), [&](const Rule& rule) {
            return std::find(rule.then.forms.begin(), rule.then.forms.end(), form) != rule.then.forms.end();
        });
        if (!named) {
            warn(rules.forms[form].location, "form '" + rules.forms[form].form.id +
                                                 "' is in 'forms' but no rule names it: no decision will ever give it", "analysis.unused_form");
        }
    }
    std::stable_sort(analysis.findings.begin(), analysis.findings.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    return analysis;
}

}  // namespace telpolicy
