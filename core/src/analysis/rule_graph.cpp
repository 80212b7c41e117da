// The decision diagram: request -> actions -> rules (in reading order, with their conditions) ->
// outcomes (forms, mailboxes, denials, notes), and the PIN policy beside the actions it guards.
#include "analysis/rule_graph.hpp"

#include <cctype>
#include <sstream>

#include "analysis/diagram.hpp"
#include "analysis/diagram_svg.hpp"
#include "evaluation/condition_text.hpp"

namespace telpolicy {
namespace {

// Ids safe in both DOT and Mermaid.
std::string safe_id(std::string_view prefix, std::string_view text) {
    std::string id(prefix);
    for (char c : text) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return id;
}

Diagram build(const RuleSet& rules) {
    Diagram graph;
    std::string countries;
    for (const std::string& country : rules.countries) countries += (countries.empty() ? "" : ", ") + country;
    graph.node("request", "request\n" + countries + " (plugin " + rules.plugin + ")", "oval", 0);
    const std::vector<std::string>& actions = rules.words.actions;
    rules.offered_actions.for_each(actions.size(), [&](std::size_t action) {
        const std::string id = safe_id("action_", actions[action]);
        graph.node(id, actions[action], "box", 1);
        graph.edge("request", id);
    });
    if (rules.pin.used) {
        std::string label = "transfer PIN\n" + std::to_string(rules.pin.min_length) + " to " +
                            std::to_string(rules.pin.max_length) +
                            (rules.pin.characters == PinCharacters::ascii_digits               ? " ASCII digits"
                             : rules.pin.characters == PinCharacters::ascii_letters_and_digits ? " ASCII letters/digits"
                                                                                                : " characters");
        for (const std::string& check : rules.pin.checks) label += "\nplugin check: " + check;
        if (!rules.pin.can_clear) label += "\ncannot be removed";
        graph.node("pin", label, "hexagon", 2);
        rules.offered_actions.for_each(actions.size(), [&](std::size_t action) {
            const bool required = rules.pin.required_for.contains(action);
            const bool must_be_set = rules.pin.must_be_set_for.contains(action);
            const bool clearing = rules.pin.clears.contains(action) && !rules.pin.can_clear;
            if (required || must_be_set || clearing) {
                graph.edge(safe_id("action_", actions[action]), "pin",
                           clearing ? "refused" : must_be_set ? "needs PIN, set" : "needs PIN");
            }
        });
    }
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
        const Rule& rule = rules.rules[i];
        const std::string id = "rule_" + std::to_string(i);
        std::string label = std::to_string(i + 1) + ". " + rule.id;
        for (const std::string& part : describe_condition(rules.words, rule.when)) label += "\n" + part;
        if (rule.final) label += "\n(final)";
        graph.node(id, label, "diamond", 2);
        if (!rule.when.actions) {
            graph.edge("request", id, "any action");
        } else {
            rule.when.actions->for_each(actions.size(), [&](std::size_t action) {
                if (rules.offered_actions.contains(action)) graph.edge(safe_id("action_", actions[action]), id);
            });
        }
        for (std::size_t form : rule.then.forms) {
            const Form& f = rules.forms[form].form;
            const std::string form_id = safe_id("form_", f.id);
            graph.node(form_id, f.title + "\n" + (f.version ? "v" + *f.version : "no version") + " " + f.locale.value_or("no locale"), "note", 3);
            graph.edge(id, form_id, "form");
        }
        for (std::size_t index : rule.then.contacts) {
            const ContactEntry& entry = rules.contacts[index];
            const Contact& contact = entry.contact;
            const std::string contact_id = safe_id(contact.kind == ContactKind::mailbox ? "mailbox_" : "contact_", entry.id);
            graph.node(contact_id, contact.address.value_or(contact.name), contact.kind == ContactKind::mailbox ? "cylinder" : "house", 3);
            graph.edge(id, contact_id, "send to");
        }
        for (const ViolationTemplate& violation : rule.then.violations) {
            const std::string deny_id = safe_id("deny_", violation.code);
            graph.node(deny_id, "deny\n" + violation.code, "octagon", 3);
            graph.edge(id, deny_id);
        }
        if (!rule.then.notes.empty()) {
            const std::string note_id = "note_" + std::to_string(i);
            graph.node(note_id, "note", "plaintext", 3);
            graph.edge(id, note_id);
        }
    }
    return graph;
}

std::string dot_text(std::string_view label) {
    std::string out;
    for (char c : label) {
        if (c == '"' || c == '\\') out += '\\';
        out += c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    return out;
}

std::string mermaid_text(std::string_view label) {
    std::string out;
    for (char c : label) {
        if (c == '\n') out += "<br/>";
        else if (c == '"') out += "#quot;";
        else if (c == '<') out += "#lt;";
        else if (c == '>') out += "#gt;";
        else out += c;
    }
    return out;
}

std::string mermaid_node(const DiagramNode& node) {
    const std::string text = "\"" + mermaid_text(node.label) + "\"";
    if (node.shape == "oval") return node.id + "([" + text + "])";
    if (node.shape == "diamond") return node.id + "{" + text + "}";
    if (node.shape == "hexagon") return node.id + "{{" + text + "}}";
    if (node.shape == "cylinder") return node.id + "[(" + text + ")]";
    if (node.shape == "octagon") return node.id + "[/" + text + "\\]";
    if (node.shape == "note") return node.id + ">" + text + "]";
    return node.id + "[" + text + "]";
}

}  // namespace

std::string draw_rule_graph(const RuleSet& rules, GraphFormat format) {
    const Diagram graph = build(rules);
    if (format == GraphFormat::svg) return diagram_svg(graph, "Decision diagram of plugin " + rules.plugin + "'s rules");
    std::ostringstream out;
    if (format == GraphFormat::dot) {
        out << "digraph \"" << dot_text(rules.plugin) << "\" {\n  rankdir=LR;\n"
            << "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
        for (const DiagramNode& node : graph.nodes) {
            out << "  " << node.id << " [shape=" << node.shape << ", label=\"" << dot_text(node.label) << "\""
                << (node.shape == "octagon" ? ", color=red" : "") << "];\n";
        }
        for (const DiagramEdge& edge : graph.edges) {
            out << "  " << edge.from << " -> " << edge.to;
            if (!edge.label.empty()) out << " [label=\"" << dot_text(edge.label) << "\"]";
            out << ";\n";
        }
        out << "}\n";
    } else {
        out << "flowchart LR\n";
        for (const DiagramNode& node : graph.nodes) out << "  " << mermaid_node(node) << "\n";
        for (const DiagramEdge& edge : graph.edges) {
            out << "  " << edge.from << " -->" << (edge.label.empty() ? "" : "|\"" + mermaid_text(edge.label) + "\"|")
                << " " << edge.to << "\n";
        }
    }
    return out.str();
}

}  // namespace telpolicy
