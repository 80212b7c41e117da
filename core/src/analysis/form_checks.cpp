// A form's locale, link and version against one another, with ICU's tables of languages, regions
// and English country names (the tables libphonenumber's ICU already brings).
#include "analysis/form_checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <string_view>

#include <unicode/uloc.h>
#include <uriparser/Uri.h>
#include <unicode/ustring.h>

namespace telpolicy {
namespace {

std::string lower_ascii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::set<std::string> string_set(const char* const* list) {
    std::set<std::string> out;
    for (; list != nullptr && *list != nullptr; ++list) out.insert(*list);
    return out;
}

// "%28" -> "(", so that a link's file name reads as its title does (uriparser's unescaping, as the
// rules' links are made fetchable with it).
std::string percent_decoded(std::string text) {
    const char* end = uriUnescapeInPlaceA(text.data());
    text.resize(static_cast<std::size_t>(end - text.data()));
    return text;
}

// The link's last path segment, decoded: what the file says it is.
std::string file_name_of(const std::string& url) {
    std::string path = url.substr(0, url.find_first_of("?#"));
    return percent_decoded(path.substr(path.find_last_of('/') + 1));
}

// Words of lower-case letters, digits and inner dots ("u.s.", "v.5.0"), each between spaces, so
// that a name is found as whole words: " new phone number request for the u.s. ".
std::string as_words(std::string_view text) {
    std::string out = " ";
    std::string word;
    const auto flush = [&] {
        // Dots around a word go ("austria." at a sentence's end); a word with a dot inside keeps
        // them all ("u.s.", "v.5.0").
        const auto first = word.find_first_not_of('.');
        const auto last = word.find_last_not_of('.');
        const bool dot_inside = first != std::string::npos && word.find('.', first) < last;
        if (!dot_inside) word = first == std::string::npos ? "" : word.substr(first, last - first + 1);
        if (!word.empty()) out += word + " ";
        word.clear();
    };
    for (const char raw : text) {
        const auto c = static_cast<unsigned char>(raw);
        if (std::isalnum(c) || c == '.') {
            word += static_cast<char>(std::tolower(c));
        } else {
            flush();
        }
    }
    flush();
    return out;
}

std::string english_country_name(const std::string& code) {
    std::array<UChar, 128> name{};
    UErrorCode status = U_ZERO_ERROR;
    const std::string locale = "und_" + code;
    const int32_t length = uloc_getDisplayCountry(locale.c_str(), "en", name.data(), static_cast<int32_t>(name.size()), &status);
    if (U_FAILURE(status) || length <= 0) return code;
    std::array<char, 512> utf8{};
    int32_t utf8_length = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8(utf8.data(), static_cast<int32_t>(utf8.size()), &utf8_length, name.data(), length, &status);
    return U_FAILURE(status) ? code : std::string(utf8.data(), static_cast<std::size_t>(utf8_length));
}

// Country names as words (" united states ") to their codes: ICU's English names, and the names
// the documentation's titles and file names use besides them.
const std::map<std::string, std::string>& country_names() {
    static const std::map<std::string, std::string> names = [] {
        std::map<std::string, std::string> out;
        for (const std::string& code : string_set(uloc_getISOCountries())) {
            const std::string words = as_words(english_country_name(code));
            if (words.size() > 2) out.emplace(words, code);
        }
        for (const auto& [alias, code] : std::initializer_list<std::pair<const char*, const char*>>{
                 {"u.s.", "US"}, {"u.k.", "GB"}, {"czech republic", "CZ"}}) {
            out.emplace(as_words(alias), code);
        }
        return out;
    }();
    return names;
}

// "5.0" and "5" are one version; "1.1" and "1.0" are not.
bool same_version(std::string a, std::string b) {
    const auto trimmed = [](std::string& v) {
        while (v.size() > 2 && v.ends_with(".0")) v.resize(v.size() - 2);
    };
    trimmed(a);
    trimmed(b);
    return a == b;
}

std::string names_of(const std::vector<std::string>& codes) {
    std::string out;
    for (const std::string& code : codes) out += (out.empty() ? "" : ", ") + english_country_name(code);
    return out;
}

struct FormWarning {
    std::string name;  // one of form_warning_names
    std::string message;
};

std::vector<FormWarning> warnings_for(const Form& form) {
    std::vector<FormWarning> out;
    const std::string keep = ": if the page itself says so, keep it as written and say why in expected_warnings.";
    if (form.locale) {
        if (std::string problem = locale_tag_problem(*form.locale); !problem.empty()) {
            out.push_back({"locale", "form '" + form.id + "' locale " + problem + keep + "locale"});
        }
    }
    if (!form.url) return out;
    const std::string file = file_name_of(*form.url);
    const auto in_link = countries_named(file);
    const auto in_title = countries_named(form.title);
    if (!in_link.empty() && !in_title.empty() &&
        std::any_of(in_link.begin(), in_link.end(), [&](const std::string& code) {
            return std::find(in_title.begin(), in_title.end(), code) == in_title.end();
        })) {
        out.push_back({"url_country", "form '" + form.id + "' links a file of " + names_of(in_link) + " ('" + file +
                                          "'), but its title is for " + names_of(in_title) + keep + "url_country"});
    }
    if (form.version) {
        if (const std::string version = version_in_link(*form.url); !version.empty() && !same_version(version, *form.version)) {
            out.push_back({"url_version", "form '" + form.id + "' is version " + *form.version + ", but its link's file is v" +
                                              version + " ('" + file + "')" + keep + "url_version"});
        }
    }
    return out;
}

}  // namespace

std::string locale_tag_problem(const std::string& tag) {
    std::array<char, ULOC_FULLNAME_CAPACITY> locale{};
    int32_t parsed = 0;
    UErrorCode status = U_ZERO_ERROR;
    uloc_forLanguageTag(tag.c_str(), locale.data(), static_cast<int32_t>(locale.size()), &parsed, &status);
    if (U_FAILURE(status) || parsed != static_cast<int32_t>(tag.size()) || tag.empty()) {
        return "'" + tag + "' is not a well-formed BCP 47 tag (language-REGION, such as en-US)";
    }
    static const std::set<std::string> languages = string_set(uloc_getISOLanguages());
    static const std::set<std::string> regions = string_set(uloc_getISOCountries());
    std::array<char, ULOC_LANG_CAPACITY> language{};
    std::array<char, ULOC_COUNTRY_CAPACITY> region{};
    status = U_ZERO_ERROR;
    uloc_getLanguage(locale.data(), language.data(), static_cast<int32_t>(language.size()), &status);
    uloc_getCountry(locale.data(), region.data(), static_cast<int32_t>(region.size()), &status);
    const std::string language_code = lower_ascii(language.data());
    const std::string region_code = region.data();
    if (!languages.contains(language_code)) {
        return "'" + tag + "' is not a valid BCP 47 tag: '" + language_code + "' is not an ISO 639 language";
    }
    const bool numeric_region = !region_code.empty() && std::isdigit(static_cast<unsigned char>(region_code[0]));
    if (!region_code.empty() && !numeric_region && !regions.contains(region_code)) {
        return "'" + tag + "' is not a valid BCP 47 tag: '" + region_code + "' is not an ISO 3166 region";
    }
    return {};
}

std::vector<std::string> countries_named(const std::string& text) {
    const std::string words = as_words(text);
    std::vector<std::string> out;
    for (const auto& [name, code] : country_names()) {
        if (words.find(name) != std::string::npos && std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string version_in_link(const std::string& url) {
    static const std::regex version(R"((?:^|[^a-z0-9])v\.?(\d+(?:\.\d+)*))", std::regex::icase);
    const std::string file = file_name_of(url);
    std::smatch match;
    return std::regex_search(file, match, version) ? match[1].str() : std::string();
}

std::vector<Diagnostic> check_forms(const RuleSet& rules, const std::string& file) {
    std::vector<Diagnostic> out;
    for (const FormEntry& entry : rules.forms) {
        const auto warnings = warnings_for(entry.form);
        for (const FormWarning& warning : warnings) {
            const bool expected = std::any_of(entry.expected_warnings.begin(), entry.expected_warnings.end(),
                                              [&](const ExpectedWarning& e) { return e.name == warning.name; });
            if (!expected) out.push_back({file, entry.location.line, entry.location.column, Severity::warning, warning.message,
                                          "form." + warning.name});
        }
        for (const ExpectedWarning& expected : entry.expected_warnings) {
            const bool occurs = std::any_of(warnings.begin(), warnings.end(), [&](const FormWarning& w) { return w.name == expected.name; });
            if (!occurs) {
                out.push_back({file, expected.location.line, expected.location.column, Severity::warning,
                               "form '" + entry.form.id + "' expects a '" + expected.name +
                                   "' warning that validate does not give: remove expected_warnings." + expected.name,
                               "form.expected_warning_absent"});
            }
        }
    }
    return out;
}

}  // namespace telpolicy
