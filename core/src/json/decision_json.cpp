// Writes a Decision as the contract's JSON, fields in the contract's order, with the one JSON
// writer: no JSON document is built. Its output is byte for byte what nlohmann::ordered_json's
// dump(indent, ' ', false, error_handler_t::replace) gave for the same decision
// (tests/unit-decision-writer.cpp compares the two on many decisions), compact or pretty.
#include <telpolicy/decision.hpp>
#include <telpolicy/json_writer.hpp>

namespace telpolicy {

void write_json(const Decision& decision, JsonWriter& w) {
    w.begin_object();
    w.key("allowed").boolean(decision.allowed());
    w.member("country", decision.country);
    w.member("action", decision.action);
    w.key("plugin");
    if (decision.plugin) {
        w.begin_object().key("name").string(decision.plugin->name).key("version").string(decision.plugin->version).end_object();
    } else {
        w.null();
    }
    w.key("forms").begin_array();
    for (const Form& form : decision.forms) {
        w.begin_object();
        w.member("id", form.id);
        w.member("title", form.title);
        w.member("version", form.version);
        w.member("locale", form.locale);
        w.member("url", form.url);
        w.end_object();
    }
    w.end_array();
    w.member("mailbox", decision.mailbox);
    w.key("contacts").begin_array();
    for (const Contact& contact : decision.contacts) {
        w.begin_object();
        w.member("kind", to_string(contact.kind));
        w.member("name", contact.name);
        w.member("address", contact.address);
        w.member("url", contact.url);
        w.end_object();
    }
    w.end_array();
    w.key("requires").strings(decision.requirements);
    w.key("violations").begin_array();
    for (const Violation& violation : decision.violations) {
        w.begin_object();
        w.member("code", violation.code);
        w.member("message", violation.message);
        w.member("rule", violation.rule);
        w.end_object();
    }
    w.end_array();
    w.key("notes").strings(decision.notes);
    w.key("matched_rules").strings(decision.matched_rules);
    if (decision.as_of) w.key("as_of").string(format_timestamp(*decision.as_of));
    w.end_object();
}

void to_json(const Decision& decision, std::string& out, int indent) {
    JsonWriter writer(out, indent);
    write_json(decision, writer);
}

std::string to_json(const Decision& decision, int indent) {
    std::string out;
    out.reserve(512);
    to_json(decision, out, indent);
    return out;
}

}  // namespace telpolicy
