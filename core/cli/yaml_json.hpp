// YAML to JSON as a policy author means it: quoted scalars are text ("073829" keeps its zero),
// plain ones are read as booleans, null, integers or text. Used by `telpolicy test` for its tests
// files and by tests/unit-page-facts.cpp for the page facts, which are written the same way.
#pragma once

#include <exception>
#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace telpolicy::cli {

inline nlohmann::json yaml_to_json(const YAML::Node& node) {
    if (node.IsMap()) {
        nlohmann::json object = nlohmann::json::object();
        for (auto it = node.begin(); it != node.end(); ++it) object[it->first.Scalar()] = yaml_to_json(it->second);
        return object;
    }
    if (node.IsSequence()) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& item : node) array.push_back(yaml_to_json(item));
        return array;
    }
    if (node.IsNull()) return nullptr;
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return text;  // quoted
    if (text == "true" || text == "false") return text == "true";
    if (text == "null" || text == "~") return nullptr;
    // An integer is an optional sign and digits: 2027-03-01, a date, stays text.
    const std::size_t digits_from = !text.empty() && text[0] == '-' ? 1 : 0;
    if (text.size() > digits_from && text.find_first_not_of("0123456789", digits_from) == std::string::npos) {
        try {
            return text[0] == '-' ? nlohmann::json(std::stoll(text)) : nlohmann::json(std::stoull(text));
        } catch (const std::exception&) {
            return text;
        }
    }
    return text;
}

}  // namespace telpolicy::cli
