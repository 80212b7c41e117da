// Locale matching: exact tag, then language, then all translations, case ignored.
#include <gtest/gtest.h>

#include "test_engine.hpp"

namespace telpolicy::test {
namespace {

// The test plugin "xa" offers one document in en-GB, fr-FR and fr-CA.
const Engine& xa_engine() {
    static const Engine engine = make_engine({test_plugin_dir("good_xa")});
    return engine;
}

std::vector<std::string> forms_for(const std::string& locale_field) {
    const auto decision = nlohmann::json::parse(
        to_json(xa_engine().evaluate_json(R"({"country":"XA","action":"new_numbers")" + locale_field + "}")));
    return form_ids(decision);
}

TEST(LocaleMatching, WithoutALocaleEveryTranslationIsListed) {
    EXPECT_EQ(forms_for(""), (std::vector<std::string>{"xa-form-en", "xa-form-fr", "xa-form-fr-ca"}));
}

TEST(LocaleMatching, AnExactTagKeepsOnlyThatTranslationIgnoringCase) {
    EXPECT_EQ(forms_for(R"(,"locale":"fr-CA")"), std::vector<std::string>{"xa-form-fr-ca"});
    EXPECT_EQ(forms_for(R"(,"locale":"FR-ca")"), std::vector<std::string>{"xa-form-fr-ca"});
    EXPECT_EQ(forms_for(R"(,"locale":"en_gb")"), std::vector<std::string>{"xa-form-en"});
}

TEST(LocaleMatching, ALanguageAloneKeepsEveryTranslationInIt) {
    EXPECT_EQ(forms_for(R"(,"locale":"fr")"), (std::vector<std::string>{"xa-form-fr", "xa-form-fr-ca"}));
    EXPECT_EQ(forms_for(R"(,"locale":"fr-BE")"), (std::vector<std::string>{"xa-form-fr", "xa-form-fr-ca"}));
}

TEST(LocaleMatching, NoMatchListsEveryTranslation) {
    EXPECT_EQ(forms_for(R"(,"locale":"de-DE")"), (std::vector<std::string>{"xa-form-en", "xa-form-fr", "xa-form-fr-ca"}));
}

TEST(LocaleMatching, UsFormsExistInOneLocaleAndAreAlwaysListed) {
    EXPECT_EQ(form_ids(decide(R"({"country":"US","action":"new_numbers","locale":"es-US"})")),
              std::vector<std::string>{"us-new-numbers-subscriber"});
}

}  // namespace
}  // namespace telpolicy::test
