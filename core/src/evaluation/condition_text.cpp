// Words for conditions: shared by `telpolicy graph` and `telpolicy explain`.
#include "evaluation/condition_text.hpp"

namespace telpolicy {
namespace {

std::string or_list(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i != 0) out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

std::string describe_filter(const NumberFilter& filter) {
    std::vector<std::string> parts;
    if (filter.valid) parts.emplace_back(*filter.valid ? "valid" : "not valid");
    if (!filter.regions.empty()) parts.push_back("of " + or_list(filter.regions));
    if (!filter.regions_not.empty()) parts.push_back("not of " + or_list(filter.regions_not));
    if (filter.kinds != all_number_kinds_mask) {
        // Name the shorter side: "not toll_free" rather than eleven kinds.
        std::vector<std::string> kinds;
        std::vector<std::string> other_kinds;
        for (std::size_t kind = 0; kind < number_kind_count; ++kind) {
            const bool in = (filter.kinds & bit(static_cast<NumberKind>(kind))) != 0;
            (in ? kinds : other_kinds).emplace_back(to_string(static_cast<NumberKind>(kind)));
        }
        parts.push_back(kinds.size() <= other_kinds.size() ? or_list(kinds) : "not " + or_list(other_kinds));
    }
    if (filter.duplicate) parts.emplace_back(*filter.duplicate ? "a repeat" : "not a repeat");
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : ", ") + part;
    return out;
}

std::string describe_count(const Condition& when) {
    if (when.count_max == UINT64_MAX) return "count > " + std::to_string(when.count_min - 1);
    if (when.count_min == 0) return "count <= " + std::to_string(when.count_max);
    if (when.count_min == when.count_max) return "count = " + std::to_string(when.count_min);
    return "count " + std::to_string(when.count_min) + " to " + std::to_string(when.count_max);
}

}  // namespace

std::string describe_actions(const Vocabulary& words, const std::optional<WordSet>& actions) {
    if (!actions) return "any action";
    std::vector<std::string> names;
    actions->for_each(words.actions.size(), [&](std::size_t id) { names.push_back(words.actions[id]); });
    return or_list(names);
}

std::string describe_part(const Vocabulary& words, const Condition& when, ConditionPart part) {
    switch (part) {
        case ConditionPart::none: return "all conditions";
        case ConditionPart::period: return "in effect " + when.period.describe();
        case ConditionPart::action: return "action is " + describe_actions(words, when.actions);
        case ConditionPart::number_type: {
            std::vector<std::string> types;
            // The unspecified type (id 0) is named last, as people list it.
            if (when.number_types) {
                when.number_types->for_each(words.number_types.size() + 1, [&](std::size_t id) {
                    if (id != Vocabulary::unspecified_number_type) types.emplace_back(words.number_type_word(id));
                });
                if (when.number_types->contains(Vocabulary::unspecified_number_type)) types.emplace_back("unspecified");
            }
            return "number_type is " + or_list(types);
        }
        case ConditionPart::country: return "country is " + or_list(when.countries);
        case ConditionPart::count: return describe_count(when);
        case ConditionPart::pin_is_set: return std::string("pin_is_set is ") + (*when.pin_is_set ? "true" : "false");
        case ConditionPart::numbers_given:
            return *when.numbers.given ? "numbers are listed" : "no numbers are listed";
        case ConditionPart::count_mismatch:
            return *when.numbers.count_mismatch ? "count differs from the numbers listed"
                                                : "count agrees with the numbers listed";
        case ConditionPart::numbers_each: return "some number is " + describe_filter(*when.numbers.each);
        case ConditionPart::numbers_all: return "every number is " + describe_filter(*when.numbers.all);
    }
    return {};
}

std::vector<std::string> describe_condition(const Vocabulary& words, const Condition& when) {
    std::vector<std::string> parts;
    const auto describe_part = [&](const Condition& condition, ConditionPart part) {
        return telpolicy::describe_part(words, condition, part);
    };
    if (when.period.bounded()) parts.push_back(describe_part(when, ConditionPart::period));
    if (when.number_types) parts.push_back(describe_part(when, ConditionPart::number_type));
    if (!when.countries.empty()) parts.push_back(describe_part(when, ConditionPart::country));
    if (when.count_min != 0 || when.count_max != UINT64_MAX) parts.push_back(describe_part(when, ConditionPart::count));
    if (when.pin_is_set) parts.push_back(describe_part(when, ConditionPart::pin_is_set));
    if (when.numbers.given) parts.push_back(describe_part(when, ConditionPart::numbers_given));
    if (when.numbers.count_mismatch) parts.push_back(describe_part(when, ConditionPart::count_mismatch));
    if (when.numbers.each) parts.push_back(describe_part(when, ConditionPart::numbers_each));
    if (when.numbers.all) parts.push_back(describe_part(when, ConditionPart::numbers_all));
    return parts;
}

std::string request_side(const Request& request, ConditionPart part) {
    const std::size_t listed = request.numbers ? request.numbers->size() : 0;
    switch (part) {
        case ConditionPart::none: return {};
        case ConditionPart::period:
            return request.as_of ? "as_of " + format_timestamp(*request.as_of) : std::string("as_of now");
        case ConditionPart::action: return request.action;
        case ConditionPart::number_type: return request.number_type.value_or("unspecified");
        case ConditionPart::country: return request.country;
        case ConditionPart::count: return "count " + std::to_string(request.effective_count());
        case ConditionPart::pin_is_set: return request.pin_is_set ? "pin_is_set true" : "pin_is_set false";
        case ConditionPart::numbers_given:
        case ConditionPart::count_mismatch:
        case ConditionPart::numbers_each:
        case ConditionPart::numbers_all:
            return std::to_string(listed) + (listed == 1 ? " number listed" : " numbers listed") +
                   (request.count ? ", count " + std::to_string(*request.count) : "");
    }
    return {};
}

}  // namespace telpolicy
