// The Python module `telpolicy`: its docstrings and the binding of telpolicy.Engine.
#include <pybind11/pybind11.h>

#include <telpolicy/limits.hpp>

#include "engine_options.hpp"
#include "python_engine.hpp"

namespace py = pybind11;
using telpolicy::Limits;
using telpolicy::python::PythonEngine;

namespace {

constexpr const char* module_doc = R"(Policy decisions for phone-number operations (telpolicy).

    import telpolicy
    engine = telpolicy.Engine()          # the installed plugins and rules
    engine.evaluate({"country": "DE", "action": "port_in"})
    # {'allowed': True, 'country': 'DE', 'action': 'port_in', 'forms': [...], 'mailbox': ..., ...}

Requests and decisions are the contract's JSON, as dicts (evaluate, evaluate_batch, explain) or as
text (evaluate_json); README.md describes every field. A bad request never raises: it gets a
decision with a request.invalid violation whose message names what was wrong. An Engine may be
shared by any number of threads; it releases the GIL while it decides, loads and reloads.

The transfer PIN is a secret: it appears in no decision, message, explanation, repr or log.
)";

constexpr const char* engine_doc = R"(Engine(plugin_dirs=None, rules_dirs=None, *, allow_untrusted_plugins=False,
       max_request_bytes=1048576, max_numbers=10000, max_pin_bytes=64, max_json_depth=32,
       max_rules_file_bytes=4194304, max_yaml_depth=32, max_yaml_aliases=100, max_rules=10000)

Loads the country plugins and their rules files, and decides requests with them.

plugin_dirs, rules_dirs: a folder (str, bytes or os.PathLike) or a list of folders, searched in
order. None (the default) means TELPOLICY_PLUGIN_PATH / TELPOLICY_RULES_PATH (colon-separated)
when set, else the folders installed with this module, found relative to its own file exactly as
the telpolicy command finds them relative to itself (in the build tree too).

allow_untrusted_plugins: load plugin files and folders that group or others may write, or that
belong to neither root nor this user (refused by default: whoever can write a plugin runs code in
this process).

max_*: the bounds on requests and rules files, as the command's --max-* options (telpolicy --help);
a request over one gets request.invalid, a rules file over one is refused with the reason.

A plugin that cannot be used is refused (load_report()["refused"] says why) and the others load;
when none loads, a RuntimeWarning says so and every decision is country.unsupported.
)";

constexpr const char* evaluate_doc = R"(evaluate(request: dict) -> dict

The decision on one request, e.g. {"country": "US", "action": "port_in", "number_type": "user"}:
{"allowed", "country", "action", "plugin", "forms", "mailbox", "contacts", "requires",
"violations", "notes", "matched_rules"}, and "as_of" (the instant decided for, an RFC 3339 string)
when the request gave one or the country's rules are dated.

Never raises for a bad request: something that is not a dict, a key that is not a str, a value
JSON cannot hold (a set, bytes, NaN, an integer too long to write), a field of the wrong type or an
unknown word each give a decision with one request.invalid violation that names the problem. Only
MemoryError (and KeyboardInterrupt) propagate. The GIL is released while the engine decides.
)";

constexpr const char* evaluate_json_doc = R"(evaluate_json(request_json: str | bytes) -> str

The decision as JSON text on one line, exactly what `telpolicy eval --compact` prints (without its
final newline). The request is strict JSON: a key given twice, a NUL byte or anything after the
object is request.invalid. Never raises for a bad request.
)";

constexpr const char* evaluate_batch_doc = R"(evaluate_batch(requests: Iterable[dict]) -> list[dict]

One decision per request, in the order given, as evaluate() would give each: a bad element gets
its own request.invalid decision and the others are decided as usual. The requests are read and
decided a chunk at a time (256), with the GIL released while each chunk is decided.
)";

constexpr const char* explain_doc = R"(explain(request: dict) -> dict

The decision with its trace, as `telpolicy explain --json`: {"decision": {...}, "trace": [{"rule",
"location", "outcome", "detail"}, ...]}: every rule considered in order, whether it matched, and for
those that did not the first condition that failed, with the rule's file:line:column. Never raises
for a bad request.
)";

constexpr const char* reload_doc = R"(reload() -> dict

Reads the plugin folders and every rules file again. The new rules replace the old ones only when
every file is valid; otherwise the engine keeps deciding with the rules it had. Returns
{"applied": bool, "revision": int, "errors": [{"file", "line", "column", "severity", "code",
"message", "text"}]}, "text" being "file:line:column: error: message". Decisions in other threads go
on meanwhile; the GIL is released while it reloads.
)";

constexpr const char* watch_doc = R"(watch(interval: float) -> None

Polls the plugin and rules folders every `interval` seconds from a background thread and reloads
when a file was added, removed or modified; 0 stops the watch. See reload().
)";

constexpr const char* plugins_doc = R"(plugins() -> list[dict]

The plugins loaded: [{"name", "version", "countries", "library", "rules", "sources"}], the
"loaded" list of `telpolicy plugins --json`.
)";

constexpr const char* load_report_doc = R"(load_report() -> dict

What the rules in use were loaded from, as `telpolicy plugins --json`: {"loaded": [...],
"refused": [{"path", "reason"}], "revision": int, "digest": str}. The digest names the plugins and
rules in use and is the same in every process that loads the same ones.
)";

}  // namespace

PYBIND11_MODULE(telpolicy, m) {
    // Each docstring starts with its own signature, in Python's terms rather than pybind11's.
    py::options options;
    options.disable_function_signatures();

    m.doc() = module_doc;
    m.attr("__version__") = TELPOLICY_VERSION;

    const Limits defaults;
    py::class_<PythonEngine>(m, "Engine", engine_doc)
        .def(py::init([](py::object plugin_dirs, py::object rules_dirs, bool allow_untrusted_plugins,
                         std::size_t max_request_bytes, std::size_t max_numbers, std::size_t max_pin_bytes,
                         std::size_t max_json_depth, std::size_t max_rules_file_bytes, std::size_t max_yaml_depth,
                         std::size_t max_yaml_aliases, std::size_t max_rules) {
                 const Limits limits{.max_request_bytes = max_request_bytes,
                                     .max_numbers = max_numbers,
                                     .max_pin_bytes = max_pin_bytes,
                                     .max_json_depth = max_json_depth,
                                     .max_rules_file_bytes = max_rules_file_bytes,
                                     .max_yaml_depth = max_yaml_depth,
                                     .max_yaml_aliases = max_yaml_aliases,
                                     .max_rules = max_rules};
                 return std::make_unique<PythonEngine>(
                     telpolicy::python::engine_options(plugin_dirs, rules_dirs, allow_untrusted_plugins, limits));
             }),
             py::arg("plugin_dirs") = py::none(), py::arg("rules_dirs") = py::none(), py::kw_only(),
             py::arg("allow_untrusted_plugins") = false, py::arg("max_request_bytes") = defaults.max_request_bytes,
             py::arg("max_numbers") = defaults.max_numbers, py::arg("max_pin_bytes") = defaults.max_pin_bytes,
             py::arg("max_json_depth") = defaults.max_json_depth,
             py::arg("max_rules_file_bytes") = defaults.max_rules_file_bytes,
             py::arg("max_yaml_depth") = defaults.max_yaml_depth, py::arg("max_yaml_aliases") = defaults.max_yaml_aliases,
             py::arg("max_rules") = defaults.max_rules, engine_doc)
        .def("evaluate", &PythonEngine::evaluate, py::arg("request"), evaluate_doc)
        .def("evaluate_json", &PythonEngine::evaluate_json, py::arg("request_json"), evaluate_json_doc)
        .def("evaluate_batch", &PythonEngine::evaluate_batch, py::arg("requests"), evaluate_batch_doc)
        .def("explain", &PythonEngine::explain, py::arg("request"), explain_doc)
        .def("reload", &PythonEngine::reload, reload_doc)
        .def("watch", &PythonEngine::watch, py::arg("interval"), watch_doc)
        .def("plugins", &PythonEngine::plugins, plugins_doc)
        .def("load_report", &PythonEngine::load_report, load_report_doc)
        .def_property_readonly("revision", &PythonEngine::revision,
                               "The revision of the rules in use: 1 after loading, one more per applied reload.")
        .def_property_readonly("watching", &PythonEngine::watching, "Whether a watch (see watch()) is running.")
        .def("__repr__", &PythonEngine::repr);
}
