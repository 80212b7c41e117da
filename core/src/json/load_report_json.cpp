// A LoadReport as JSON, for `telpolicy plugins --json`, the decision service and hosts that show it.
#include <telpolicy/engine.hpp>
#include <telpolicy/json_writer.hpp>

namespace telpolicy {

std::string to_json(const LoadReport& report, int indent) {
    std::string out;
    JsonWriter w(out, indent);
    w.begin_object();
    w.key("loaded").begin_array();
    for (const LoadedPlugin& plugin : report.loaded) {
        w.begin_object();
        w.key("name").string(plugin.name);
        w.key("version").string(plugin.version);
        w.key("countries").strings(plugin.countries);
        // Paths and reasons come from the file system: bytes that are not UTF-8 are replaced.
        w.key("library").string(plugin.library.string());
        w.key("rules").string(plugin.rules_file.string());
        w.key("sources").strings(plugin.sources);
        w.end_object();
    }
    w.end_array();
    w.key("refused").begin_array();
    for (const RefusedPlugin& refused : report.refused) {
        w.begin_object().key("path").string(refused.path.string()).key("reason").string(refused.reason).end_object();
    }
    w.end_array();
    w.key("revision").number(report.revision);
    w.key("digest").string(report.digest);
    w.end_object();
    return out;
}

}  // namespace telpolicy
