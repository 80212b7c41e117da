// How messages name a place in a YAML text ("first at line 12 column 7"), from a parser mark.
#pragma once

#include <string>

#include <yaml-cpp/mark.h>

namespace telpolicy {

// yaml-cpp's marks are 0-based; people and editors count from 1.
[[nodiscard]] inline std::string line_and_column(const YAML::Mark& mark) {
    return "line " + std::to_string(mark.line + 1) + " column " + std::to_string(mark.column + 1);
}

}  // namespace telpolicy
