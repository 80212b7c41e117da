// The bounds the engine puts on what it reads, so that hostile or broken input costs bounded memory
// and time. Every default is far above any real request or rules file; a host changes them through
// EngineOptions::limits, the command line with one flag each (named beside each field).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace telpolicy {

struct Limits {
    // ----- requests (the contract's JSON); over a limit, the decision is request.invalid -----

    // Bytes in one request, or one line of a batch (--max-request-bytes). Default 1 MiB.
    std::size_t max_request_bytes{std::size_t{1} << 20};
    // Entries in a request's `numbers` (--max-numbers). Default 10,000: ten times the largest port
    // the US rules describe in one letter.
    std::size_t max_numbers{10'000};
    // Bytes in a request's `pin`, checked before the PIN is copied or looked at (--max-pin-bytes).
    // Default 64; a country's own PIN length (US: 6 to 10) is a rule, checked after this.
    std::size_t max_pin_bytes{64};
    // Objects and arrays nested in one another in a request (--max-json-depth), refused as the
    // parser meets the first one too deep, before it builds it. Default 32; the contract's requests
    // nest 2 deep (the object and its `numbers`).
    std::size_t max_json_depth{32};

    // ----- rules files (YAML); over a limit, the file is refused with the reason -----

    // Bytes in one rules file, checked before it is read (--max-rules-file-bytes). Default 4 MiB.
    std::size_t max_rules_file_bytes{std::size_t{4} << 20};
    // Mappings and lists nested in one another (--max-yaml-depth). Default 32; the US rules use 7.
    std::size_t max_yaml_depth{32};
    // Alias uses (`*name`), counted as if every alias were written out in full: an alias of a node
    // that itself holds aliases counts each of those again (--max-yaml-aliases). This is what stops a
    // "billion laughs" file. Default 100; the shipped rules use none.
    std::size_t max_yaml_aliases{100};
    // Entries in a rules file's `rules` (--max-rules). Default 10,000.
    std::size_t max_rules{10'000};
};

// Checks YAML text against max_yaml_depth and max_yaml_aliases without building it, and refuses a
// key given twice in one mapping (naming both places), as the rule loader does first; for any other
// YAML a host reads (the command's policy tests, for one). Returns the problem as
// "line:column: message", or an empty string when the text passes or is not valid YAML (the parser
// that reads it next says where).
std::string yaml_text_problem(std::string_view yaml_text, const Limits& limits);

}  // namespace telpolicy
