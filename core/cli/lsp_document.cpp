// Reads what a rules file defines from its YAML, tolerating every shape a half-typed file has.
#include "lsp_document.hpp"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include <telpolicy/vocabulary.hpp>

namespace telpolicy::cli::lsp {
namespace {

std::string scalar_of(const YAML::Node& map, const char* key) {
    if (!map.IsMap()) return {};
    const YAML::Node value = map[key];
    return value && value.IsScalar() ? value.Scalar() : std::string();
}

// The scalars of a list, or the one scalar given instead of a list.
std::vector<std::string> words_of(const YAML::Node& node) {
    std::vector<std::string> words;
    if (!node) return words;  // an absent key: yaml-cpp's node would throw on any question
    if (node.IsScalar()) words.push_back(node.Scalar());
    if (node.IsSequence()) {
        for (const YAML::Node& item : node) {
            if (item.IsScalar()) words.push_back(item.Scalar());
        }
    }
    return words;
}

TextSpan span_of(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    TextSpan span;
    span.line = mark.line > 0 ? static_cast<std::size_t>(mark.line) : 0;
    span.byte_column = mark.column > 0 ? static_cast<std::size_t>(mark.column) : 0;
    span.byte_length = node.IsScalar() ? node.Scalar().size() : 0;
    return span;
}

// The items of a catalogue that have a scalar id.
template <typename Visit>
void for_each_item_with_id(const YAML::Node& list, Visit visit) {
    if (!list || !list.IsSequence()) return;
    for (const YAML::Node& item : list) {
        if (!item.IsMap()) continue;
        const YAML::Node id = item["id"];
        if (id && id.IsScalar() && !id.Scalar().empty()) visit(item, id);
    }
}

DocumentOutline outline_of(const YAML::Node& root) {
    DocumentOutline outline;
    outline.plugin = scalar_of(root, "plugin");
    outline.countries = words_of(root["countries"]);
    outline.actions = words_of(root["actions"]);
    if (const YAML::Node types = root["number_types"]) {
        outline.number_types = words_of(types);
    } else {
        outline.number_types.assign(std::begin(common_vocabulary::number_types), std::end(common_vocabulary::number_types));
    }
    if (const YAML::Node synonyms = root["synonyms"]; synonyms && synonyms.IsMap()) {
        for (auto it = synonyms.begin(); it != synonyms.end(); ++it) {
            if (it->first.IsScalar()) outline.synonyms.push_back(it->first.Scalar());
        }
    }
    for_each_item_with_id(root["forms"], [&](const YAML::Node& item, const YAML::Node& id) {
        outline.forms.push_back({id.Scalar(), span_of(id), scalar_of(item, "title"), scalar_of(item, "version"),
                                 scalar_of(item, "locale")});
    });
    for_each_item_with_id(root["mailboxes"], [&](const YAML::Node& item, const YAML::Node& id) {
        outline.contacts.push_back({id.Scalar(), span_of(id), "mailbox", scalar_of(item, "name"),
                                    scalar_of(item, "address"), scalar_of(item, "url")});
    });
    for_each_item_with_id(root["contacts"], [&](const YAML::Node& item, const YAML::Node& id) {
        outline.contacts.push_back({id.Scalar(), span_of(id), scalar_of(item, "kind"), scalar_of(item, "name"),
                                    scalar_of(item, "address"), scalar_of(item, "url")});
    });
    for_each_item_with_id(root["rules"], [&](const YAML::Node& item, const YAML::Node& id) {
        outline.rules.push_back({id.Scalar(), span_of(id), scalar_of(item, "description")});
    });
    return outline;
}

template <typename Defined>
const Defined* find_id(const std::vector<Defined>& defined, std::string_view id) {
    const auto found = std::find_if(defined.begin(), defined.end(), [&](const Defined& item) { return item.id == id; });
    return found == defined.end() ? nullptr : &*found;
}

}  // namespace

const DefinedForm* DocumentOutline::form(std::string_view id) const { return find_id(forms, id); }
const DefinedContact* DocumentOutline::contact(std::string_view id) const { return find_id(contacts, id); }
const DefinedRule* DocumentOutline::rule(std::string_view id) const { return find_id(rules, id); }

std::optional<DocumentOutline> outline_document(std::string_view text, const Limits& limits) {
    if (text.size() > limits.max_rules_file_bytes) return std::nullopt;
    // Depth and aliases first, on parser events, as the loader does: a hostile text never becomes a
    // node graph (deep nesting would exhaust the stack, aliases the memory).
    if (!yaml_text_problem(text, limits).empty()) return std::nullopt;
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        if (!root.IsMap()) return std::nullopt;
        return outline_of(root);
    } catch (const YAML::Exception&) {
        return std::nullopt;
    }
}

}  // namespace telpolicy::cli::lsp
