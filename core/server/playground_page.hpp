// The playground page served at GET /: core/server/playground.html, embedded at build time.
#pragma once

#include <string_view>

namespace telpolicy::server {

std::string_view playground_page() noexcept;

}  // namespace telpolicy::server
