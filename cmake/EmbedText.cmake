# Writes a C++ source that returns a text file's bytes as a std::string_view, so that a page the
# binary serves is part of it (no file to find at run time). Run as a script:
#   cmake -DINPUT=page.html -DOUTPUT=page.cpp -DNAMESPACE=ns -DFUNCTION=name -P EmbedText.cmake
file(READ "${INPUT}" bytes HEX)
string(LENGTH "${bytes}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," chars "${bytes}")
# Break the initializer into lines of 16 characters, so that compilers and diffs stay comfortable.
string(REGEX REPLACE "(('[^']+',){16})" "\\1\n    " chars "${chars}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by cmake/EmbedText.cmake: do not edit.
#include <string_view>

namespace ${NAMESPACE} {
namespace {
constexpr char embedded[${size} + 1] = {
    ${chars}'\\0'};
}  // namespace

std::string_view ${FUNCTION}() noexcept { return {embedded, ${size}}; }

}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
