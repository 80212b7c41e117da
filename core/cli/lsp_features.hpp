// What the server answers about a position of a rules file: completion, hover and go-to-definition,
// as LSP 3.17 result objects (null where there is nothing to say).
#pragma once

#include <nlohmann/json.hpp>

#include "lsp_document.hpp"
#include "lsp_text_lines.hpp"

namespace telpolicy::cli::lsp {

// An LSP position: 0-based line, UTF-16 column.
struct Position {
    std::size_t line{0};
    std::size_t character{0};
};

// `outline` is what the file defines (its last good parse; nullptr when it never parsed).
nlohmann::json complete(const TextLines& lines, const DocumentOutline* outline, Position position);
nlohmann::json hover(const TextLines& lines, const DocumentOutline* outline, Position position);
nlohmann::json definition(const TextLines& lines, const DocumentOutline* outline, const std::string& uri,
                          Position position);

// The LSP range of a span of `lines` (byte columns made UTF-16).
nlohmann::json range_of(const TextLines& lines, const TextSpan& span);

}  // namespace telpolicy::cli::lsp
