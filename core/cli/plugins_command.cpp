// `telpolicy plugins`: what is loaded, from where, for which countries, and what was refused and why.
#include <iostream>

#include "commands.hpp"

namespace telpolicy::cli {

int run_plugins(const Engine& engine, bool as_json) {
    const LoadReport& report = engine.load_report();
    if (as_json) {
        std::cout << to_json(report, 2) << "\n";
    } else {
        std::cout << "loaded (" << report.loaded.size() << "):\n";
        for (const LoadedPlugin& plugin : report.loaded) {
            std::cout << "  " << plugin.name << " " << plugin.version << "  countries:";
            for (const std::string& country : plugin.countries) std::cout << " " << country;
            std::cout << "\n    library: " << plugin.library.string() << "\n    rules:   " << plugin.rules_file.string()
                      << "\n";
            for (const std::string& source : plugin.sources) std::cout << "    source:  " << source << "\n";
        }
        std::cout << "refused (" << report.refused.size() << "):\n";
        for (const RefusedPlugin& refused : report.refused) {
            std::cout << "  " << refused.path.string() << "\n    " << refused.reason << "\n";
        }
    }
    return report.loaded.empty() ? exit_not_loaded : exit_ok;
}

}  // namespace telpolicy::cli
