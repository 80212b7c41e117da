// Completion, hover and definition over a rules file's outline and the cursor's context.
#include "lsp_features.hpp"

#include <set>

#include <telpolicy/violation_codes.hpp>
#include <telpolicy/vocabulary.hpp>

#include "lsp_cursor_context.hpp"

namespace telpolicy::cli::lsp {
namespace {

using nlohmann::json;

// CompletionItemKind of LSP 3.17.
constexpr int kind_value = 12;
constexpr int kind_keyword = 14;
constexpr int kind_reference = 18;

class Completions {
public:
    void add(std::string_view label, int kind, std::string_view detail) {
        if (label.empty() || !seen_.emplace(label).second) return;
        items_.push_back({{"label", std::string(label)}, {"kind", kind}, {"detail", std::string(detail)}});
    }
    json take() { return json{{"isIncomplete", false}, {"items", std::move(items_)}}; }

private:
    std::set<std::string, std::less<>> seen_;
    json items_ = json::array();
};

bool names_actions(std::string_view key) {
    return key == "action" || key == "sets" || key == "clears" || key == "required_for" || key == "must_be_set_for";
}

void complete_value(const CursorContext& context, const DocumentOutline* outline, Completions& out) {
    const Place place = place_of(context.path);
    const std::string& key = context.value_of;
    if (place == Place::top_level && key == "actions") {
        for (std::string_view word : common_vocabulary::actions) out.add(word, kind_value, "common action");
    }
    if (place == Place::top_level && key == "number_types") {
        for (std::string_view word : common_vocabulary::number_types) out.add(word, kind_value, "common number type");
    }
    if (place == Place::deny && key == "code") {
        for (std::string_view code : violation_code::all) out.add(code, kind_value, "contract code");
        if (outline && !outline->plugin.empty()) out.add(outline->plugin + ".", kind_value, "a code of this plugin's own");
    }
    if (!outline) return;
    if ((place == Place::when || place == Place::pin) && names_actions(key)) {
        for (const std::string& word : outline->actions) out.add(word, kind_value, "action of this file");
    }
    if (place == Place::when && key == "number_type") {
        for (const std::string& word : outline->number_types) out.add(word, kind_value, "number type of this file");
        for (const std::string& word : outline->synonyms) out.add(word, kind_value, "synonym of this file");
        out.add("unspecified", kind_value, "a request that gives no number type");
    }
    if (place == Place::when && key == "country") {
        for (const std::string& code : outline->countries) out.add(code, kind_value, "country of this file");
    }
    if (place == Place::then && key == "forms") {
        for (const DefinedForm& form : outline->forms) out.add(form.id, kind_reference, form.title);
    }
    if (place == Place::then && (key == "mailbox" || key == "contacts")) {
        for (const DefinedContact& contact : outline->contacts) {
            if (key == "contacts" || contact.kind == "mailbox") {
                out.add(contact.id, kind_reference, contact.address.empty() ? contact.kind : contact.address);
            }
        }
    }
}

enum class IdKind { any, form, contact, rule };

// What kind of id the word at `context` names: a rule's `then` names forms and contacts, a
// catalogue's `id` its own entry; elsewhere, any id the file defines.
IdKind id_kind_at(const CursorContext& context) {
    const Place place = place_of(context.path);
    const std::string& key = context.value_of;
    if (place == Place::then && key == "forms") return IdKind::form;
    if (place == Place::then && (key == "mailbox" || key == "contacts")) return IdKind::contact;
    if (key == "id" && place == Place::form) return IdKind::form;
    if (key == "id" && (place == Place::mailbox || place == Place::contact)) return IdKind::contact;
    if (key == "id" && place == Place::rule) return IdKind::rule;
    return IdKind::any;
}

struct Found {
    const DefinedForm* form{nullptr};
    const DefinedContact* contact{nullptr};
    const DefinedRule* rule{nullptr};
    WordAt word;
};

Found find_at(const TextLines& lines, const DocumentOutline* outline, Position position) {
    Found found;
    if (!outline) return found;
    const std::string_view line = lines.line(position.line);
    found.word = word_at(line, lines.byte_column(position.line, position.character));
    if (found.word.text.empty()) return found;
    const IdKind kind = id_kind_at(context_at(lines, position.line, found.word.byte_column));
    if (kind == IdKind::any || kind == IdKind::form) found.form = outline->form(found.word.text);
    if (!found.form && (kind == IdKind::any || kind == IdKind::contact)) found.contact = outline->contact(found.word.text);
    if (!found.form && !found.contact && (kind == IdKind::any || kind == IdKind::rule)) {
        found.rule = outline->rule(found.word.text);
    }
    return found;
}

// One "**label**: value" line of a hover, when there is a value.
void add_line(std::string& text, std::string_view label, const std::string& value) {
    if (value.empty()) return;
    text += "\n\n";
    text += label;
    text += ": ";
    text += value;
}

std::string describe(const Found& found) {
    std::string text;
    if (found.form) {
        text = "**form** `" + found.form->id + "`";
        add_line(text, "title", found.form->title);
        add_line(text, "version", found.form->version.empty() ? "none given" : found.form->version);
        add_line(text, "locale", found.form->locale.empty() ? "none given" : found.form->locale);
    } else if (found.contact) {
        text = "**" + (found.contact->kind.empty() ? std::string("contact") : found.contact->kind) + "** `" +
               found.contact->id + "`";
        add_line(text, "name", found.contact->name);
        add_line(text, "address", found.contact->address);
        add_line(text, "url", found.contact->url);
    } else if (found.rule) {
        text = "**rule** `" + found.rule->id + "`";
        text += "\n\n" + (found.rule->description.empty() ? std::string("(no description)") : found.rule->description);
    }
    return text;
}

}  // namespace

json range_of(const TextLines& lines, const TextSpan& span) {
    const auto position = [&](std::size_t byte_column) {
        return json{{"line", span.line}, {"character", lines.utf16_column(span.line, byte_column)}};
    };
    return json{{"start", position(span.byte_column)}, {"end", position(span.byte_column + span.byte_length)}};
}

json complete(const TextLines& lines, const DocumentOutline* outline, Position position) {
    const CursorContext context =
        context_at(lines, position.line, lines.byte_column(position.line, position.character));
    Completions out;
    if (context.at_key) {
        for (std::string_view key : keys_of(place_of(context.path))) out.add(key, kind_keyword, "key");
    } else if (!context.value_of.empty()) {
        complete_value(context, outline, out);
    }
    return out.take();
}

json hover(const TextLines& lines, const DocumentOutline* outline, Position position) {
    const Found found = find_at(lines, outline, position);
    const std::string text = describe(found);
    if (text.empty()) return nullptr;
    const TextSpan word{position.line, found.word.byte_column, found.word.text.size()};
    return json{{"contents", {{"kind", "markdown"}, {"value", text}}}, {"range", range_of(lines, word)}};
}

json definition(const TextLines& lines, const DocumentOutline* outline, const std::string& uri, Position position) {
    const Found found = find_at(lines, outline, position);
    const TextSpan* where = found.form ? &found.form->where
                            : found.contact ? &found.contact->where
                            : found.rule    ? &found.rule->where
                                            : nullptr;
    if (!where) return nullptr;
    return json{{"uri", uri}, {"range", range_of(lines, *where)}};
}

}  // namespace telpolicy::cli::lsp
