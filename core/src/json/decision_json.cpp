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
    w.key("country").optional_string(decision.country);
    w.key("action").optional_string(decision.action);
    w.key("plugin");
    if (decision.plugin) {
        w.begin_object().key("name").string(decision.plugin->name).key("version").string(decision.plugin->version).end_object();
    } else {
        w.null();
    }
    w.key("forms").begin_array();
    for (const Form& form : decision.forms) {
        w.begin_object();
        w.key("id").string(form.id);
        w.key("title").string(form.title);
        w.key("version").string(form.version);
        w.key("locale").string(form.locale);
        w.key("url").string(form.url);
        w.end_object();
    }
    w.end_array();
    w.key("mailbox").optional_string(decision.mailbox);
    w.key("contacts").begin_array();
    for (const Contact& contact : decision.contacts) {
        w.begin_object();
        w.key("kind").string(to_string(contact.kind));
        w.key("name").string(contact.name);
        w.key("address").optional_string(contact.address);
        w.key("url").optional_string(contact.url);
        w.end_object();
    }
    w.end_array();
    w.key("requires").strings(decision.requirements);
    w.key("violations").begin_array();
    for (const Violation& violation : decision.violations) {
        w.begin_object();
        w.key("code").string(violation.code);
        w.key("message").string(violation.message);
        w.key("rule").string(violation.rule);
        w.end_object();
    }
    w.end_array();
    w.key("notes").strings(decision.notes);
    w.key("matched_rules").strings(decision.matched_rules);
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
