// A diagram drawn as a picture (SVG 1.1), laid out here: columns left to right, nodes top to bottom
// in the order given, edges as curves. Self-contained: no script, font file or external reference.
#pragma once

#include <string>
#include <string_view>

#include "analysis/diagram.hpp"

namespace telpolicy {

std::string diagram_svg(const Diagram& diagram, std::string_view title);

}  // namespace telpolicy
