// validate's form checks (analysis/form_checks.cpp), and forms that a page gives no version, locale
// or link: the mistakes of the public pages, each found, explained or reported.
#include <gtest/gtest.h>

#include "analysis/form_checks.hpp"
#include "policy/rule_loader.hpp"
#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

TEST(FormChecks, LocalesThatAreNotLanguageTags) {
    for (const char* good : {"en-US", "en-us", "de-at", "fr-CA", "nb-NO", "cs-CZ", "de", "es-419", "zh-Hans-CN", "en-fi"}) {
        EXPECT_EQ(locale_tag_problem(good), "") << good;
    }
    EXPECT_NE(locale_tag_problem("en.us").find("not a well-formed BCP 47 tag"), std::string::npos);
    EXPECT_NE(locale_tag_problem("en_US").find("not a well-formed"), std::string::npos);
    EXPECT_NE(locale_tag_problem("").find("not a well-formed"), std::string::npos);
    EXPECT_NE(locale_tag_problem("cz-cz").find("'cz' is not an ISO 639 language"), std::string::npos);
    EXPECT_NE(locale_tag_problem("zn-CN").find("'zn' is not an ISO 639 language"), std::string::npos);
    EXPECT_NE(locale_tag_problem("en-nw").find("'NW' is not an ISO 3166 region"), std::string::npos);
    EXPECT_NE(locale_tag_problem("rm-rm").find("'RM' is not an ISO 3166 region"), std::string::npos);
}

TEST(FormChecks, CountriesNamedInTitlesAndFileNames) {
    using codes = std::vector<std::string>;
    EXPECT_EQ(countries_named("New phone number request for Norway"), codes{"NO"});
    EXPECT_EQ(countries_named("new-phone-number-request-for-the-united-states-(v.5.0)-(en-us).pdf"), codes{"US"});
    EXPECT_EQ(countries_named("New Phone Number Request for the U.S. (Subscriber numbers)"), codes{"US"});
    EXPECT_EQ(countries_named("letter-of-authorization-(loa)-for-the-u.k.-(geographic-numbers)-(v.2.0)-(en-us).pdf"), codes{"GB"});
    EXPECT_EQ(countries_named("Letter of Authorization (LOA) for the Czech Republic (all numbers)"), codes{"CZ"});
    EXPECT_EQ(countries_named("New phone number request for the Netherlands"), codes{"NL"});
    EXPECT_EQ(countries_named("Know your customer form"), codes{});
    // Whole words only: "Niger" is not in "Nigeria", and no country hides in "usage".
    EXPECT_EQ(countries_named("numbers in Nigeria for usage"), codes{"NG"});
}

TEST(FormChecks, VersionOfALinksFile) {
    EXPECT_EQ(version_in_link("https://x.test/letter-of-authorization-(loa)-for-luxembourg-(all-numbers)-(v1.1)-(en-lu).pdf"), "1.1");
    EXPECT_EQ(version_in_link("https://x.test/a/New%20Phone%20Number%20Request%20for%20the%20U.S.%20%28Subscriber%20numbers%29%20(v.3)%20(en.US).pdf"), "3");
    EXPECT_EQ(version_in_link("https://x.test/dl/LOA-MX-GEO-ES.pdf"), "");
    EXPECT_EQ(version_in_link("https://github.com/o/r/blob/live/v2/form-(v.5.0).pdf?raw=true"), "5.0");
}

constexpr const char* page_mistakes = R"(format: 1
plugin: xm
countries: [XM]
actions: [new_numbers]
pin: {used: false}
forms:
  - {id: other-country, title: New phone number request for Norway, version: "1.0", locale: nb-NO,
     url: "https://x.test/new-phone-number-request-for-the-united-states-(v.5.0)-(en-us).pdf"}
  - {id: other-version, title: LOA for Luxembourg, version: "1.0", locale: en-lu,
     url: "https://x.test/letter-of-authorization-(loa)-for-luxembourg-(all-numbers)-(v1.1)-(en-lu).pdf"}
  - {id: bad-locale, title: LOA for Norway, version: "1.0", locale: en-nw, url: "https://x.test/loa-norway-(v1.0).pdf"}
  - id: explained
    title: LOA for Norway
    version: "1.0"
    locale: en-nw
    url: "https://x.test/loa-finland-(v1.0).pdf"
    expected_warnings:
      locale: "the page writes en-nw"
      url_country: "the page links Finland's letter"
  - id: stale
    title: New phone number request for Norway
    version: "1.0"
    locale: nb-NO
    expected_warnings: {url_version: "fixed since"}
  - {id: nothing-given, title: Know your customer form}
mailboxes: [{id: m, address: m@x.test}]
rules:
  - id: xm.new
    when: {action: new_numbers}
    then: {forms: [other-country, other-version, bad-locale, explained, stale, nothing-given], mailbox: m}
)";

TEST(FormChecks, WarnUnlessTheFileExpectsTheWarning) {
    const RuleLoadResult loaded = load_rules_text(page_mistakes, "xm.yaml");
    ASSERT_TRUE(loaded.value) << loaded.diagnostics.front().to_string();
    const auto findings = check_forms(*loaded.value, "xm.yaml");
    std::vector<std::string> messages;
    for (const Diagnostic& d : findings) {
        EXPECT_EQ(d.severity, Severity::warning);
        messages.push_back(d.to_string());
    }
    ASSERT_EQ(messages.size(), 5u) << ::testing::PrintToString(messages);
    EXPECT_NE(messages[0].find("xm.yaml:7:5: warning: form 'other-country' links a file of United States"), std::string::npos)
        << messages[0];
    EXPECT_NE(messages[0].find("but its title is for Norway"), std::string::npos);
    EXPECT_NE(messages[1].find("form 'other-country' is version 1.0, but its link's file is v5.0"), std::string::npos) << messages[1];
    EXPECT_NE(messages[2].find("form 'other-version' is version 1.0, but its link's file is v1.1"), std::string::npos) << messages[2];
    EXPECT_NE(messages[3].find("form 'bad-locale' locale 'en-nw' is not a valid BCP 47 tag"), std::string::npos) << messages[3];
    EXPECT_NE(messages[3].find("expected_warnings.locale"), std::string::npos);
    EXPECT_NE(messages[4].find("form 'stale' expects a 'url_version' warning that validate does not give"), std::string::npos)
        << messages[4];
}

TEST(FormChecks, AnUnknownExpectedWarningIsAnError) {
    const std::string text = std::string(page_mistakes).replace(std::string(page_mistakes).find("url_version: \"fixed"), 11,
                                                                "url_versoin");
    const RuleLoadResult loaded = load_rules_text(text, "xm.yaml");
    EXPECT_FALSE(loaded.value);
    ASSERT_FALSE(loaded.diagnostics.empty());
    EXPECT_NE(loaded.diagnostics.front().message.find("unknown warning 'url_versoin'; did you mean 'url_version'?"),
              std::string::npos)
        << loaded.diagnostics.front().message;
}

TEST(FormChecks, AFormWithoutVersionLocaleOrLinkIsNullInTheDecision) {
    const RuleLoadResult loaded = load_rules_text(page_mistakes, "xm.yaml");
    ASSERT_TRUE(loaded.value);
    const Form& form = loaded.value->forms.back().form;
    EXPECT_EQ(form.title, "Know your customer form");
    EXPECT_FALSE(form.version);
    EXPECT_FALSE(form.locale);
    EXPECT_FALSE(form.url);
}

}  // namespace
}  // namespace telpolicy::test
