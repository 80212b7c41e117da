// uriparser's file name conversions, with the buffer sizes its documentation asks for.
#include "file_uri.hpp"

#include <vector>

#include <uriparser/Uri.h>

namespace telpolicy::cli {

std::string uri_from_path(const std::string& path) {
    std::vector<char> uri(8 + 3 * path.size() + 1);
    if (uriUnixFilenameToUriStringA(path.c_str(), uri.data()) != URI_SUCCESS) return path;
    return uri.data();
}

std::optional<std::filesystem::path> path_from_file_uri(std::string_view uri) {
    if (uri.rfind("file:", 0) != 0) return std::nullopt;
    const std::string text(uri);
    std::vector<char> path(text.size() + 1);
    if (uriUriStringToUnixFilenameA(text.c_str(), path.data()) != URI_SUCCESS) return std::nullopt;
    return std::filesystem::path(path.data());
}

}  // namespace telpolicy::cli
