// Says what is wrong with a YAML text where it starts, when yaml-cpp's own words would mislead: an
// unclosed quote is reported by the parser dozens of lines later as "end of map not found" (or not at
// all, at the end of a file), and a key indented one space off gets the same words.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/mark.h>

namespace telpolicy {

struct YamlSyntaxProblem {
    YAML::Mark mark;  // where the mistake starts: the opening quote, the misindented key
    std::string message;
};

// A quoted string that is never closed before the end of the file (which yaml-cpp accepts silently),
// or one that runs over lines that look like keys or list items: its quote was meant to close on its
// line, and whatever the parser makes of the rest, those keys are lost.
std::optional<YamlSyntaxProblem> find_runaway_quote(std::string_view text);

// For a text the parser refused at `failure` with `parser_message`: the first quoted string that
// runs over several lines before that point (its quote was meant to close on its line), else the
// first line before it whose indentation matches no open level, or a tab used to indent; failing
// those, the parser's message at its place.
YamlSyntaxProblem explain_syntax_error(std::string_view text, const YAML::Mark& failure,
                                       const std::string& parser_message);

}  // namespace telpolicy
