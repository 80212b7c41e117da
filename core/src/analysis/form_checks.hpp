// What `telpolicy validate` says about a form's own fields, against the mistakes the public pages
// make: a link to another country's form, a link whose file names another version, a locale that is
// not a language tag. A form's `expected_warnings` keep a warning the page itself causes (with the
// reason); an expected warning that no longer occurs is reported, so that explanations stay true.
#pragma once

#include <string>
#include <vector>

#include <telpolicy/diagnostic.hpp>
#include "policy/rule_set.hpp"

namespace telpolicy {

// Why `tag` is not a well-formed, valid BCP 47 tag (ISO 639 language, ISO 3166 region), or empty.
std::string locale_tag_problem(const std::string& tag);

// The countries (ISO 3166-1 alpha-2, sorted) that a title or a link's file name names in English,
// by ICU's English names and the names the documentation uses ("the U.S.", "the U.K.").
std::vector<std::string> countries_named(const std::string& text);

// The version a link's file name gives ("...-(v.5.0)-(en-us).pdf" -> "5.0"), or empty.
std::string version_in_link(const std::string& url);

// Warnings about the forms of `rules`, positioned in `file`.
std::vector<Diagnostic> check_forms(const RuleSet& rules, const std::string& file);

}  // namespace telpolicy
