// A host application embedding telpolicy: one engine over the installed plugins and rules plus this
// project's own plugin, a request built in C++, requests read as JSON, and a reload.
//
//   telpolicy_host [PLUGIN_DIR RULES_DIR]    (default: the installed telpolicy's folders)
#include <cstdlib>
#include <iostream>

#include <telpolicy/engine.hpp>

int main(int argc, char** argv) {
    if (argc != 1 && argc != 3) {
        std::cerr << "usage: telpolicy_host [PLUGIN_DIR RULES_DIR]\n";
        return 2;
    }
    telpolicy::EngineOptions options;
    options.plugin_dirs = {argc == 3 ? argv[1] : HOST_INSTALLED_PLUGIN_DIR, HOST_OWN_PLUGIN_DIR};
    options.rules_dirs = {argc == 3 ? argv[2] : HOST_INSTALLED_RULES_DIR, HOST_OWN_RULES_DIR};
    options.on_reload = [](const telpolicy::ReloadResult& result) {
        if (!result.applied) {
            for (const telpolicy::Diagnostic& error : result.errors) std::cerr << error.to_string() << '\n';
        }
    };
    telpolicy::Engine engine(options);

    const telpolicy::LoadReport report = engine.load_report();
    for (const telpolicy::LoadedPlugin& plugin : report.loaded) {
        std::cout << "plugin " << plugin.name << ' ' << plugin.version << " rules " << plugin.rules_file.string()
                  << " digest " << plugin.rules_digest << '\n';
    }
    for (const telpolicy::RefusedPlugin& refused : report.refused) {
        std::cerr << "refused " << refused.path.string() << ": " << refused.reason << '\n';
    }
    if (report.loaded.empty()) return 3;

    // A request built in C++.
    telpolicy::Request port_in;
    port_in.country = "US";
    port_in.action = "port_in";
    port_in.number_type = "user";
    port_in.count = 5;
    const telpolicy::Decision decision = engine.evaluate(port_in);
    std::cout << "port_in US: allowed=" << std::boolalpha << decision.allowed()
              << " mailbox=" << decision.mailbox.value_or("(none)") << " forms=" << decision.forms.size() << '\n';
    std::cout << telpolicy::to_json(decision) << '\n';

    // Requests as JSON, decisions as JSON; bad input is a decision too, never an exception.
    std::cout << engine.evaluate_to_json(R"({"country":"PR","action":"set_pin","pin":"12345"})") << '\n';
    std::cout << engine.evaluate_to_json(R"({"country":"XH","action":"new_numbers"})") << '\n';
    std::cout << engine.evaluate_to_json(R"({"country":"US","action":"teleport"})") << '\n';

    // Rules edited on disk are picked up without a restart: reload() (or options.watch_interval).
    const telpolicy::ReloadResult reloaded = engine.reload();
    std::cout << "reload: applied=" << reloaded.applied << " revision=" << reloaded.revision << '\n';
    return reloaded.applied ? EXIT_SUCCESS : EXIT_FAILURE;
}
