// Effective dates: forms, contacts and rules in effect from `valid_from` until `valid_until`, a
// request decided for its `as_of`, every period proved by validate, and explanations that say which
// rules were out of their dates.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <thread>

#include <telpolicy/authoring.hpp>
#include <telpolicy/date_time.hpp>

#include "evaluation/explain.hpp"
#include "evaluation/evaluator.hpp"
#include "policy/rule_loader.hpp"
#include "request/request_parser.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

// A letter of authorization that goes from version 1 to version 2 on 1 March 2027, a mailbox retired
// on 22 July 2021 for a portal, and a rule that ends on 1 June 2027.
constexpr const char* dated_rules = R"(format: 1
plugin: xt
countries: [XT]
actions: [port_in, new_numbers]
pin: {used: false}
forms:
  - {id: loa-v1, title: Letter of authorization, version: "1", url: "https://example.test/loa-v1.pdf", valid_until: 2027-03-01}
  - {id: loa-v2, title: Letter of authorization, version: "2", url: "https://example.test/loa-v2.pdf", valid_from: 2027-03-01}
contacts:
  - {id: desk-mail, kind: mailbox, address: desk@example.test, valid_until: 2021-07-22}
  - {id: desk-portal, kind: portal, url: "https://portal.example.test/", valid_from: 2021-07-22}
rules:
  - id: xt.port-in
    then: {forms: [loa-v1, loa-v2], contacts: [desk-mail, desk-portal]}
    when: {action: port_in}
  - id: xt.new-numbers
    when: {action: new_numbers}
    then: {contacts: [desk-mail, desk-portal]}
  - id: xt.new-numbers.until-june
    valid_until: "2027-06-01T00:00:00+02:00"
    when: {action: new_numbers}
    then: {notes: [until June]}
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto found = text.find(from);
    EXPECT_NE(found, std::string::npos) << from;
    return text.replace(found, from.size(), to);
}

Instant at(std::string_view text) {
    const ParsedInstant parsed = parse_date_time(text);
    EXPECT_TRUE(parsed.value) << text << ": " << parsed.error;
    return parsed.value.value_or(Instant{});
}

const RuleSet& rules() {
    static const RuleSet loaded = [] {
        RuleLoadResult result = load_rules_text(dated_rules, "xt.yaml");
        for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << d.to_string();
        return std::move(*result.value);
    }();
    return loaded;
}

Decision decide(std::string json) {
    const ParsedRequest parsed = parse_request(json);
    EXPECT_TRUE(parsed.request) << parsed.error;
    Decision decision;
    evaluate_rules(rules(), *parsed.request, decision);
    return decision;
}

std::vector<std::string> versions(const Decision& decision) {
    std::vector<std::string> out;
    for (const Form& form : decision.forms) out.push_back(form.version.value_or("none"));
    return out;
}

TEST(DateTime, ReadsDatesAndDateTimesWithTheirZone) {
    EXPECT_EQ(format_timestamp(at("2027-03-01")), "2027-03-01T00:00:00Z");
    EXPECT_EQ(format_timestamp(at("2027-03-01T09:30:00Z")), "2027-03-01T09:30:00Z");
    EXPECT_EQ(format_timestamp(at("2027-03-01T09:30:00+01:00")), "2027-03-01T08:30:00Z");
    EXPECT_EQ(format_timestamp(at("2027-03-01T00:30-01:00")), "2027-03-01T01:30:00Z");
    EXPECT_EQ(format_timestamp(at("2027-03-01t09:30:15.250z")), "2027-03-01T09:30:15Z");
    EXPECT_EQ(format_timestamp(at("2024-02-29")), "2024-02-29T00:00:00Z");
    EXPECT_EQ(format_date_time(at("2027-03-01")), "2027-03-01");
    EXPECT_EQ(format_date_time(at("2027-03-01T09:30:00Z")), "2027-03-01T09:30:00Z");
}

TEST(DateTime, RefusesWhatIsNotADateOrHasNoZone) {
    EXPECT_NE(parse_date_time("2027-03-01T09:30:00").error.find("has no zone; add Z for UTC"), std::string::npos);
    EXPECT_NE(parse_date_time("2023-02-29").error.find("there is no such day as 2023-02-29"), std::string::npos);
    EXPECT_NE(parse_date_time("2027-13-01").error.find("no such day"), std::string::npos);
    EXPECT_NE(parse_date_time("2027-03-01T24:00:00Z").error.find("out of range"), std::string::npos);
    EXPECT_NE(parse_date_time("2027-03-01T09:00:00+25:00").error.find("out of range"), std::string::npos);
    for (const char* text : {"", "tomorrow", "2027-3-1", "01/03/2027", "2027-03-01T9:30Z", "2027-03-01T09:30:00+0100",
                             "2027-03-01 extra", "2027-03-01T09:30:00.Z"}) {
        EXPECT_FALSE(parse_date_time(text).value) << text;
        EXPECT_FALSE(parse_date_time(text).error.empty()) << text;
    }
}

TEST(EffectiveDates, AFormValidFromTomorrowIsOfferedFromTomorrowOn) {
    EXPECT_EQ(versions(decide(R"({"country":"XT","action":"port_in","as_of":"2027-02-28T23:59:59Z"})")),
              std::vector<std::string>{"1"});
    EXPECT_EQ(versions(decide(R"({"country":"XT","action":"port_in","as_of":"2027-03-01"})")), std::vector<std::string>{"2"});
    // 00:30 in Paris is still the last day of February in UTC.
    EXPECT_EQ(versions(decide(R"({"country":"XT","action":"port_in","as_of":"2027-03-01T00:30:00+01:00"})")),
              std::vector<std::string>{"1"});
}

TEST(EffectiveDates, ARetiredMailboxIsNoLongerGivenFromTheDayItWasRetired) {
    const Decision before = decide(R"({"country":"XT","action":"new_numbers","as_of":"2021-07-21"})");
    ASSERT_EQ(before.contacts.size(), 1u);
    EXPECT_EQ(before.mailbox, "desk@example.test");
    const Decision after = decide(R"({"country":"XT","action":"new_numbers","as_of":"2021-07-22"})");
    ASSERT_EQ(after.contacts.size(), 1u);
    EXPECT_EQ(after.contacts[0].kind, ContactKind::portal);
    EXPECT_FALSE(after.mailbox);
}

TEST(EffectiveDates, ARuleOutOfItsDatesDoesNotMatch) {
    const Decision may = decide(R"({"country":"XT","action":"new_numbers","as_of":"2027-05-31T21:59:59Z"})");
    EXPECT_EQ(may.notes, std::vector<std::string>{"until June"});
    const Decision june = decide(R"({"country":"XT","action":"new_numbers","as_of":"2027-05-31T22:00:00Z"})");
    EXPECT_TRUE(june.notes.empty());
    EXPECT_EQ(june.matched_rules, std::vector<std::string>{"xt.new-numbers"});
}

TEST(EffectiveDates, TheDecisionSaysWhichInstantItWasDecidedFor) {
    const Decision asked = decide(R"({"country":"XT","action":"port_in","as_of":"2027-03-01T09:30:00+01:00"})");
    ASSERT_TRUE(asked.as_of);
    EXPECT_EQ(format_timestamp(*asked.as_of), "2027-03-01T08:30:00Z");
    EXPECT_NE(to_json(asked).find(R"("as_of":"2027-03-01T08:30:00Z")"), std::string::npos) << to_json(asked);
    // Dated rules decide for now when the request does not say.
    const Instant before = now();
    const Decision current = decide(R"({"country":"XT","action":"port_in"})");
    ASSERT_TRUE(current.as_of);
    EXPECT_GE(*current.as_of, before);
    EXPECT_LE(*current.as_of, now());
}

TEST(EffectiveDates, UndatedRulesSayNoInstantUnlessAsked) {
    const Engine& engine = us_engine();
    EXPECT_FALSE(engine.evaluate_json(R"({"country":"US","action":"port_in","number_type":"user"})").as_of);
    EXPECT_EQ(to_json(engine.evaluate_json(R"({"country":"US","action":"port_in"})")).find("as_of"), std::string::npos);
    const Decision asked = engine.evaluate_json(R"({"country":"US","action":"port_in","as_of":"2030-01-01"})");
    ASSERT_TRUE(asked.as_of);
    EXPECT_EQ(format_timestamp(*asked.as_of), "2030-01-01T00:00:00Z");
    // A kept decision refilled for an undated request drops the instant it held.
    Decision kept = asked;
    ParsedRequest plain = parse_request(R"({"country":"US","action":"port_in"})");
    engine.evaluate(*plain.request, kept);
    EXPECT_FALSE(kept.as_of);
}

TEST(EffectiveDates, AnAsOfThatIsNotADateIsRequestInvalid) {
    const ParsedRequest no_zone = parse_request(R"({"country":"US","action":"port_in","as_of":"2027-03-01T09:30"})");
    EXPECT_FALSE(no_zone.request);
    EXPECT_NE(no_zone.error.find("field 'as_of' \"2027-03-01T09:30\": the date-time"), std::string::npos) << no_zone.error;
    const ParsedRequest number = parse_request(R"({"country":"US","action":"port_in","as_of":20270301})");
    EXPECT_NE(number.error.find("field 'as_of' must be a date or a date-time"), std::string::npos) << number.error;
    const Decision decision = us_engine().evaluate_json(R"({"country":"US","action":"port_in","as_of":"2027-02-30"})");
    ASSERT_EQ(decision.violations.size(), 1u);
    EXPECT_EQ(decision.violations[0].code, "request.invalid");
}

TEST(EffectiveDates, TheFastAndTheFullReaderReadAsOfAlike) {
    for (const char* text : {R"({"country":"US","action":"port_in","as_of":"2027-03-01"})",
                             R"({"country":"US","action":"port_in","as_of":"2027-03-01T09:30:00-05:00"})",
                             R"({"country":"US","action":"port_in","as_of":null})"}) {
        Request fast;
        ASSERT_TRUE(detail::parse_request_fast(text, Limits{}, fast)) << text;
        const ParsedRequest full = detail::parse_request_full(text, Limits{});
        ASSERT_TRUE(full.request) << text;
        EXPECT_EQ(fast.as_of, full.request->as_of) << text;
    }
    Request fast;
    EXPECT_FALSE(detail::parse_request_fast(R"({"country":"US","action":"port_in","as_of":"someday"})", Limits{}, fast));
}

TEST(EffectiveDates, ExplainSaysWhichRulesWereOutOfTheirDates) {
    const ParsedRequest parsed = parse_request(R"({"country":"XT","action":"new_numbers","as_of":"2027-07-01"})");
    Decision decision;
    std::vector<TraceStep> trace;
    explain_rules(rules(), *parsed.request, decision, trace);
    const auto step = std::find_if(trace.begin(), trace.end(), [](const TraceStep& s) { return s.rule == "xt.new-numbers.until-june"; });
    ASSERT_NE(step, trace.end());
    EXPECT_EQ(step->outcome, TraceStep::Outcome::not_matched);
    EXPECT_EQ(step->detail, "out of its dates: in effect until 2027-05-31T22:00:00Z; decided for 2027-07-01T00:00:00Z");
    const auto matched = std::find_if(trace.begin(), trace.end(), [](const TraceStep& s) { return s.rule == "xt.new-numbers"; });
    ASSERT_NE(matched, trace.end());
    EXPECT_NE(matched->detail.find("mailbox desk@example.test (not given: in effect until 2021-07-22)"), std::string::npos)
        << matched->detail;
}

// The loaded rules hold every period: a change scheduled two seconds ahead takes effect then, with
// no reload (the test waits for it; it asserts what is decided, never how long anything took).
TEST(EffectiveDates, AScheduledChangeTakesEffectAtItsInstantWithNoReload) {
    const auto dir = make_temp_dir("telpolicy-dates");
    std::string us;
    {
        std::ifstream in(std::filesystem::path(TELPOLICY_TEST_RULES_DIR) / "us.yaml");
        us.assign(std::istreambuf_iterator<char>(in), {});
    }
    const Instant change = now() + std::chrono::seconds(2);
    us = replace(us, "address: ptn@microsoft.com", "address: ptn@microsoft.com\n    valid_until: \"" + format_timestamp(change) + "\"");
    std::ofstream(dir / "us.yaml") << us;
    EngineOptions options;
    options.plugin_dirs = {TELPOLICY_TEST_PLUGIN_DIR};
    options.rules_dirs = {dir};
    const Engine engine(options);
    ASSERT_EQ(engine.load_report().loaded.size(), 1u);
    const std::string request = R"({"country":"US","action":"port_in","number_type":"toll_free"})";
    const Decision before = engine.evaluate_json(request);
    if (now() < change) {  // a slow machine may have passed the instant already: then only "after" is told
        EXPECT_EQ(before.mailbox, "ptn@microsoft.com");
    }
    while (now() < change) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const Decision after = engine.evaluate_json(request);
    EXPECT_FALSE(after.mailbox);
    EXPECT_EQ(engine.revision(), 1u);
    std::filesystem::remove_all(dir);
}

std::vector<std::string> load_messages(const std::string& text) {
    std::vector<std::string> out;
    for (const Diagnostic& d : load_rules_text(text, "xt.yaml").diagnostics) out.push_back(d.to_string());
    return out;
}


TEST(EffectiveDates, ABadDateIsAPositionedError) {
    EXPECT_EQ(load_messages(replace(dated_rules, "valid_until: 2027-03-01}", "valid_until: 2027-02-30}")),
              std::vector<std::string>{"xt.yaml:7:117: error: form 'loa-v1' valid_until '2027-02-30': there is no such day as 2027-02-30"});
    EXPECT_EQ(load_messages(replace(dated_rules, "valid_until: \"2027-06-01T00:00:00+02:00\"", "valid_until: 2027-06-01T00:00")),
              std::vector<std::string>{"xt.yaml:20:18: error: rule 'xt.new-numbers.until-june' valid_until '2027-06-01T00:00': "
                                       "the date-time '2027-06-01T00:00' has no zone; add Z for UTC or an offset such as +01:00"});
    EXPECT_EQ(load_messages(replace(dated_rules, "valid_from: 2021-07-22}", "valid_from: 2021-07-22, valid_until: 2021-07-22}")),
              std::vector<std::string>{"xt.yaml:11:111: error: contact 'desk-portal' is valid until 2021-07-22, not after it is "
                                       "valid from (2021-07-22): it would never be in effect"});
}

TEST(EffectiveDates, ValidateListsTheInstantsAtWhichDecisionsChange) {
    const RulesCheck check = check_rules_text(dated_rules, "xt.yaml");
    ASSERT_TRUE(check.loaded);
    ASSERT_EQ(check.schedule.size(), 3u);
    EXPECT_EQ(check.schedule[0].when, "2021-07-22");
    EXPECT_EQ(check.schedule[0].changes, (std::vector<std::string>{"contact 'desk-mail' ends", "contact 'desk-portal' takes effect"}));
    EXPECT_EQ(check.schedule[1].when, "2027-03-01");
    EXPECT_EQ(check.schedule[1].changes, (std::vector<std::string>{"form 'loa-v1' ends", "form 'loa-v2' takes effect"}));
    EXPECT_EQ(check.schedule[2].when, "2027-05-31T22:00:00Z");
    EXPECT_EQ(check.schedule[2].changes, std::vector<std::string>{"rule 'xt.new-numbers.until-june' ends"});
    EXPECT_TRUE(check.diagnostics.empty()) << check.diagnostics.front().to_string();
    // Every period is examined: four of them.
    const RulesCheck undated = check_rules_text(replace(replace(replace(replace(replace(dated_rules,
        ", valid_until: 2027-03-01}", "}"), ", valid_from: 2027-03-01}", "}"), ", valid_until: 2021-07-22}", "}"),
        ", valid_from: 2021-07-22}", "}"), "    valid_until: \"2027-06-01T00:00:00+02:00\"\n", ""), "xt.yaml");
    EXPECT_TRUE(undated.schedule.empty());
    EXPECT_EQ(check.requests_examined, 4 * undated.requests_examined);
}

TEST(EffectiveDates, ValidateFindsAGapThatOpensOnADate) {
    // Without the portal, a new_numbers request has nowhere to go once the mailbox is retired.
    const std::string text = replace(replace(dated_rules, "then: {contacts: [desk-mail, desk-portal]}", "then: {contacts: [desk-mail]}"),
                                     "then: {forms: [loa-v1, loa-v2], contacts: [desk-mail, desk-portal]}",
                                     "then: {forms: [loa-v1, loa-v2], contacts: [desk-mail]}");
    const RulesCheck check = check_rules_text(text, "xt.yaml");
    ASSERT_TRUE(check.loaded);
    std::vector<std::string> gaps;
    for (const Diagnostic& d : check.diagnostics) {
        if (d.code == "analysis.gap") gaps.push_back(d.message);
    }
    ASSERT_FALSE(gaps.empty());
    for (const std::string& gap : gaps) {  // one per number type
        EXPECT_NE(gap.find("an allowed new_numbers request"), std::string::npos) << gap;
        EXPECT_NE(gap.find("}, from 2021-07-22 until 2027-03-01"), std::string::npos) << gap;
    }
}

}  // namespace
}  // namespace telpolicy::test
