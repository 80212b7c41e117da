// File names as URIs and back (RFC 8089 file: URIs), with uriparser: SARIF's artifact locations and
// the language server's document URIs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace telpolicy::cli {

// "/srv/rules/us.yaml" -> "file:///srv/rules/us.yaml"; a relative name stays a relative reference
// ("rules/my%20us.yaml"), as code-scanning tools resolve it against the checkout.
std::string uri_from_path(const std::string& path);

// "file:///srv/rules/my%20us.yaml" -> "/srv/rules/my us.yaml"; nullopt for another scheme.
std::optional<std::filesystem::path> path_from_file_uri(std::string_view uri);

}  // namespace telpolicy::cli
