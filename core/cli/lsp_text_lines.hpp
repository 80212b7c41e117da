// A document's text as lines, and the conversion between the byte columns that yaml-cpp and the
// rule loader report and the UTF-16 columns the Language Server Protocol counts in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace telpolicy::cli::lsp {

class TextLines {
public:
    explicit TextLines(std::string text);

    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    [[nodiscard]] std::size_t count() const noexcept { return starts_.size(); }
    // The line without its line end (\n or \r\n); empty past the last line.
    [[nodiscard]] std::string_view line(std::size_t index) const;

    // The UTF-16 column of byte column `byte_column` (0-based) of `line`, clamped to the line's end.
    [[nodiscard]] std::size_t utf16_column(std::size_t line, std::size_t byte_column) const;
    // The byte column of UTF-16 column `utf16_column` of `line`, clamped to the line's end; a column
    // inside a character (between a surrogate pair's halves) is the character's start.
    [[nodiscard]] std::size_t byte_column(std::size_t line, std::size_t utf16_column) const;
    // The offset in text() of a (line, UTF-16 column) position, clamped to the text.
    [[nodiscard]] std::size_t offset_of(std::size_t line, std::size_t utf16_column) const;

private:
    std::string text_;
    std::vector<std::size_t> starts_;  // the offset of each line's first byte
};

}  // namespace telpolicy::cli::lsp
