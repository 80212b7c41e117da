// `telpolicy replay`: decides every request of a decision log again with candidate rules, and reports
// what changes, streaming (constant memory however long the log: counts, and a few examples of each
// kind of change).
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <telpolicy/pin_facts.hpp>
#include <telpolicy/request.hpp>

#include "commands.hpp"
#include "decision_change.hpp"
#include "line_reader.hpp"
#include "logged_decision.hpp"

namespace telpolicy::cli {
namespace {

using report_json = nlohmann::ordered_json;

// A log line carries a whole decision beside its request: it may be longer than any request.
constexpr std::size_t max_log_line_bytes = std::size_t{64} << 20;

struct ChangeExample {
    std::size_t line{0};
    std::string decision_id;
    std::string request;  // the logged input's JSON (the log never kept the PIN)
    DecisionChange change;
};

struct UnreadableLine {
    std::size_t line{0};
    std::string error;
};

struct ReplayReport {
    std::size_t replayed{0};
    std::size_t unchanged{0};
    std::size_t changed{0};
    std::array<std::size_t, change_kind_count> by_kind{};
    std::array<std::vector<ChangeExample>, change_kind_count> examples;
    std::map<std::string, std::size_t> not_replayable;  // reason -> how many
    std::size_t unreadable{0};
    std::vector<UnreadableLine> unreadable_examples;

    [[nodiscard]] std::size_t not_replayable_count() const {
        std::size_t count = 0;
        for (const auto& [reason, how_many] : not_replayable) count += how_many;
        return count;
    }
};

// Why a logged request cannot be decided again as it was, or nothing when it can.
constexpr std::string_view unreadable_request = "the request could not be read, so the log kept none of it";
constexpr std::string_view pin_without_facts = "its PIN was erased and the log kept no facts about it (a log written before telpolicy kept them)";
constexpr std::string_view pin_checked_by_plugin =
    "its PIN goes through a check of the plugin's own code that the log has no verdict of, or that judges the stand-in "
    "PIN otherwise than the real one";

// Whether every native check that the candidate rules run on the stand-in PIN gave the real PIN, in
// the log, the verdict it gives the stand-in: then the replayed decision is the real PIN's.
bool judged_alike(const std::vector<PinCheckVerdict>& stand_in, const std::vector<PinCheckVerdict>& logged) {
    return std::all_of(stand_in.begin(), stand_in.end(), [&](const PinCheckVerdict& verdict) {
        return std::find(logged.begin(), logged.end(), verdict) != logged.end();
    });
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) out += (out.empty() ? "'" : ", '") + word + "'";
    return out;
}

// What caused a change, as far as the decisions tell: the rules matched on one side only; failing
// those, the rules matched both times, whose outcome was edited in place.
std::string causes(const DecisionChange& change) {
    std::string out;
    if (!change.rules_new.empty()) out += "now matches " + join(change.rules_new);
    if (!change.rules_gone.empty()) out += (out.empty() ? "" : "; ") + std::string("no longer matches ") + join(change.rules_gone);
    if (out.empty() && !change.rules_both.empty()) out = "edited in place: one of " + join(change.rules_both);
    return out.empty() ? "no rule matched either time" : out;
}

void write_text(std::ostream& out, const ReplayOptions& options, const ReplayReport& report) {
    out << "replayed " << report.replayed << " logged decisions of " << options.log_file << "\n";
    out << "  unchanged: " << report.unchanged << "\n";
    out << "  changed: " << report.changed << "\n";
    for (std::size_t kind = 0; kind < change_kind_count; ++kind) {
        if (report.by_kind[kind] > 0) out << "    " << describe(static_cast<ChangeKind>(kind)) << ": " << report.by_kind[kind] << "\n";
    }
    out << "  not replayable: " << report.not_replayable_count() << "\n";
    for (const auto& [reason, count] : report.not_replayable) out << "    " << count << ": " << reason << "\n";
    out << "  unreadable lines: " << report.unreadable << "\n";
    for (const UnreadableLine& line : report.unreadable_examples) out << "    line " << line.line << ": " << line.error << "\n";
    for (std::size_t kind = 0; kind < change_kind_count; ++kind) {
        if (report.examples[kind].empty()) continue;
        out << "\n" << describe(static_cast<ChangeKind>(kind)) << ": " << report.by_kind[kind] << ", for example:\n";
        for (const ChangeExample& example : report.examples[kind]) {
            out << "  line " << example.line << " (decision " << (example.decision_id.empty() ? "?" : example.decision_id)
                << "): " << example.request << "\n";
            for (const FieldChange& field : example.change.fields) {
                out << "    " << field.field << ": " << field.before << " -> " << field.after << "\n";
            }
            out << "    cause: " << causes(example.change) << "\n";
        }
    }
}

report_json parsed_or_text(const std::string& text) {
    report_json value = report_json::parse(text, nullptr, false);
    return value.is_discarded() ? report_json(text) : value;
}

void write_json(std::ostream& out, const ReplayOptions& options, const ReplayReport& report) {
    report_json changes = report_json::object();
    for (std::size_t kind = 0; kind < change_kind_count; ++kind) {
        report_json examples = report_json::array();
        for (const ChangeExample& example : report.examples[kind]) {
            report_json fields = report_json::array();
            for (const FieldChange& field : example.change.fields) {
                fields.push_back({{"field", field.field}, {"before", parsed_or_text(field.before)}, {"after", parsed_or_text(field.after)}});
            }
            examples.push_back({{"line", example.line},
                                {"decision_id", example.decision_id},
                                {"request", parsed_or_text(example.request)},
                                {"fields", std::move(fields)},
                                {"rules", {{"newly_matched", example.change.rules_new},
                                           {"no_longer_matched", example.change.rules_gone},
                                           {"matched_both_times", example.change.rules_both}}}});
        }
        changes[std::string(to_string(static_cast<ChangeKind>(kind)))] = {{"count", report.by_kind[kind]}, {"examples", std::move(examples)}};
    }
    report_json unreadable = report_json::array();
    for (const UnreadableLine& line : report.unreadable_examples) unreadable.push_back({{"line", line.line}, {"error", line.error}});
    const report_json document{{"log", options.log_file},
                        {"replayed", report.replayed},
                        {"unchanged", report.unchanged},
                        {"changed", report.changed},
                        {"changes", std::move(changes)},
                        {"not_replayable", {{"count", report.not_replayable_count()}, {"reasons", report.not_replayable}}},
                        {"unreadable_lines", {{"count", report.unreadable}, {"examples", std::move(unreadable)}}}};
    out << document.dump(2) << "\n";
}

// The decision writer puts `as_of` last: ,"as_of":"2026-12-02T17:47:19Z"}
bool carries_as_of(std::string_view result) {
    constexpr std::string_view key = ",\"as_of\":\"";
    constexpr std::size_t tail = key.size() + 20 + 2;
    return result.size() >= tail && result.substr(result.size() - tail, key.size()) == key;
}

// A native check that refuses the stand-in PIN refused the real one too (judged_alike): its message,
// the plugin's words about the real PIN, is the logged one.
void keep_native_check_messages(std::string_view result, const std::vector<PinCheckVerdict>& stand_in, Decision& decision) {
    std::optional<report_json> logged;
    for (Violation& violation : decision.violations) {
        const std::size_t check_at = violation.rule.find(".pin.");
        if (check_at == std::string::npos) continue;
        const std::string_view check = std::string_view(violation.rule).substr(check_at + 5);
        const bool refused_by_native_check = std::any_of(stand_in.begin(), stand_in.end(), [&](const PinCheckVerdict& verdict) {
            return !verdict.passed && verdict.check == check;
        });
        if (!refused_by_native_check) continue;
        if (!logged) logged = report_json::parse(result, nullptr, false);
        if (logged->is_discarded() || !logged->contains("violations")) return;
        for (const report_json& was : (*logged)["violations"]) {
            if (was.value("rule", "") == violation.rule && was.value("code", "") == violation.code) {
                violation.message = was.value("message", violation.message);
                break;
            }
        }
    }
}

}  // namespace

int run_replay(const Engine& engine, const ReplayOptions& options) {
    int fd = STDIN_FILENO;
    const bool from_file = !options.log_file.empty() && options.log_file != "-";
    if (from_file) fd = ::open(options.log_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        std::cerr << "telpolicy: cannot open " << options.log_file << ": " << std::strerror(errno) << "\n";
        return exit_bad_input;
    }

    ReplayReport report;
    LineReader reader(fd, max_log_line_bytes);
    LoggedDecisionReader log;
    LoggedDecision logged;
    Decision decision;
    std::string replayed;
    std::string error;
    std::vector<PinCheckVerdict> stand_in_verdicts;
    std::size_t line_number = 0;
    const auto unreadable = [&](std::string why) {
        ++report.unreadable;
        if (report.unreadable_examples.size() < options.examples) report.unreadable_examples.push_back({line_number, std::move(why)});
    };
    int status = exit_ok;
    for (;;) {
        const LineReader::Status got = reader.next();
        if (got == LineReader::Status::end) break;
        if (got == LineReader::Status::error) {
            std::cerr << "telpolicy: reading " << options.log_file << " failed after line " << line_number << ": "
                      << std::strerror(reader.error_number()) << "\n";
            status = exit_bad_input;
            break;
        }
        ++line_number;
        if (got == LineReader::Status::too_long) {
            unreadable("longer than " + std::to_string(max_log_line_bytes) + " bytes");
            continue;
        }
        if (reader.line().find_first_not_of(" \t\r") == std::string_view::npos) continue;
        if (!log.read(reader.line(), logged, error)) {
            unreadable(error);
            continue;
        }
        if (!logged.input) {
            ++report.not_replayable[std::string(unreadable_request)];
            continue;
        }
        ParsedRequest parsed = parse_request(*logged.input, options.limits);
        if (!parsed.request) {
            unreadable("its input is not a request: " + parsed.error);
            continue;
        }
        Request& request = *parsed.request;
        if (logged.pin_erased) {
            if (!logged.pin_facts) {
                ++report.not_replayable[std::string(pin_without_facts)];
                continue;
            }
            request.pin = stand_in_pin(*logged.pin_facts);
            stand_in_verdicts = engine.pin_check_verdicts(request);
            if (!judged_alike(stand_in_verdicts, logged.pin_facts->checks)) {
                ++report.not_replayable[std::string(pin_checked_by_plugin)];
                continue;
            }
        }
        if (options.as_of) request.as_of = *options.as_of;
        engine.evaluate(request, decision);
        // The log's input says when it was decided; the logged decision said so only where that
        // mattered. Saying it now is no change, and would cost every line the slow comparison.
        if (!carries_as_of(logged.result)) decision.as_of.reset();
        if (logged.pin_erased) keep_native_check_messages(logged.result, stand_in_verdicts, decision);
        replayed.clear();
        to_json(decision, replayed);
        ++report.replayed;
        // The usual case: the same bytes as the service wrote, with no document built.
        if (replayed == logged.result) {
            ++report.unchanged;
            continue;
        }
        DecisionChange change;
        try {
            change = compare_decisions(logged.result, replayed);
        } catch (const nlohmann::json::exception&) {
            --report.replayed;
            unreadable("its result is not a JSON decision");
            continue;
        }
        if (change.kinds.empty()) {
            ++report.unchanged;
            continue;
        }
        ++report.changed;
        for (const ChangeKind kind : change.kinds) {
            const auto index = static_cast<std::size_t>(kind);
            ++report.by_kind[index];
            if (report.examples[index].size() < options.examples) {
                report.examples[index].push_back({line_number, logged.decision_id, std::string(*logged.input), change});
            }
        }
    }
    if (from_file) ::close(fd);
    if (options.json) {
        write_json(std::cout, options, report);
    } else {
        write_text(std::cout, options, report);
    }
    if (status != exit_ok) return status;
    return options.fail_on_change && report.changed > 0 ? exit_changed : exit_ok;
}

}  // namespace telpolicy::cli
