// Locale matching for forms: exact tag, then language, then everything.
#include "evaluation/locale_match.hpp"

#include <algorithm>
#include <cctype>

namespace telpolicy {
namespace {

bool same_tag(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view language_of(std::string_view tag) { return tag.substr(0, tag.find('-')); }

}  // namespace

void filter_by_locale(const std::vector<FormEntry>& forms, std::span<const std::size_t> selected,
                      std::string_view locale, const std::function<void(std::size_t)>& keep) {
    if (locale.empty()) {
        for (std::size_t index : selected) keep(index);
        return;
    }
    const auto exact = [&](std::size_t index) { return same_tag(forms[index].form.locale.value_or(""), locale); };
    const auto same_language = [&](std::size_t index) {
        return same_tag(language_of(forms[index].form.locale.value_or("")), language_of(locale));
    };
    for (std::size_t index : selected) {
        // The translations of this form's document among the selected forms.
        const auto sibling_matches = [&](auto matches) {
            return std::any_of(selected.begin(), selected.end(), [&](std::size_t other) {
                return forms[other].document == forms[index].document && matches(other);
            });
        };
        const bool kept = sibling_matches(exact)           ? exact(index)
                          : sibling_matches(same_language) ? same_language(index)
                                                           : true;
        if (kept) keep(index);
    }
}

}  // namespace telpolicy
