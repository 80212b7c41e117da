// Writes a Decision as the contract's JSON, fields in the contract's order.
//
// A direct writer appending to a string: no JSON document is built. Its output is byte for byte what
// nlohmann::ordered_json's dump(indent, ' ', false, error_handler_t::replace) gave for the same
// decision (tests/unit-decision-writer.cpp compares the two on many decisions), so that the contract's
// bytes did not change when the writer did: compact for indent < 0; otherwise one value a line, `indent`
// spaces a level, ": " after keys, and [] and {} for empty containers. Strings are escaped as nlohmann
// escapes them (\" \\ \b \f \n \r \t, other control characters as \u00xx), other UTF-8 passes through,
// and invalid UTF-8 becomes U+FFFD, sequence by sequence, as nlohmann's `replace` handler does.
#include <telpolicy/decision.hpp>

#include "json_string.hpp"

namespace telpolicy {
namespace {

using json_string::append_escaped;
using json_string::append_string;

// The pretty layout: one value a line, `indent` spaces a level, ": " after keys, and [] and {} for
// empty containers, as nlohmann lays it out.
class PrettyWriter {
public:
    PrettyWriter(std::string& out, int indent) : out_(out), step_(static_cast<std::size_t>(indent)) {}

    void open(char bracket) {
        out_ += bracket;
        ++depth_;
        first_ = true;
    }
    void close(char bracket) {
        --depth_;
        if (!first_) new_line();  // an empty container stays "[]" or "{}"
        out_ += bracket;
        first_ = false;  // the container was itself an item of its parent
    }
    // Before each element of an array.
    void item() {
        if (!first_) out_ += ',';
        new_line();
        first_ = false;
    }
    // Before each member of an object; `name` needs no escaping.
    void key(std::string_view name) {
        item();
        out_ += '"';
        out_ += name;
        out_ += "\": ";
    }

    void string(std::string_view text) { append_string(out_, text); }
    void optional_string(const std::optional<std::string>& text) {
        if (text) {
            string(*text);
        } else {
            out_ += "null";
        }
    }
    void strings(const std::vector<std::string>& list) {
        open('[');
        for (const std::string& text : list) {
            item();
            string(text);
        }
        close(']');
    }

private:
    void new_line() {
        out_ += '\n';
        out_.append(depth_ * step_, ' ');
    }

    std::string& out_;
    std::size_t step_;
    std::size_t depth_{0};
    bool first_{true};
};

void write_pretty(const Decision& decision, std::string& out, int indent) {
    PrettyWriter w(out, indent);
    w.open('{');
    w.key("allowed");
    out += decision.allowed() ? std::string_view("true") : std::string_view("false");
    w.key("country");
    w.optional_string(decision.country);
    w.key("action");
    w.optional_string(decision.action);
    w.key("plugin");
    if (decision.plugin) {
        w.open('{');
        w.key("name");
        w.string(decision.plugin->name);
        w.key("version");
        w.string(decision.plugin->version);
        w.close('}');
    } else {
        out += "null";
    }
    w.key("forms");
    w.open('[');
    for (const Form& form : decision.forms) {
        w.item();
        w.open('{');
        w.key("id");
        w.string(form.id);
        w.key("title");
        w.string(form.title);
        w.key("version");
        w.string(form.version);
        w.key("locale");
        w.string(form.locale);
        w.key("url");
        w.string(form.url);
        w.close('}');
    }
    w.close(']');
    w.key("mailbox");
    w.optional_string(decision.mailbox);
    w.key("contacts");
    w.open('[');
    for (const Contact& contact : decision.contacts) {
        w.item();
        w.open('{');
        w.key("kind");
        w.string(to_string(contact.kind));
        w.key("name");
        w.string(contact.name);
        w.key("address");
        w.optional_string(contact.address);
        w.key("url");
        w.optional_string(contact.url);
        w.close('}');
    }
    w.close(']');
    w.key("requires");
    w.strings(decision.requirements);
    w.key("violations");
    w.open('[');
    for (const Violation& violation : decision.violations) {
        w.item();
        w.open('{');
        w.key("code");
        w.string(violation.code);
        w.key("message");
        w.string(violation.message);
        w.key("rule");
        w.string(violation.rule);
        w.close('}');
    }
    w.close(']');
    w.key("notes");
    w.strings(decision.notes);
    w.key("matched_rules");
    w.strings(decision.matched_rules);
    w.close('}');
}

// The compact layout, the one batches write, with each run of punctuation and keys between two
// values appended at once.
void append_strings(std::string& out, const std::vector<std::string>& list) {
    out += '[';
    bool first = true;
    for (const std::string& text : list) {
        out += first ? std::string_view("\"") : std::string_view(",\"");
        first = false;
        append_escaped(out, text);
        out += '"';
    }
    out += ']';
}

void append_optional(std::string& out, const std::optional<std::string>& text) {
    if (text) {
        append_string(out, *text);
    } else {
        out += "null";
    }
}

void write_compact(const Decision& decision, std::string& out) {
    out += decision.allowed() ? std::string_view(R"({"allowed":true,"country":)")
                              : std::string_view(R"({"allowed":false,"country":)");
    append_optional(out, decision.country);
    out += R"(,"action":)";
    append_optional(out, decision.action);
    if (decision.plugin) {
        out += R"(,"plugin":{"name":")";
        append_escaped(out, decision.plugin->name);
        out += R"(","version":")";
        append_escaped(out, decision.plugin->version);
        out += R"("},"forms":[)";
    } else {
        out += R"(,"plugin":null,"forms":[)";
    }
    bool first = true;
    for (const Form& form : decision.forms) {
        out += first ? std::string_view(R"({"id":")") : std::string_view(R"(,{"id":")");
        first = false;
        append_escaped(out, form.id);
        out += R"(","title":")";
        append_escaped(out, form.title);
        out += R"(","version":")";
        append_escaped(out, form.version);
        out += R"(","locale":")";
        append_escaped(out, form.locale);
        out += R"(","url":")";
        append_escaped(out, form.url);
        out += R"("})";
    }
    out += R"(],"mailbox":)";
    append_optional(out, decision.mailbox);
    out += R"(,"contacts":[)";
    first = true;
    for (const Contact& contact : decision.contacts) {
        out += first ? std::string_view(R"({"kind":")") : std::string_view(R"(,{"kind":")");
        first = false;
        out += to_string(contact.kind);
        out += R"(","name":)";
        append_string(out, contact.name);
        out += R"(,"address":)";
        append_optional(out, contact.address);
        out += R"(,"url":)";
        append_optional(out, contact.url);
        out += '}';
    }
    out += ']';
    out += R"(,"requires":)";
    append_strings(out, decision.requirements);
    out += R"(,"violations":[)";
    first = true;
    for (const Violation& violation : decision.violations) {
        out += first ? std::string_view(R"({"code":")") : std::string_view(R"(,{"code":")");
        first = false;
        append_escaped(out, violation.code);
        out += R"(","message":")";
        append_escaped(out, violation.message);
        out += R"(","rule":")";
        append_escaped(out, violation.rule);
        out += R"("})";
    }
    out += R"(],"notes":)";
    append_strings(out, decision.notes);
    out += R"(,"matched_rules":)";
    append_strings(out, decision.matched_rules);
    out += '}';
}
}  // namespace

void to_json(const Decision& decision, std::string& out, int indent) {
    if (indent < 0) {
        write_compact(decision, out);
    } else {
        write_pretty(decision, out, indent);
    }
}

std::string to_json(const Decision& decision, int indent) {
    std::string out;
    out.reserve(512);
    to_json(decision, out, indent);
    return out;
}

}  // namespace telpolicy
