// Chooses among translations of a form by the request's preferred locale.
#pragma once

#include <cstddef>
#include <string_view>
#include <functional>
#include <span>
#include <vector>

#include "policy/rule_set.hpp"

namespace telpolicy {

// `selected` holds indexes into `forms`. For each document offered in several locales, keeps the
// forms whose locale equals `locale` (ignoring case), else those of the same language ("fr" for
// "fr-CA"), else all of them, as the contract says. Order is kept.
// Calls keep(index) for each form kept, so that no list is built on the evaluation path.
void filter_by_locale(const std::vector<FormEntry>& forms, std::span<const std::size_t> selected,
                      std::string_view locale, const std::function<void(std::size_t)>& keep);

}  // namespace telpolicy
