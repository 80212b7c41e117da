// Beast (Boost 1.74) speaks boost::string_view; the service speaks std::string_view.
#pragma once

#include <string_view>

#include <boost/beast/core/string.hpp>

namespace telpolicy::server {

inline std::string_view to_std(boost::beast::string_view text) { return {text.data(), text.size()}; }
inline boost::beast::string_view to_beast(std::string_view text) { return {text.data(), text.size()}; }

}  // namespace telpolicy::server
