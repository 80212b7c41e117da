// Loads a rules file: YAML syntax first, then every key, type and reference, reporting all problems
// at once (a policy author fixes a file in one pass, not one error per run).
#include "policy/rule_loader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include <telpolicy/rules_keys.hpp>
#include <telpolicy/violation_codes.hpp>
#include <telpolicy/vocabulary.hpp>

#include "policy/fetchable_uri.hpp"
#include "policy/plugin_name.hpp"
#include "policy/yaml_position.hpp"
#include "text/message_template.hpp"
#include <telpolicy/suggestion.hpp>
#include "policy/yaml_precheck.hpp"
#include "request/region_codes.hpp"
#include "text/fingerprint.hpp"

namespace telpolicy {
namespace {

constexpr int supported_format = 1;
constexpr std::size_t max_reported_errors = 100;

using KeyList = std::vector<std::string_view>;

// One of telpolicy/rules_keys.hpp's lists, which the editor tools complete from too.
template <std::size_t N>
KeyList keys(const std::string_view (&list)[N]) {
    return KeyList(std::begin(list), std::end(list));
}

std::string join(const KeyList& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i != 0) out += ", ";
        out += words[i];
    }
    return out;
}

std::string_view kind_of(const YAML::Node& node) {
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    if (node.IsNull()) return "nothing";
    return "a single value";
}

class Loader {
public:
    explicit Loader(std::string file, const Limits& limits = {}) : file_(std::move(file)), limits_(limits) {}

    RuleLoadResult load(std::string_view text) {
        YAML::Node root;
        // Depth, aliases and repeated keys first, on parser events: a hostile file never becomes a
        // node graph, and no key is silently dropped.
        if (auto problem = precheck_yaml(text, limits_)) {
            report(problem->mark, Severity::error, std::move(problem->message), std::move(problem->code));
            return finish();
        }
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::ParserException& error) {
            report(error.mark, Severity::error, "invalid YAML: " + error.msg, "yaml.syntax");
            return finish();
        } catch (const YAML::Exception& error) {
            error_at(error.mark, "could not read YAML: " + error.msg);
            return finish();
        }
        try {
            try {
                read_root(root);
            } catch (const YAML::Exception& error) {
                error_at(error.mark, "could not read YAML: " + error.msg);
            }
        } catch (const TooManyErrors&) {
            error_whole_file("stopped reading after " + std::to_string(max_reported_errors) +
                             " errors; fix these first");
        }
        return finish();
    }

    void error_whole_file(std::string message) {
        diagnostics_.push_back({file_, 0, 0, Severity::error, std::move(message)});
    }

    RuleLoadResult finish() {
        RuleLoadResult result;
        std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        std::vector<Instant>& instants = rules_.change_instants;
        std::sort(instants.begin(), instants.end());
        instants.erase(std::unique(instants.begin(), instants.end()), instants.end());
        if (!has_errors(diagnostics_)) result.value = std::move(rules_);
        result.diagnostics = std::move(diagnostics_);
        return result;
    }

private:
    // ----- reporting -----

    void error_at(const YAML::Mark& mark, std::string message) {
        report(mark, Severity::error, std::move(message));
    }
    void warning_at(const YAML::Mark& mark, std::string message) {
        report(mark, Severity::warning, std::move(message));
    }
    void report(const YAML::Mark& mark, Severity severity, std::string message, std::string code = {}) {
        const bool known = mark.line >= 0 && mark.column >= 0;
        diagnostics_.push_back({file_, known ? mark.line + 1 : 0, known ? mark.column + 1 : 0, severity,
                                std::move(message), std::move(code)});
        // Past this many errors, reading on costs time and memory in proportion to the damage, and
        // the author learns nothing more: stop, as compilers do.
        if (severity == Severity::error && ++errors_ == max_reported_errors) throw TooManyErrors{};
    }
    struct TooManyErrors {};
    static SourceLocation location_of(const YAML::Node& node) {
        const YAML::Mark mark = node.Mark();
        return {mark.line + 1, mark.column + 1};
    }

    // ----- shape checks -----

    bool expect_map(const YAML::Node& node, std::string_view what) {
        if (node.IsMap()) return true;
        error_at(node.Mark(), std::string(what) + " must be a mapping of keys to values, got " +
                                  std::string(kind_of(node)));
        return false;
    }

    // Reports keys outside `allowed` (with a suggestion) and keys in `required` that are missing.
    void check_keys(const YAML::Node& map, std::string_view what, const KeyList& allowed, const KeyList& required) {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string message = "unknown key '" + key + "' in " + std::string(what);
            if (const auto guess = closest_word(key, allowed)) message += "; did you mean '" + *guess + "'?";
            message += " (expected one of: " + join(allowed) + ")";
            error_at(it->first.Mark(), std::move(message));
        }
        require_keys(map, what, required);
    }

    void require_keys(const YAML::Node& map, std::string_view what, const KeyList& required) {
        for (std::string_view key : required) {
            if (!map[std::string(key)]) {
                error_at(map.Mark(), std::string(what) + " is missing the required key '" + std::string(key) + "'");
            }
        }
    }

    std::optional<std::string> read_string(const YAML::Node& node, std::string_view what) {
        if (!node.IsScalar() || node.Scalar().empty()) {
            error_at(node.Mark(), std::string(what) + " must be a non-empty text, got " +
                                      std::string(node.IsScalar() ? "an empty text" : kind_of(node)));
            return std::nullopt;
        }
        return node.Scalar();
    }

    std::optional<bool> read_bool(const YAML::Node& node, std::string_view what) {
        if (node.IsScalar()) {
            std::string text = node.Scalar();
            std::transform(text.begin(), text.end(), text.begin(),
                           [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
            if (text == "true") return true;
            if (text == "false") return false;
        }
        error_at(node.Mark(), std::string(what) + " must be true or false");
        return std::nullopt;
    }

    std::optional<std::uint64_t> read_count(const YAML::Node& node, std::string_view what) {
        if (node.IsScalar()) {
            const std::string& text = node.Scalar();
            std::uint64_t value = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return value;
        }
        error_at(node.Mark(), std::string(what) + " must be a whole number, 0 or more");
        return std::nullopt;
    }

    // `valid_from` and `valid_until` of a form, a contact or a rule; false (and an error) when either
    // is not a date or the period is empty.
    bool read_period(const YAML::Node& item, const std::string& what, EffectivePeriod& period) {
        bool readable = true;
        const auto read_bound = [&](std::string_view key, Instant& bound) {
            const YAML::Node node = item[std::string(key)];
            if (!node) return;
            const auto text = read_string(node, what + " " + std::string(key));
            if (!text) {
                readable = false;
                return;
            }
            ParsedInstant parsed = parse_date_time(*text);
            if (!parsed.value) {
                error_at(node.Mark(), what + " " + std::string(key) + " '" + *text + "': " + parsed.error);
                readable = false;
                return;
            }
            bound = *parsed.value;
        };
        read_bound("valid_from", period.from);
        read_bound("valid_until", period.until);
        if (readable && period.from >= period.until) {
            error_at(item["valid_until"].Mark(), what + " is valid until " + format_date_time(period.until) +
                                                     ", not after it is valid from (" + format_date_time(period.from) +
                                                     "): it would never be in effect");
            readable = false;
        }
        if (readable && period.bounded()) {
            if (period.from != Instant::min()) rules_.change_instants.push_back(period.from);
            if (period.until != Instant::max()) rules_.change_instants.push_back(period.until);
        }
        return readable;
    }

    // A single value or a list of values: `action: port_in` or `action: [port_in, port_out]`.
    std::vector<YAML::Node> one_or_many(const YAML::Node& node, std::string_view what) {
        std::vector<YAML::Node> items;
        if (node.IsScalar()) {
            items.push_back(node);
        } else if (node.IsSequence()) {
            for (const auto& item : node) {
                if (item.IsScalar()) {
                    items.push_back(item);
                } else {
                    error_at(item.Mark(), "each entry of " + std::string(what) + " must be a single value, got " +
                                              std::string(kind_of(item)));
                }
            }
            if (node.size() == 0) error_at(node.Mark(), std::string(what) + " must not be an empty list");
        } else {
            error_at(node.Mark(), std::string(what) + " must be a value or a list of values, got " +
                                      std::string(kind_of(node)));
        }
        return items;
    }

    std::vector<YAML::Node> list(const YAML::Node& node, std::string_view what) {
        if (node.IsSequence()) return {node.begin(), node.end()};
        error_at(node.Mark(), std::string(what) + " must be a list, got " + std::string(kind_of(node)));
        return {};
    }

    std::vector<std::string> read_strings(const YAML::Node& node, std::string_view what) {
        std::vector<std::string> out;
        for (const YAML::Node& item : list(node, what)) {
            if (auto text = read_string(item, "each entry of " + std::string(what))) out.push_back(std::move(*text));
        }
        return out;
    }

    // The id of the action `item` names, adding a well-formed word the file has not named yet (a
    // word only a condition names is known, and never offered: the condition can never match).
    std::optional<std::size_t> action_id(const YAML::Node& item, std::string_view what) {
        const std::string& word = item.Scalar();
        if (const auto id = rules_.words.action(word)) return id;
        if (const std::string problem = vocabulary_word_problem(word, rules_.plugin, true); !problem.empty()) {
            std::vector<std::string> names(std::begin(common_vocabulary::actions), std::end(common_vocabulary::actions));
            for (const std::string& own : rules_.words.action_words()) {
                if (std::find(names.begin(), names.end(), own) == names.end()) names.push_back(own);
            }
            const KeyList views(names.begin(), names.end());
            std::string message = "unknown action '" + word + "' in " + std::string(what);
            if (const auto guess = closest_word(word, views)) message += "; did you mean '" + *guess + "'?";
            error_at(item.Mark(), message + " (expected one of: " + join(views) + ", or a word of the plugin's own prefixed '" +
                                      rules_.plugin + ".')");
            return std::nullopt;
        }
        rules_.words.actions.push_back(word);
        return rules_.words.actions.size() - 1;
    }

    WordSet read_actions(const YAML::Node& node, std::string_view what) {
        WordSet ids;
        for (const YAML::Node& item : one_or_many(node, what)) {
            if (const auto id = action_id(item, what)) ids.insert(*id);
        }
        return ids;
    }

    // `number_types`: the file's number types, each a common word or one of the plugin's own; then
    // the common synonyms of those it offers.
    void read_offered_number_types(const YAML::Node* node) {
        std::vector<std::string> words;
        if (node == nullptr) {
            words.assign(std::begin(common_vocabulary::number_types), std::end(common_vocabulary::number_types));
        } else {
            for (const YAML::Node& item : one_or_many(*node, "number_types")) {
                const std::string& word = item.Scalar();
                if (const std::string problem = vocabulary_word_problem(word, rules_.plugin, false); !problem.empty()) {
                    const KeyList common(std::begin(common_vocabulary::number_types), std::end(common_vocabulary::number_types));
                    std::string message = "unknown number type '" + word + "' in number_types";
                    if (const auto guess = closest_word(word, common)) message += "; did you mean '" + *guess + "'?";
                    error_at(item.Mark(), message + ": " + problem);
                } else if (std::find(words.begin(), words.end(), word) != words.end()) {
                    error_at(item.Mark(), "number type '" + word + "' is listed twice in number_types");
                } else {
                    words.push_back(word);
                }
            }
        }
        rules_.words.number_types = words;
        for (const common_vocabulary::Synonym& synonym : common_vocabulary::synonyms) {
            if (const auto id = rules_.words.number_type(synonym.meaning)) {
                rules_.words.number_type_synonyms.emplace_back(std::string(synonym.word), *id);
            }
        }
    }

    // `synonyms`: other words of the plugin's own for its actions and number types.
    void read_synonyms(const YAML::Node& node) {
        if (!expect_map(node, "synonyms")) return;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const auto word = read_string(it->first, "a synonym");
            const auto meaning = read_string(it->second, "the meaning of a synonym");
            if (!word || !meaning) continue;
            const std::string prefix = rules_.plugin + ".";
            const bool own = word->size() > prefix.size() && word->compare(0, prefix.size(), prefix) == 0 &&
                             vocabulary_word_problem(*word, rules_.plugin, true).empty();
            if (!own) {
                error_at(it->first.Mark(), "synonym '" + *word + "' must be a word of the plugin's own, prefixed '" + prefix +
                                               "' (the common synonyms, such as subscriber, come with their meaning)");
                continue;
            }
            if (rules_.words.action(*word) || rules_.words.number_type(*word)) {
                error_at(it->first.Mark(), "synonym '" + *word + "' is already a word of this file");
            } else if (const auto action = rules_.words.action(*meaning)) {
                rules_.words.action_synonyms.emplace_back(*word, *action);
            } else if (const auto type = rules_.words.number_type(*meaning)) {
                rules_.words.number_type_synonyms.emplace_back(*word, *type);
            } else {
                std::vector<std::string> names = rules_.words.actions;
                names.insert(names.end(), rules_.words.number_types.begin(), rules_.words.number_types.end());
                const KeyList views(names.begin(), names.end());
                std::string message = "synonym '" + *word + "' stands for '" + *meaning +
                                      "', which is neither an action in 'actions' nor a type in 'number_types'";
                if (const auto guess = closest_word(*meaning, views)) message += "; did you mean '" + *guess + "'?";
                error_at(it->second.Mark(), message);
            }
        }
    }

    // ----- sections -----

    void read_root(const YAML::Node& root) {
        if (!root || root.IsNull()) {
            error_whole_file("the rules file is empty; expected a mapping with format, plugin, countries, actions, "
                             "pin, forms, mailboxes and rules");
            return;
        }
        if (!expect_map(root, "a rules file")) return;
        check_keys(root, "the rules file", keys(rules_keys::top_level), keys(rules_keys::top_level_required));
        if (const auto node = root["format"]) {
            const auto format = read_count(node, "format");
            if (format && *format != supported_format) {
                error_at(node.Mark(), "format " + std::to_string(*format) + " is not supported; this engine reads format " +
                                          std::to_string(supported_format));
            }
        }
        if (const auto node = root["plugin"]) read_plugin_name(node);
        if (const auto node = root["countries"]) read_countries(node);
        if (const auto node = root["sources"]) rules_.sources = read_strings(node, "sources");
        if (const auto node = root["actions"]) {
            rules_.offered_actions = read_actions(node, "actions");
            rules_.actions_location = location_of(node);
        }
        if (const auto node = root["number_types"]) {
            read_offered_number_types(&node);
        } else {
            read_offered_number_types(nullptr);
        }
        if (const auto node = root["synonyms"]) read_synonyms(node);
        if (const auto node = root["pin"]) read_pin(node);
        if (const auto node = root["base_url"]) read_base_url(node);
        if (const auto node = root["forms"]) read_forms(node);
        if (const auto node = root["mailboxes"]) read_mailboxes(node);
        if (const auto node = root["contacts"]) read_contacts(node);
        if (const auto node = root["rules"]) read_rules(node);
    }

    // The published location of the page the file encodes: its relative links are resolved against it.
    void read_base_url(const YAML::Node& node) {
        const auto text = read_string(node, "base_url");
        if (!text) return;
        FetchableUri uri = make_fetchable(*text, {});
        if (!uri) {
            error_at(node.Mark(), "base_url '" + *text + "' " + uri.diagnostics.front().message);
            return;
        }
        base_url_ = *uri.value;
    }

    void read_plugin_name(const YAML::Node& node) {
        const auto name = read_string(node, "plugin");
        if (!name) return;
        if (!is_plugin_name(*name)) {
            error_at(node.Mark(), "plugin must be the plugin's name in lower-case letters, digits and '_' (at most " +
                                      std::to_string(max_plugin_name_length) + "), got '" + *name + "'");
            return;
        }
        rules_.plugin = *name;
        rules_.plugin_location = location_of(node);
    }

    // Two upper-case letters: the shape of a code; telpolicy::is_country_code says whether it is assigned.
    static bool is_upper_case_code(const std::string& text) {
        return text.size() == 2 && std::isupper(static_cast<unsigned char>(text[0])) &&
               std::isupper(static_cast<unsigned char>(text[1]));
    }

    void read_countries(const YAML::Node& node) {
        for (const YAML::Node& item : one_or_many(node, "countries")) {
            const std::string& code = item.Scalar();
            if (!is_upper_case_code(code)) {
                error_at(item.Mark(), "countries must hold ISO 3166-1 alpha-2 codes in upper case, such as US; got '" +
                                          code + "'");
            } else if (!telpolicy::is_country_code(code)) {
                error_at(item.Mark(), "country '" + code +
                                          "' is not an assigned ISO 3166-1 alpha-2 code (libphonenumber knows no such "
                                          "region; codes for private use are AA, QM to QZ, XA to XZ and ZZ)");
            } else if (std::find(rules_.countries.begin(), rules_.countries.end(), code) != rules_.countries.end()) {
                error_at(item.Mark(), "country " + code + " is listed twice");
            } else {
                rules_.countries.push_back(code);
            }
        }
    }

    void read_pin(const YAML::Node& node) {
        if (!expect_map(node, "pin")) return;
        PinPolicy& pin = rules_.pin;
        pin.location = location_of(node);
        check_keys(node, "pin", keys(rules_keys::pin), keys(rules_keys::pin_required));
        const auto used = node["used"] ? read_bool(node["used"], "pin.used") : std::nullopt;
        if (!used) return;
        pin.used = *used;
        // Which actions set and clear the PIN: where PINs are not used, they are answered pin.not_applicable.
        if (const auto node_for = node["sets"]) pin.sets = read_actions(node_for, "pin.sets");
        if (const auto node_for = node["clears"]) pin.clears = read_actions(node_for, "pin.clears");
        if (!pin.used) {
            for (std::string_view key :
                 {"characters", "characters_called", "length", "can_clear", "required_for", "must_be_set_for", "checks"}) {
                if (node[std::string(key)]) {
                    warning_at(node[std::string(key)].Mark(),
                               "pin." + std::string(key) + " has no effect when pin.used is false");
                }
            }
            return;
        }
        require_keys(node, "pin", {"characters", "length", "can_clear"});
        if (const auto chars = node["characters"]) {
            if (const auto text = read_string(chars, "pin.characters")) {
                if (*text == "ascii_digits") {
                    pin.characters = PinCharacters::ascii_digits;
                } else if (*text == "ascii_letters_and_digits") {
                    pin.characters = PinCharacters::ascii_letters_and_digits;
                } else if (*text == "any") {
                    pin.characters = PinCharacters::any;
                } else {
                    error_at(chars.Mark(), "pin.characters must be ascii_digits, ascii_letters_and_digits or any, got '" +
                                               *text + "'");
                }
            }
        }
        if (const auto length = node["length"]; length && expect_map(length, "pin.length")) {
            check_keys(length, "pin.length", keys(rules_keys::pin_length), keys(rules_keys::pin_length));
            const auto min = length["min"] ? read_count(length["min"], "pin.length.min") : std::nullopt;
            const auto max = length["max"] ? read_count(length["max"], "pin.length.max") : std::nullopt;
            if (min && max) {
                if (*min == 0 || *min > *max) {
                    error_at(length.Mark(), "pin.length needs 1 <= min <= max; got min " + std::to_string(*min) +
                                                ", max " + std::to_string(*max));
                }
                pin.min_length = *min;
                pin.max_length = *max;
            }
        }
        if (const auto clear = node["can_clear"]) pin.can_clear = read_bool(clear, "pin.can_clear").value_or(true);
        if (const auto node_for = node["required_for"]) pin.required_for = read_actions(node_for, "pin.required_for");
        if (const auto node_for = node["must_be_set_for"]) {
            pin.must_be_set_for = read_actions(node_for, "pin.must_be_set_for");
        }
        if (const auto called = node["characters_called"]) {
            pin.characters_called = read_string(called, "pin.characters_called").value_or("");
        }
        if (const auto checks = node["checks"]) {
            for (const YAML::Node& item : one_or_many(checks, "pin.checks")) {
                const std::string& name = item.Scalar();
                const bool identifier = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
                    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                           c == '_';
                });
                if (!identifier) {
                    error_at(item.Mark(), "pin.checks must name the plugin's checks in lower-case letters, digits and "
                                          "'_', got '" + name + "'");
                } else if (std::find(pin.checks.begin(), pin.checks.end(), name) != pin.checks.end()) {
                    error_at(item.Mark(), "pin.checks names '" + name + "' twice");
                } else {
                    pin.checks.push_back(name);
                }
            }
        }
        if (pin.characters == PinCharacters::any && pin.checks.empty() && node["characters"]) {
            error_at(node["characters"].Mark(),
                     "pin.characters 'any' leaves the characters to the plugin's checks, but pin.checks names none");
        }
    }

    void read_forms(const YAML::Node& node) {
        for (const YAML::Node& item : list(node, "forms")) {
            if (!expect_map(item, "a form")) continue;
            check_keys(item, "a form", keys(rules_keys::form), keys(rules_keys::form_required));
            FormEntry entry;
            entry.location = location_of(item);
            bool complete = true;
            const std::string form_name =
                item["id"] && item["id"].IsScalar() ? "form '" + item["id"].Scalar() + "'" : "a form";
            const auto take = [&](std::string_view key) -> std::optional<std::string> {
                const auto value = item[std::string(key)];
                if (!value) return std::nullopt;
                auto text = read_string(value, form_name + " " + std::string(key));
                if (!text) complete = false;
                return text;
            };
            entry.form.id = take("id").value_or("");
            entry.form.title = take("title").value_or("");
            // A page may give a form no version, no locale or no link: the decision says null.
            entry.form.version = take("version");
            entry.form.locale = take("locale");
            if (const auto url = take("url")) {
                entry.form.url = fetchable(item["url"], *url, form_name + " url");
                if (!entry.form.url) complete = false;
            }
            if (const auto document = take("document")) entry.document = *document;
            if (!read_period(item, form_name, entry.period)) complete = false;
            if (const auto expected = item["expected_warnings"]) read_expected_warnings(expected, form_name, entry);
            if (entry.form.id.empty()) continue;
            if (const auto first = form_marks_.find(entry.form.id); first != form_marks_.end()) {
                error_at(item["id"].Mark(), "form id '" + entry.form.id + "' is used twice, first at " +
                                                line_and_column(first->second));
                continue;
            }
            form_marks_.emplace(entry.form.id, item["id"].Mark());
            // Rules that name a refused form say nothing more: its own error is the news.
            if (!complete) continue;
            if (entry.document.empty()) entry.document = entry.form.id;
            form_index_[entry.form.id] = rules_.forms.size();
            rules_.forms.push_back(std::move(entry));
        }
    }

    // `expected_warnings: {url_country: "why"}`: a warning of validate's form checks that the file
    // expects, because the page it encodes says so; the reason is for the people who read it.
    void read_expected_warnings(const YAML::Node& node, const std::string& form_name, FormEntry& entry) {
        if (!node.IsMap()) {
            error_at(node.Mark(), form_name + " expected_warnings must be a mapping of a warning's name to why it is expected");
            return;
        }
        const std::vector<std::string_view> names(std::begin(form_warning_names), std::end(form_warning_names));
        for (auto it = node.begin(); it != node.end(); ++it) {
            const auto name = read_string(it->first, form_name + " expected_warnings key");
            const auto reason = read_string(it->second, form_name + " expected_warnings reason");
            if (!name || !reason) continue;
            if (std::find(names.begin(), names.end(), *name) == names.end()) {
                std::string message = form_name + " expects an unknown warning '" + *name + "'";
                if (const auto guess = closest_word(*name, names)) message += "; did you mean '" + *guess + "'?";
                error_at(it->first.Mark(), message + " (known: url_country, url_version, locale)");
                continue;
            }
            if (reason->empty()) {
                error_at(it->second.Mark(), form_name + " expected_warnings '" + *name + "' must say why it is expected");
                continue;
            }
            entry.expected_warnings.push_back({*name, *reason, location_of(it->first)});
        }
    }

    // `mailboxes` is the short form of `contacts` for e-mail addresses: both fill one catalogue.
    void read_mailboxes(const YAML::Node& node) {
        for (const YAML::Node& item : list(node, "mailboxes")) {
            if (!expect_map(item, "a mailbox")) continue;
            check_keys(item, "a mailbox", keys(rules_keys::mailbox), keys(rules_keys::mailbox_required));
            const auto id = item["id"] ? read_string(item["id"], "mailbox id") : std::nullopt;
            const auto address = item["address"] ? read_string(item["address"], "mailbox address") : std::nullopt;
            if (!id || !claim_contact_id(item["id"], *id) || !address) continue;
            if (!is_email_address(*address)) {
                error_at(item["address"].Mark(), "mailbox address must be an e-mail address, got '" + *address + "'");
                continue;
            }
            ContactEntry entry{*id, {ContactKind::mailbox, *id, *address, std::nullopt}, {}};
            if (const auto name = item["name"]) entry.contact.name = read_string(name, "mailbox name").value_or(*id);
            if (!read_period(item, "mailbox '" + *id + "'", entry.period)) continue;
            add_contact(std::move(entry));
        }
    }

    void read_contacts(const YAML::Node& node) {
        for (const YAML::Node& item : list(node, "contacts")) {
            if (!expect_map(item, "a contact")) continue;
            check_keys(item, "a contact", keys(rules_keys::contact), keys(rules_keys::contact_required));
            const auto id = item["id"] ? read_string(item["id"], "contact id") : std::nullopt;
            if (!id || !claim_contact_id(item["id"], *id)) continue;
            const std::string what = "contact '" + *id + "'";
            ContactEntry entry{*id, {ContactKind::mailbox, *id, std::nullopt, std::nullopt}, {}};
            bool complete = read_period(item, what, entry.period);
            if (const auto kind = item["kind"]) {
                const auto text = read_string(kind, what + " kind");
                const auto parsed = text ? parse_contact_kind(*text) : std::nullopt;
                if (text && !parsed) {
                    const KeyList kinds{"mailbox", "service_desk", "partner", "portal"};
                    std::string message = what + " has the unknown kind '" + *text + "'";
                    if (const auto guess = closest_word(*text, kinds)) message += "; did you mean '" + *guess + "'?";
                    error_at(kind.Mark(), message + " (expected one of: " + join(kinds) + ")");
                }
                if (parsed) {
                    entry.contact.kind = *parsed;
                } else {
                    complete = false;
                }
            }
            if (const auto name = item["name"]) {
                if (auto text = read_string(name, what + " name")) entry.contact.name = std::move(*text);
            }
            if (const auto address = item["address"]) {
                const auto text = read_string(address, what + " address");
                if (text && !is_email_address(*text)) {
                    error_at(address.Mark(), what + " address must be an e-mail address, got '" + *text + "'");
                    complete = false;
                } else if (text) {
                    entry.contact.address = *text;
                }
            }
            if (const auto url = item["url"]) {
                if (const auto text = read_string(url, what + " url")) {
                    entry.contact.url = fetchable(url, *text, what + " url");
                    complete = complete && entry.contact.url.has_value();
                }
            }
            if (!complete) continue;
            if (entry.contact.kind == ContactKind::mailbox && !entry.contact.address) {
                error_at(item.Mark(), what + " is a mailbox and needs an 'address'");
                continue;
            }
            if (!entry.contact.address && !entry.contact.url) {
                error_at(item.Mark(), what + " needs an 'address', a 'url', or both: say how to reach it");
                continue;
            }
            add_contact(std::move(entry));
        }
    }

    // The first time an id is defined, refused or not; false (and an error) when it was already.
    bool claim_contact_id(const YAML::Node& id_node, const std::string& id) {
        if (const auto first = contact_marks_.find(id); first != contact_marks_.end()) {
            error_at(id_node.Mark(), "contact id '" + id + "' is used twice, first at " + line_and_column(first->second) +
                                         " (in 'mailboxes' and 'contacts', ids are shared)");
            return false;
        }
        contact_marks_.emplace(id, id_node.Mark());
        return true;
    }

    void add_contact(ContactEntry entry) {
        contact_index_[entry.id] = rules_.contacts.size();
        rules_.contacts.push_back(std::move(entry));
    }

    static bool is_email_address(const std::string& text) {
        const std::size_t at = text.find('@');
        return at != std::string::npos && at != 0 && at + 1 < text.size() &&
               text.find_first_of(" \t<>\"(),;") == std::string::npos;
    }

    // The link as a client can fetch it; reports why not at `node`.
    std::optional<std::string> fetchable(const YAML::Node& node, const std::string& link, const std::string& what) {
        FetchableUri uri = make_fetchable(link, base_url_);
        if (!uri) error_at(node.Mark(), what + " '" + link + "' " + uri.diagnostics.front().message);
        return uri.value;
    }

    void read_rules(const YAML::Node& node) {
        if (node.IsSequence() && node.size() > limits_.max_rules) {
            error_at(node.Mark(), "the rules file has " + std::to_string(node.size()) + " rules, more than the limit of " +
                                      std::to_string(limits_.max_rules) + " (change it with --max-rules)");
            return;
        }
        std::map<std::string, YAML::Mark> ids;  // where each rule id is first given
        for (const YAML::Node& item : list(node, "rules")) {
            if (!expect_map(item, "a rule")) continue;
            const YAML::Node id_node = item["id"];
            const std::string named = id_node && id_node.IsScalar() ? "rule '" + id_node.Scalar() + "'" : "a rule";
            check_keys(item, named, keys(rules_keys::rule), keys(rules_keys::rule_required));
            Rule rule;
            rule.location = location_of(item);
            if (const auto id = item["id"]) {
                if (auto text = read_string(id, "rule id")) {
                    if (const auto [first, inserted] = ids.emplace(*text, id.Mark()); !inserted) {
                        error_at(id.Mark(), "rule id '" + *text + "' is used twice, first at " +
                                                line_and_column(first->second));
                    }
                    rule.id = std::move(*text);
                }
            }
            if (const auto description = item["description"]) {
                rule.description = read_string(description, "rule description").value_or("");
            }
            const std::string what = "rule '" + rule.id + "'";
            read_period(item, what, rule.when.period);
            if (const auto when = item["when"]) read_condition(when, what, rule.when);
            if (const auto then = item["then"]) read_outcome(then, what, rule.when.numbers.each.has_value(), rule.then);
            if (const auto final = item["final"]) rule.final = read_bool(final, what + " final").value_or(false);
            // An empty set: all were misspelt, already reported.
            const bool actions_known = rule.when.actions && !rule.when.actions->empty();
            if (actions_known && !rules_.offered_actions.empty() && !rule.when.actions->intersects(rules_.offered_actions)) {
                warning_at(item.Mark(), what + " can never match: none of its actions is offered in 'actions'");
            }
            rules_.rules.push_back(std::move(rule));
        }
    }

    void read_condition(const YAML::Node& node, const std::string& what, Condition& when) {
        if (!expect_map(node, what + " when")) return;
        check_keys(node, what + " when", keys(rules_keys::when), {});
        if (const auto actions = node["action"]) when.actions = read_actions(actions, what + " when.action");
        if (const auto types = node["number_type"]) when.number_types = read_number_types(types, what);
        if (const auto countries = node["country"]) {
            for (const YAML::Node& item : one_or_many(countries, what + " when.country")) {
                const std::string& code = item.Scalar();
                if (std::find(rules_.countries.begin(), rules_.countries.end(), code) == rules_.countries.end()) {
                    error_at(item.Mark(), what + " when.country names '" + code +
                                              "', which is not among the countries of this file (" +
                                              join({rules_.countries.begin(), rules_.countries.end()}) + ")");
                } else {
                    when.countries.push_back(code);
                }
            }
        }
        if (const auto count = node["count"]) read_count_condition(count, what, when);
        if (const auto pin_is_set = node["pin_is_set"]) when.pin_is_set = read_bool(pin_is_set, what + " when.pin_is_set");
        if (const auto numbers = node["numbers"]) read_numbers_condition(numbers, what, when.numbers);
    }

    void read_numbers_condition(const YAML::Node& node, const std::string& what, NumbersCondition& numbers) {
        const std::string where = what + " when.numbers";
        if (!expect_map(node, where)) return;
        check_keys(node, where, keys(rules_keys::when_numbers), {});
        if (node.size() == 0) error_at(node.Mark(), where + " needs at least one of: given, count_mismatch, each, all");
        if (const auto given = node["given"]) numbers.given = read_bool(given, where + ".given");
        if (const auto mismatch = node["count_mismatch"]) {
            numbers.count_mismatch = read_bool(mismatch, where + ".count_mismatch");
        }
        if (const auto each = node["each"]) numbers.each = read_number_filter(each, where + ".each");
        if (const auto all = node["all"]) numbers.all = read_number_filter(all, where + ".all");
        if (numbers.each || numbers.all) rules_.classifies_numbers = true;
        if (numbers.given == false && (numbers.each || numbers.all || numbers.count_mismatch == true)) {
            error_at(node.Mark(), where + " can never be met: it asks for no numbers and about the numbers at once");
        }
    }

    NumberFilter read_number_filter(const YAML::Node& node, const std::string& where) {
        NumberFilter filter;
        if (!expect_map(node, where)) return filter;
        check_keys(node, where, keys(rules_keys::number_filter), {});
        if (node.size() == 0) error_at(node.Mark(), where + " needs at least one condition on the number");
        if (const auto valid = node["valid"]) filter.valid = read_bool(valid, where + ".valid");
        if (const auto regions = node["region"]) filter.regions = read_regions(regions, where + ".region");
        if (const auto regions = node["region_not"]) filter.regions_not = read_regions(regions, where + ".region_not");
        const std::size_t problems_before_kinds = diagnostics_.size();
        if (const auto kinds = node["kind"]) filter.kinds = read_kinds(kinds, where + ".kind");
        if (const auto kinds = node["kind_not"]) {
            filter.kinds &= static_cast<NumberKindMask>(~read_kinds(kinds, where + ".kind_not") & all_number_kinds_mask);
        }
        // A misspelt kind already has its message; an empty set is only news when every kind was known.
        if (filter.kinds == 0 && diagnostics_.size() == problems_before_kinds) {
            error_at(node.Mark(), where + " can never be met: no kind of number is left by kind and kind_not");
        }
        if (const auto duplicate = node["duplicate"]) filter.duplicate = read_bool(duplicate, where + ".duplicate");
        const bool asks_about_valid_facts = node["region"] || node["region_not"] || node["kind"] || node["kind_not"];
        if (filter.valid == false && asks_about_valid_facts) {
            error_at(node.Mark(), where + " can never be met: an invalid number has no region or kind");
        }
        return filter;
    }

    std::vector<std::string> read_regions(const YAML::Node& node, const std::string& where) {
        std::vector<std::string> regions;
        for (const YAML::Node& item : one_or_many(node, where)) {
            if (is_upper_case_code(item.Scalar())) {
                regions.push_back(item.Scalar());
            } else {
                error_at(item.Mark(), where + " must hold ISO 3166-1 alpha-2 codes in upper case, such as PR; got '" +
                                          item.Scalar() + "'");
            }
        }
        return regions;
    }

    static constexpr NumberKindMask geographic_kinds = static_cast<NumberKindMask>(
        bit(NumberKind::fixed_line) | bit(NumberKind::mobile) | bit(NumberKind::fixed_line_or_mobile));

    NumberKindMask read_kinds(const YAML::Node& node, const std::string& where) {
        NumberKindMask mask = 0;
        KeyList names{"geographic"};
        for (std::size_t i = 0; i < number_kind_count; ++i) names.push_back(to_string(static_cast<NumberKind>(i)));
        for (const YAML::Node& item : one_or_many(node, where)) {
            // "geographic" is every kind tied to a place, as people say it.
            if (item.Scalar() == "geographic") {
                mask |= geographic_kinds;
            } else if (const auto kind = parse_number_kind(item.Scalar())) {
                mask |= bit(*kind);
            } else {
                std::string message = "unknown kind of number '" + item.Scalar() + "' in " + where;
                if (const auto guess = closest_word(item.Scalar(), names)) message += "; did you mean '" + *guess + "'?";
                error_at(item.Mark(), message + " (expected one of: " + join(names) + ")");
            }
        }
        return mask;
    }

    WordSet read_number_types(const YAML::Node& node, const std::string& what) {
        WordSet ids;
        std::vector<std::string> names;
        for (std::size_t id = 1; id <= rules_.words.number_types.size(); ++id) {
            names.emplace_back(rules_.words.number_type_word(id));
            for (const auto& [synonym, meaning] : rules_.words.number_type_synonyms) {
                if (meaning == id) names.push_back(synonym);
            }
        }
        names.emplace_back("unspecified");
        const KeyList views(names.begin(), names.end());
        for (const YAML::Node& item : one_or_many(node, what + " when.number_type")) {
            if (item.Scalar() == "unspecified") {
                ids.insert(Vocabulary::unspecified_number_type);
            } else if (const auto type = rules_.words.number_type(item.Scalar())) {
                ids.insert(*type);
            } else {
                std::string message = "unknown number type '" + item.Scalar() + "' in " + what + " when.number_type";
                if (const auto guess = closest_word(item.Scalar(), views)) message += "; did you mean '" + *guess + "'?";
                error_at(item.Mark(), message + " (expected one of: " + join(views) + ")");
            }
        }
        return ids;
    }

    void read_count_condition(const YAML::Node& node, const std::string& what, Condition& when) {
        if (!expect_map(node, what + " when.count")) return;
        check_keys(node, what + " when.count", keys(rules_keys::when_count), {});
        if (node.size() == 0) error_at(node.Mark(), what + " when.count needs at least one bound");
        if (const auto n = node["more_than"]) {
            if (const auto v = read_count(n, what + " when.count.more_than")) {
                if (*v == UINT64_MAX) error_at(n.Mark(), what + " when.count.more_than is too large to be met");
                when.count_min = std::max(when.count_min, *v + 1);
            }
        }
        if (const auto n = node["at_least"]) {
            if (const auto v = read_count(n, what + " when.count.at_least")) when.count_min = std::max(when.count_min, *v);
        }
        if (const auto n = node["less_than"]) {
            if (const auto v = read_count(n, what + " when.count.less_than")) {
                if (*v == 0) error_at(n.Mark(), what + " when.count.less_than 0 can never be met");
                when.count_max = std::min(when.count_max, *v == 0 ? 0 : *v - 1);
            }
        }
        if (const auto n = node["at_most"]) {
            if (const auto v = read_count(n, what + " when.count.at_most")) when.count_max = std::min(when.count_max, *v);
        }
        if (when.count_min > when.count_max) {
            error_at(node.Mark(), what + " when.count can never be met: no count is at least " +
                                      std::to_string(when.count_min) + " and at most " + std::to_string(when.count_max));
        }
    }

    // Checks the {placeholders} of a message: known names, and per-number ones only where a rule
    // looks at each number.
    void check_placeholders(const YAML::Node& node, const std::string& text, const std::string& what, bool per_number) {
        const auto names = placeholders_in(text);
        if (!names) {
            error_at(node.Mark(), what + " opens a '{' that it does not close");
            return;
        }
        KeyList known(std::begin(request_placeholders), std::end(request_placeholders));
        const KeyList number_names(std::begin(number_placeholders), std::end(number_placeholders));
        for (const std::string& name : *names) {
            if (std::find(known.begin(), known.end(), name) != known.end()) continue;
            if (std::find(number_names.begin(), number_names.end(), name) != number_names.end()) {
                if (!per_number) {
                    error_at(node.Mark(), what + " uses {" + name +
                                              "}, which only a rule with 'numbers: {each: ...}' can fill");
                }
                continue;
            }
            KeyList all = known;
            all.insert(all.end(), number_names.begin(), number_names.end());
            std::string message = what + " uses the unknown placeholder {" + name + "}";
            if (const auto guess = closest_word(name, all)) message += "; did you mean {" + *guess + "}?";
            error_at(node.Mark(), message + " (expected one of: " + join(all) + ")");
        }
    }

    void read_outcome(const YAML::Node& node, const std::string& what, bool per_number, Outcome& then) {
        if (!expect_map(node, what + " then")) return;
        check_keys(node, what + " then", keys(rules_keys::then), {});
        if (node.size() == 0) error_at(node.Mark(), what + " then is empty: say what the rule decides");
        if (const auto forms = node["forms"]) {
            for (const YAML::Node& item : one_or_many(forms, what + " then.forms")) {
                const auto found = form_index_.find(item.Scalar());
                if (found == form_index_.end()) {
                    if (form_marks_.count(item.Scalar()) != 0) continue;  // defined but refused: reported there
                    error_at(item.Mark(), what + " names form '" + item.Scalar() + "', which is not in 'forms'" +
                                              suggestion_from(item.Scalar(), form_marks_, "forms"));
                } else {
                    then.forms.push_back(found->second);
                }
            }
        }
        if (node["mailbox"] && node["contacts"]) {
            error_at(node["contacts"].Mark(), what + " names both 'mailbox' and 'contacts': list the mailbox among the contacts");
        } else if (const auto mailbox = node["mailbox"]) {
            if (const auto id = read_string(mailbox, what + " then.mailbox")) {
                const auto found = contact_index_.find(*id);
                if (found == contact_index_.end()) {
                    if (contact_marks_.count(*id) == 0) {
                        error_at(mailbox.Mark(), what + " names mailbox '" + *id + "', which is not in 'mailboxes'" +
                                                     suggestion_from(*id, mailbox_ids(), "mailboxes"));
                    }
                } else if (rules_.contacts[found->second].contact.kind != ContactKind::mailbox) {
                    error_at(mailbox.Mark(), what + " names '" + *id + "' as its mailbox, but it is a " +
                                                 std::string(to_string(rules_.contacts[found->second].contact.kind)) +
                                                 "; name it in 'contacts' instead");
                } else {
                    then.contacts.push_back(found->second);
                }
            }
        } else if (const auto contacts = node["contacts"]) {
            for (const YAML::Node& item : one_or_many(contacts, what + " then.contacts")) {
                const auto found = contact_index_.find(item.Scalar());
                if (found == contact_index_.end()) {
                    if (contact_marks_.count(item.Scalar()) != 0) continue;  // defined but refused: reported there
                    error_at(item.Mark(), what + " names contact '" + item.Scalar() +
                                              "', which is in neither 'contacts' nor 'mailboxes'" +
                                              suggestion_from(item.Scalar(), contact_marks_, "contacts"));
                } else if (std::find(then.contacts.begin(), then.contacts.end(), found->second) != then.contacts.end()) {
                    error_at(item.Mark(), what + " names contact '" + item.Scalar() + "' twice");
                } else {
                    then.contacts.push_back(found->second);
                }
            }
        }
        if (const auto requires_node = node["requires"]) then.requirements = read_strings(requires_node, what + " then.requires");
        if (const auto notes = node["notes"]) {
            then.notes = read_strings(notes, what + " then.notes");
            for (const std::string& note : then.notes) check_placeholders(notes, note, what + " then.notes", per_number);
        }
        if (const auto deny = node["deny"]; deny && expect_map(deny, what + " then.deny")) {
            check_keys(deny, what + " then.deny", keys(rules_keys::deny), keys(rules_keys::deny_required));
            const auto code = deny["code"] ? read_string(deny["code"], "deny code") : std::nullopt;
            const auto message = deny["message"] ? read_string(deny["message"], "deny message") : std::nullopt;
            if (code && !is_known_code(*code)) {
                std::vector<std::string> contract_codes(std::begin(violation_code::all), std::end(violation_code::all));
                error_at(deny["code"].Mark(), what + " denies with code '" + *code +
                                                  "', which is neither a contract code nor prefixed with the plugin "
                                                  "name ('" + rules_.plugin + ".')" +
                                                  suggestion_from(*code, contract_codes, "contract codes") +
                                                  "; a code of this plugin's own is written '" + rules_.plugin + "." +
                                                  *code + "'");
            } else if (code && message) {
                check_placeholders(deny["message"], *message, what + " then.deny.message", per_number);
                then.violations.push_back({*code, *message});
            }
        }
    }

    bool is_known_code(const std::string& code) const {
        for (std::string_view known : violation_code::all) {
            if (known == code) return true;
        }
        return !rules_.plugin.empty() && code.size() > rules_.plugin.size() + 1 &&
               code.compare(0, rules_.plugin.size() + 1, rules_.plugin + ".") == 0;
    }

    // "; did you mean 'x'?" when one is close, then the known values (the first 20), so that an author
    // sees the choice without opening the file's other sections.
    static std::string suggestion_from(const std::string& word, const std::vector<std::string>& known,
                                       std::string_view known_as) {
        const KeyList views(known.begin(), known.end());
        std::string out;
        if (const auto guess = closest_word(word, views)) out += "; did you mean '" + *guess + "'?";
        if (known.empty()) return out + " (the file defines no " + std::string(known_as) + ")";
        constexpr std::size_t shown = 20;
        const KeyList first(views.begin(), views.begin() + static_cast<std::ptrdiff_t>(std::min(shown, views.size())));
        out += " (" + std::string(known_as) + ": " + join(first);
        if (views.size() > shown) out += ", and " + std::to_string(views.size() - shown) + " more";
        return out + ")";
    }
    template <typename Value>
    static std::string suggestion_from(const std::string& word, const std::map<std::string, Value>& index,
                                       std::string_view known_as) {
        std::vector<std::string> names;
        for (const auto& entry : index) names.push_back(entry.first);
        return suggestion_from(word, names, known_as);
    }

    std::vector<std::string> mailbox_ids() const {
        std::vector<std::string> ids;
        for (const ContactEntry& entry : rules_.contacts) {
            if (entry.contact.kind == ContactKind::mailbox) ids.push_back(entry.id);
        }
        std::sort(ids.begin(), ids.end());
        return ids;
    }


    std::string file_;
    RuleSet rules_;
    std::vector<Diagnostic> diagnostics_;
    std::map<std::string, std::size_t> form_index_;
    std::map<std::string, std::size_t> contact_index_;  // mailboxes and contacts share their ids
    // Where each form and contact id is first defined, whether or not its entry was refused.
    std::map<std::string, YAML::Mark> form_marks_;
    std::map<std::string, YAML::Mark> contact_marks_;
    std::string base_url_;
    Limits limits_;
    std::size_t errors_{0};
};

}  // namespace

RuleLoadResult load_rules_text(std::string_view yaml_text, const std::string& display_name, const Limits& limits) {
    Loader loader(display_name, limits);
    RuleLoadResult result = loader.load(yaml_text);
    if (result.value) result.value->file = display_name;
    return result;
}

RuleLoadResult load_rules_file(const std::filesystem::path& path, const Limits& limits) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    Loader loader(path.string(), limits);
    if (error) {
        loader.error_whole_file("cannot read the rules file: " + error.message());
        return loader.finish();
    }
    const std::string too_large = " bytes, more than the limit of " + std::to_string(limits.max_rules_file_bytes) +
                                  " (change it with --max-rules-file-bytes)";
    if (size > limits.max_rules_file_bytes) {
        loader.error_whole_file("the rules file is " + std::to_string(size) + too_large);
        return loader.finish();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) {
        loader.error_whole_file("cannot open the rules file for reading");
        return loader.finish();
    }
    // Stop reading past the limit: the file may grow between the size check and the read.
    std::string text;
    text.reserve(static_cast<std::size_t>(size));
    std::array<char, 1 << 14> chunk{};
    while (text.size() <= limits.max_rules_file_bytes && in.read(chunk.data(), chunk.size()).gcount() > 0) {
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        loader.error_whole_file("cannot read the rules file: the read failed after " + std::to_string(text.size()) +
                                " bytes");
        return loader.finish();
    }
    if (text.size() > limits.max_rules_file_bytes) {
        loader.error_whole_file("the rules file grew while it was read, to more than " +
                                std::to_string(limits.max_rules_file_bytes) + too_large.substr(too_large.find(" (")));
        return loader.finish();
    }
    RuleLoadResult result = load_rules_text(text, path.string(), limits);
    result.digest = digest_of(text);
    return result;
}

}  // namespace telpolicy
