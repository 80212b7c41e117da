// The telpolicy command: parses arguments with CLI11, sets up logging, builds an Engine, and runs
// the chosen subcommand.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <map>

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
    // One folder per flag, so that `--rules DIR FILE` leaves FILE to the subcommand.
    app.add_option("--plugins", plugin_dirs, "folder of plugin libraries (repeatable; default: beside the binary)")
        ->type_name("DIR")
        ->allow_extra_args(false);
    app.add_option("--rules", rules_dirs, "folder of rules files (repeatable; default: beside the binary)")
        ->type_name("DIR")
        ->allow_extra_args(false);
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off (logs go to stderr)")
        ->envname("TELPOLICY_LOG_LEVEL")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

    // Limits on requests and rules files (telpolicy/limits.hpp says why each default), and plugin trust.
    Limits limits;
    bool allow_untrusted_plugins = false;
    const auto limit_option = [&app](const char* name, std::size_t& value, const char* what) {
        app.add_option(name, value, what)->capture_default_str()->type_name("N");
    };
    limit_option("--max-numbers", limits.max_numbers, "most entries in a request's numbers");
    limit_option("--max-pin-bytes", limits.max_pin_bytes, "longest PIN accepted, in bytes, before it is checked");
    limit_option("--max-json-depth", limits.max_json_depth, "deepest nesting of objects and arrays in a request");
    limit_option("--max-rules-file-bytes", limits.max_rules_file_bytes, "largest rules file read");
    limit_option("--max-yaml-depth", limits.max_yaml_depth, "deepest nesting of mappings and lists in a rules file");
    limit_option("--max-yaml-aliases", limits.max_yaml_aliases,
                 "most aliases in a rules file, counted as if each were written out");
    limit_option("--max-rules", limits.max_rules, "most rules in a rules file");
    app.add_flag("--allow-untrusted-plugins", allow_untrusted_plugins,
                 "load plugins that group or others may write, or that belong to another user (refused otherwise)");

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
    eval->add_option("--threads", eval_options.threads,
                     "batch: threads that decide lines, written in input order (default: one per available core)")
        ->needs(batch_flag)
        ->check(CLI::Range(1u, 1024u));
    eval->add_flag("--compact", eval_options.compact, "print the decision on one line");
    bool eval_explain = false;
    eval->add_flag("--explain", eval_explain, "print the decision with the trace of every rule (as `explain --json`)")
        ->excludes(batch_flag);

    cli::EvalOptions explain_options;
    bool explain_json = false;
    CLI::App* explain = app.add_subcommand(
        "explain", "the decision and its trace: every rule in order, matched or not, and the first condition that failed");
    explain->add_option("--request", explain_options.request_file, "request file (default: standard input)")
        ->type_name("FILE");
    explain->add_flag("--json", explain_json, "print the explanation as JSON instead of text");
    explain->add_flag("--compact", explain_options.compact, "with --json, print it on one line");
    eval->add_option("--max-request-bytes", limits.max_request_bytes,
                     "longest request (or batch line) accepted; longer ones are request.invalid")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{2}, std::size_t{1} << 30));

    bool plugins_json = false;
    CLI::App* plugins = app.add_subcommand("plugins", "list loaded plugins, their countries, and refused plugins");
    plugins->add_flag("--json", plugins_json, "print the report as JSON");

    cli::ValidateOptions validate_options;
    CLI::App* validate = app.add_subcommand(
        "validate", "check rules files without loading plugins; prove shadowed rules, conflicts and gaps");
    validate->add_option("files", validate_options.files, "rules files (default: every rules file in --rules)")
        ->type_name("FILE");
    validate->add_flag("--strict", validate_options.strict, "count warnings as errors");
    std::string validate_format = "text";
    validate
        ->add_option("--format", validate_format,
                     "text (file:line:column: ...), json, or sarif (SARIF 2.1.0, for code-scanning tools)")
        ->check(CLI::IsMember({"text", "json", "sarif"}))
        ->capture_default_str();

    cli::PolicyTestOptions test_options;
    CLI::App* policy_test = app.add_subcommand("test", "run the policy tests (*.tests.yaml) beside the rules");
    policy_test->add_option("paths", test_options.paths, "tests files or folders (default: the --rules folders)")
        ->type_name("PATH");
    policy_test->add_flag("--coverage", test_options.coverage, "list the rules that no test exercises");
    policy_test->add_flag("--require-full-coverage", test_options.require_full_coverage,
                          "fail when some rule is exercised by no test (implies --coverage)");

    std::string graph_file;
    std::string graph_country;
    std::string graph_format = "mermaid";
    CLI::App* graph = app.add_subcommand("graph", "draw a country's rules as a decision diagram");
    auto* graph_file_option = graph->add_option("file", graph_file, "rules file")->type_name("FILE");
    graph->add_option("--country", graph_country, "draw the rules of the plugin serving this country")
        ->excludes(graph_file_option);
    graph->add_option("--format", graph_format, "mermaid, dot, or svg (the picture, laid out by telpolicy)")
        ->capture_default_str()
        ->check(CLI::IsMember({"mermaid", "dot", "svg"}));

    cli::ReplayOptions replay_options;
    std::string replay_as_of;
    CLI::App* replay = app.add_subcommand(
        "replay", "decide every request of a decision log again with the --rules given, and report what changes");
    replay->add_option("log", replay_options.log_file, "decision log (serve --decision-log), '-' for standard input")
        ->type_name("DECISIONS.jsonl")
        ->required();
    std::string replay_format = "text";
    replay->add_option("--format", replay_format, "text, or json for tools")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    replay->add_flag("--fail-on-change", replay_options.fail_on_change, "exit 1 when any decision changed (for CI)");
    replay->add_option("--examples", replay_options.examples, "examples shown of each kind of change")
        ->capture_default_str()
        ->type_name("N");
    replay->add_option("--as-of", replay_as_of,
                       "decide every request for this date or date-time (default: the instant each was decided for)")
        ->type_name("DATE");

    CLI::App* lsp = app.add_subcommand(
        "lsp", "a language server for rules files on stdin and stdout: validate's diagnostics as you type, completion, "
               "hover, go-to-definition");

    // Hidden: the service runs it, in a sandbox, for each try of the playground's rules editor.
    CLI::App* playground_try = app.add_subcommand(
        "playground-try", "one try of the playground's rules editor, as JSON on stdin (run by serve)");
    playground_try->group("");

    cli::ServeOptions serve_options;
    server::ServerOptions& served = serve_options.server;
    CLI::App* serve = app.add_subcommand(
        "serve", "answer decisions over HTTP: POST /v1/decisions, /v1/decisions/batch, the playground at /, /metrics");
    serve->add_option("--listen", serve_options.listen, "HOST:PORT to listen on (port 0: any free port)")
        ->capture_default_str();
    serve->add_option("--threads", served.threads,
                      "I/O threads, which read requests and answer health checks (default: one per core)")
        ->type_name("N");
    serve->add_option("--eval-threads", served.eval_threads,
                      "threads that work out decisions, batches and reloads (default: one per core)")
        ->type_name("N");
    serve->add_option("--max-queued-requests", served.max_queued_requests,
                      "requests waiting for or on an evaluation thread; beyond, 503 with Retry-After")
        ->capture_default_str()
        ->type_name("N")
        ->check(CLI::PositiveNumber);
    serve->add_option("--max-connections", served.max_connections,
                      "open connections; when all are open, the longest idle is closed for a new one (default: "
                      "the descriptor limit less 64 and the probes' reserve, at most 10000)")
        ->type_name("N")
        ->check(CLI::PositiveNumber);
    serve->add_option("--probe-connections", served.probe_connections,
                      "connections beyond --max-connections for /healthz, /readyz and /metrics only, when none is idle")
        ->capture_default_str()
        ->type_name("N");
    serve->add_option("--admin-token-file", serve_options.admin_token_file,
                      "file whose first line is the bearer token POST /v1/reload requires (or TELPOLICY_ADMIN_TOKEN; "
                      "without either, admin endpoints answer 403)")
        ->type_name("FILE");
    serve->add_flag("--playground-rules", served.playground_rules,
                    "let the playground try edited rules (POST /v1/playground/...): any client may then make the "
                    "server load a rules file it sends, each try in a child process under time and memory bounds; "
                    "off, those endpoints answer 403");
    serve->add_option_function<std::size_t>(
             "--playground-try-memory-mib", [&served](std::size_t mib) { served.playground_try_memory = mib << 20; },
             "address space one try of edited rules may take, in MiB")
        ->default_str(std::to_string(served.playground_try_memory >> 20))
        ->type_name("N")
        ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 20));
    serve->add_option("--decision-log", served.decision_log, "append a JSON line per decision to FILE ('-': stdout)")
        ->type_name("FILE");
    serve->add_option("--decision-log-queue", served.decision_log_queue,
                      "decision log lines waiting to be written; beyond, --decision-log-full decides")
        ->capture_default_str()
        ->type_name("N")
        ->check(CLI::PositiveNumber);
    serve->add_option("--decision-log-full", served.decision_log_full,
                      "when the queue is full: drop (the line is dropped and counted; decisions never wait) or "
                      "block (the decision waits: none is ever missing from the log; for an audit log)")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, server::WhenLogFull>{{"drop", server::WhenLogFull::drop},
                                                       {"block", server::WhenLogFull::block}}))
        ->default_str("drop")
        ->type_name("drop|block");
    serve->add_option("--max-body-bytes", served.max_body_bytes, "largest request body (413 beyond)")
        ->capture_default_str()
        ->type_name("N");
    serve->add_option("--max-header-bytes", served.max_header_bytes, "largest request header (431 beyond)")
        ->capture_default_str()
        ->type_name("N");
    serve->add_option("--max-batch", served.max_batch, "most requests in one batch (413 beyond)")
        ->capture_default_str()
        ->type_name("N");
    const auto seconds_option = [serve](const char* name, std::chrono::milliseconds& value, const char* what) {
        serve->add_option_function<double>(
                 name, [&value](double seconds) { value = std::chrono::milliseconds(static_cast<long>(seconds * 1000)); },
                 what)
            ->default_str(value.count() % 1000 == 0 ? std::to_string(value.count() / 1000)
                                                    : std::to_string(static_cast<double>(value.count()) / 1000.0))
            ->type_name("SECONDS")
            ->check(CLI::Range(0.0, 86400.0));
    };
    seconds_option("--idle-timeout", served.idle_timeout, "close a keep-alive connection idle this long");
    seconds_option("--request-timeout", served.request_timeout, "a request begun must arrive whole within this (408)");
    seconds_option("--write-timeout", served.write_timeout, "a response must be taken within this");
    seconds_option("--playground-try-timeout", served.playground_try_timeout,
                   "one try of edited rules is stopped after this, wall-clock and CPU time alike");
    seconds_option("--watch-interval", serve_options.watch_interval,
                   "reload when plugin or rules files change, checking this often (0: only POST /v1/reload)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? cli::exit_ok : cli::exit_bad_input;
    }

    auto log = std::make_shared<spdlog::logger>("telpolicy", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    log->set_level(spdlog::level::from_str(log_level));
    log->set_pattern("telpolicy: [%l] %v");

    const auto chosen_rules_dirs = rules_dirs.empty() ? cli::default_rules_dirs() : to_paths(rules_dirs);
    if (*lsp) return cli::run_lsp(limits, log);
    if (*playground_try) return cli::run_playground_try(limits, allow_untrusted_plugins);
    if (*validate) {
        validate_options.rules_dirs = chosen_rules_dirs;
        validate_options.limits = limits;
        validate_options.format = validate_format == "json"    ? cli::DiagnosticsFormat::json
                                  : validate_format == "sarif" ? cli::DiagnosticsFormat::sarif
                                                               : cli::DiagnosticsFormat::text;
        return cli::run_validate(validate_options);
    }
    if (*graph && graph_country.empty()) {
        if (graph_file.empty()) {
            std::cerr << "telpolicy: graph needs a rules FILE or --country CODE\n";
            return cli::exit_bad_input;
        }
        return cli::run_graph(graph_file, graph_format, limits);
    }

    EngineOptions options;
    options.plugin_dirs = plugin_dirs.empty() ? cli::default_plugin_dirs() : to_paths(plugin_dirs);
    options.rules_dirs = chosen_rules_dirs;
    options.logger = log;
    options.limits = limits;
    options.allow_untrusted_plugins = allow_untrusted_plugins;
    if (*serve) {
        options.limits.max_request_bytes = served.max_body_bytes;
        return cli::run_serve(std::move(options), std::move(serve_options));
    }
    const Engine engine(options);

    if (*plugins) return cli::run_plugins(engine, plugins_json);
    if (*graph) {
        for (const LoadedPlugin& plugin : engine.load_report().loaded) {
            for (const std::string& country : plugin.countries) {
                if (country.size() == graph_country.size() &&
                    std::equal(country.begin(), country.end(), graph_country.begin(),
                               [](char a, char b) { return a == std::toupper(static_cast<unsigned char>(b)); })) {
                    return cli::run_graph(plugin.rules_file, graph_format, limits);
                }
            }
        }
        std::cerr << "telpolicy: no loaded plugin serves country " << graph_country << "\n";
        return cli::exit_not_loaded;
    }

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
    if (*policy_test) {
        test_options.default_dirs = options.rules_dirs;
        test_options.limits = options.limits;
        test_options.coverage = test_options.coverage || test_options.require_full_coverage;
        return cli::run_policy_tests(engine, test_options);
    }
    if (*replay) {
        replay_options.json = replay_format == "json";
        replay_options.limits = options.limits;
        if (!replay_as_of.empty()) {
            ParsedInstant as_of = parse_date_time(replay_as_of);
            if (!as_of.value) {
                std::cerr << "telpolicy: --as-of '" << replay_as_of << "': " << as_of.error << "\n";
                return cli::exit_bad_input;
            }
            replay_options.as_of = as_of.value;
        }
        return cli::run_replay(engine, replay_options);
    }
    if (*explain) {
        explain_options.explain = explain_json ? cli::ExplainFormat::json : cli::ExplainFormat::text;
        explain_options.limits = options.limits;
        return cli::run_eval(engine, explain_options);
    }
    if (eval_explain) eval_options.explain = cli::ExplainFormat::json;
    eval_options.limits = options.limits;
    return eval_options.batch ? cli::run_batch(engine, eval_options) : cli::run_eval(engine, eval_options);
}
