// A short, stable fingerprint of bytes, for telling versions of rules apart in reports.
#pragma once

#include <string>
#include <string_view>

namespace telpolicy {

// 16 hex digits of FNV-1a over `bytes`: cheap and stable across processes; not a security hash.
std::string digest_of(std::string_view bytes);

}  // namespace telpolicy
