// The telpolicy command: parses arguments with CLI11, sets up logging, builds an Engine, and runs
// the chosen subcommand.
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "default_paths.hpp"

namespace {

std::vector<std::filesystem::path> to_paths(const std::vector<std::string>& texts) {
    return {texts.begin(), texts.end()};
}

}  // namespace

int main(int argc, char** argv) {
    using namespace telpolicy;
    CLI::App app{"telpolicy: a policy engine for phone-number operations (forms, mailboxes, transfer PINs)"};
    app.require_subcommand(1);
    app.fallthrough();  // --plugins, --rules and --log-level may come after the subcommand too

    std::vector<std::string> plugin_dirs;
    std::vector<std::string> rules_dirs;
    std::string log_level = "warn";
    app.add_option("--plugins", plugin_dirs, "folder of plugin libraries (repeatable; default: beside the binary)")
        ->type_name("DIR");
    app.add_option("--rules", rules_dirs, "folder of rules files (repeatable; default: beside the binary)")
        ->type_name("DIR");
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off (logs go to stderr)")
        ->envname("TELPOLICY_LOG_LEVEL")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

    cli::EvalOptions eval_options;
    CLI::App* eval = app.add_subcommand("eval", "evaluate one request (JSON), or JSON Lines with --batch");
    auto* request_option =
        eval->add_option("--request", eval_options.request_file, "request file (default: standard input)")
            ->type_name("FILE");
    auto* batch_flag = eval->add_flag("--batch", eval_options.batch, "read JSON Lines, write one decision a line");
    eval->add_option("--input", eval_options.input_file, "batch input file (default: standard input)")
        ->type_name("FILE")
        ->needs(batch_flag);
    request_option->excludes(batch_flag);
    eval->add_flag("--compact", eval_options.compact, "print the decision on one line");
    eval->add_option("--max-request-bytes", eval_options.max_request_bytes,
                     "longest request (or batch line) accepted; longer ones are request.invalid")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{2}, std::size_t{1} << 30));

    bool plugins_json = false;
    CLI::App* plugins = app.add_subcommand("plugins", "list loaded plugins, their countries, and refused plugins");
    plugins->add_flag("--json", plugins_json, "print the report as JSON");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? cli::exit_ok : cli::exit_bad_input;
    }

    auto log = std::make_shared<spdlog::logger>("telpolicy", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    log->set_level(spdlog::level::from_str(log_level));
    log->set_pattern("telpolicy: [%l] %v");

    EngineOptions options;
    options.plugin_dirs = plugin_dirs.empty() ? cli::default_plugin_dirs() : to_paths(plugin_dirs);
    options.rules_dirs = rules_dirs.empty() ? cli::default_rules_dirs() : to_paths(rules_dirs);
    options.logger = log;
    const Engine engine(options);

    if (*plugins) return cli::run_plugins(engine, plugins_json);

    if (engine.load_report().loaded.empty()) {
        std::cerr << "telpolicy: no plugin could be loaded from";
        for (const auto& dir : options.plugin_dirs) std::cerr << " " << dir.string();
        std::cerr << " with rules from";
        for (const auto& dir : options.rules_dirs) std::cerr << " " << dir.string();
        std::cerr << "\n";
        for (const RefusedPlugin& refused : engine.load_report().refused) {
            std::cerr << "  " << refused.path.string() << ": " << refused.reason << "\n";
        }
        return cli::exit_not_loaded;
    }
    return eval_options.batch ? cli::run_batch(engine, eval_options) : cli::run_eval(engine, eval_options);
}
