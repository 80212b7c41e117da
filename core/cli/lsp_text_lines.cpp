// Lines of a document and UTF-8 byte columns against UTF-16 columns (LSP 3.17's default encoding).
#include "lsp_text_lines.hpp"

namespace telpolicy::cli::lsp {
namespace {

// UTF-16 code units of the character a UTF-8 byte starts: continuation bytes count nothing, so that
// a character counts once, at its lead byte; a stray byte of a broken text counts as one character.
std::size_t utf16_units_at(unsigned char byte) {
    if ((byte & 0xC0U) == 0x80U) return 0;
    return (byte & 0xF8U) == 0xF0U ? 2 : 1;
}

}  // namespace

TextLines::TextLines(std::string text) : text_(std::move(text)) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') starts_.push_back(i + 1);
    }
}

std::string_view TextLines::line(std::size_t index) const {
    if (index >= starts_.size()) return {};
    const std::size_t start = starts_[index];
    std::size_t end = index + 1 < starts_.size() ? starts_[index + 1] - 1 : text_.size();
    if (end > start && text_[end - 1] == '\r') --end;
    return std::string_view(text_).substr(start, end - start);
}

std::size_t TextLines::utf16_column(std::size_t line_index, std::size_t byte_column) const {
    const std::string_view text = line(line_index);
    std::size_t units = 0;
    for (std::size_t i = 0; i < text.size() && i < byte_column; ++i) {
        units += utf16_units_at(static_cast<unsigned char>(text[i]));
    }
    return units;
}

std::size_t TextLines::byte_column(std::size_t line_index, std::size_t utf16_column) const {
    const std::string_view text = line(line_index);
    std::size_t units = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t width = utf16_units_at(static_cast<unsigned char>(text[i]));
        if (width != 0 && units + width > utf16_column) break;
        units += width;
        ++i;
        while (i < text.size() && utf16_units_at(static_cast<unsigned char>(text[i])) == 0) ++i;
    }
    return i;
}

std::size_t TextLines::offset_of(std::size_t line_index, std::size_t utf16_column) const {
    if (line_index >= starts_.size()) return text_.size();
    return starts_[line_index] + byte_column(line_index, utf16_column);
}

}  // namespace telpolicy::cli::lsp
