// `telpolicy graph`: a country's rules drawn as a decision diagram, in Graphviz DOT, Mermaid or SVG.
#include <iostream>

#include <telpolicy/authoring.hpp>

#include "commands.hpp"

namespace telpolicy::cli {

int run_graph(const std::filesystem::path& rules_file, const std::string& format, const Limits& limits) {
    const GraphFormat chosen = format == "dot"   ? GraphFormat::dot
                               : format == "svg" ? GraphFormat::svg
                                                 : GraphFormat::mermaid;
    const RulesGraph graph = draw_rules(rules_file, chosen, limits);
    if (graph.text.empty()) {
        for (const Diagnostic& diagnostic : graph.diagnostics) std::cerr << diagnostic.to_string() << "\n";
        return 1;
    }
    std::cout << graph.text;
    return exit_ok;
}

}  // namespace telpolicy::cli
