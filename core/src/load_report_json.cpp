// A LoadReport as JSON, for `telpolicy plugins --json`, the decision service and hosts that show it.
#include <nlohmann/json.hpp>

#include <telpolicy/engine.hpp>

namespace telpolicy {

std::string to_json(const LoadReport& report, int indent) {
    nlohmann::ordered_json out;
    out["loaded"] = nlohmann::ordered_json::array();
    for (const LoadedPlugin& plugin : report.loaded) {
        out["loaded"].push_back({{"name", plugin.name},
                                 {"version", plugin.version},
                                 {"countries", plugin.countries},
                                 {"library", plugin.library.string()},
                                 {"rules", plugin.rules_file.string()}});
    }
    out["refused"] = nlohmann::ordered_json::array();
    for (const RefusedPlugin& refused : report.refused) {
        out["refused"].push_back({{"path", refused.path.string()}, {"reason", refused.reason}});
    }
    out["revision"] = report.revision;
    out["digest"] = report.digest;
    // Paths and reasons come from the file system: replace bytes that are not UTF-8 rather than throw.
    return out.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace telpolicy
