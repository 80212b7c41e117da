// Decision log lines read with simdjson's On-Demand API: the request and the decision are taken as
// raw JSON, in place, so that replay compares a new decision with the logged one byte for byte and
// builds no document for the common case of no change.
#include "logged_decision.hpp"

#include <vector>

#include <simdjson.h>

namespace telpolicy::cli {

namespace od = simdjson::ondemand;

struct LoggedDecisionReader::State {
    od::parser parser;
    std::vector<char> buffer;  // the line, padded as simdjson requires
};

LoggedDecisionReader::LoggedDecisionReader() : state_(std::make_unique<State>()) {}
LoggedDecisionReader::~LoggedDecisionReader() = default;

namespace {

// simdjson's raw JSON of a value runs up to the next token, whitespace included.
std::string_view trimmed(std::string_view raw) {
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n')) {
        raw.remove_suffix(1);
    }
    return raw;
}

bool read_pin_facts(od::value value, PinFacts& facts) {
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) return false;
    bool length_seen = false;
    bool characters_seen = false;
    for (auto member : object) {
        od::field field;
        if (std::move(member).get(field) != simdjson::SUCCESS) return false;
        std::string_view key;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
        if (key == "length") {
            std::uint64_t length = 0;
            if (field.value().get_uint64().get(length) != simdjson::SUCCESS) return false;
            facts.length = static_cast<std::size_t>(length);
            length_seen = true;
        } else if (key == "checks") {
            od::object checks;
            if (field.value().get_object().get(checks) != simdjson::SUCCESS) return false;
            for (auto check : checks) {
                od::field verdict;
                std::string_view name;
                bool passed = false;
                if (std::move(check).get(verdict) != simdjson::SUCCESS || verdict.unescaped_key().get(name) != simdjson::SUCCESS ||
                    verdict.value().get_bool().get(passed) != simdjson::SUCCESS) {
                    return false;
                }
                facts.checks.push_back({std::string(name), passed});
            }
        } else if (key == "characters") {
            std::string_view text;
            if (field.value().get_string().get(text) != simdjson::SUCCESS) return false;
            const auto characters = parse_pin_character_class(text);
            if (!characters) return false;
            facts.characters = *characters;
            characters_seen = true;
        }
    }
    return length_seen && characters_seen;
}

}  // namespace

bool LoggedDecisionReader::read(std::string_view line, LoggedDecision& out, std::string& error) {
    out = LoggedDecision{};
    std::vector<char>& buffer = state_->buffer;
    buffer.assign(line.begin(), line.end());
    buffer.resize(line.size() + simdjson::SIMDJSON_PADDING, ' ');
    od::document document;
    od::object object;
    if (state_->parser.iterate(buffer.data(), line.size(), buffer.size()).get(document) != simdjson::SUCCESS ||
        document.get_object().get(object) != simdjson::SUCCESS) {
        error = "not a JSON object";
        return false;
    }
    bool result_seen = false;
    bool input_seen = false;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS) {
            error = "not valid JSON";
            return false;
        }
        od::value value = field.value();
        if (key == "decision_id") {
            std::string_view id;
            if (value.get_string().get(id) == simdjson::SUCCESS) out.decision_id.assign(id);
        } else if (key == "input") {
            bool null = false;
            if (value.is_null().get(null) == simdjson::SUCCESS && null) {
                input_seen = true;
                continue;
            }
            std::string_view raw;
            od::object input;
            if (value.get_object().get(input) != simdjson::SUCCESS || input.raw_json().get(raw) != simdjson::SUCCESS) {
                error = "its 'input' is not valid JSON";
                return false;
            }
            out.input = trimmed(raw);
            input_seen = true;
        } else if (key == "erased") {
            out.pin_erased = true;  // the log erases only the PIN
        } else if (key == "pin_facts") {
            PinFacts facts;
            if (!read_pin_facts(value, facts)) {
                error = "its 'pin_facts' is not {\"length\": N, \"characters\": \"digits\"|\"letters_and_digits\"|\"other\", "
                        "\"checks\": {\"check\": true|false}}";
                return false;
            }
            out.pin_facts = facts;
        } else if (key == "result") {
            od::object result;
            if (value.get_object().get(result) != simdjson::SUCCESS || result.raw_json().get(out.result) != simdjson::SUCCESS) {
                error = "its 'result' is not valid JSON";
                return false;
            }
            out.result = trimmed(out.result);
            result_seen = true;
        }
    }
    if (document.current_location().error() != simdjson::OUT_OF_BOUNDS) {
        error = "not valid JSON (something follows the object)";
        return false;
    }
    if (!input_seen || !result_seen) {
        error = "not a decision record: it needs 'input' and 'result'";
        return false;
    }
    return true;
}

}  // namespace telpolicy::cli
