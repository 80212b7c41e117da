// From telpolicy.Engine's arguments to EngineOptions: folders as Python gives paths, the defaults
// of the command.
#include "engine_options.hpp"

#include <string>
#include <type_traits>
#include <vector>

#include "default_paths.hpp"

namespace py = pybind11;

namespace telpolicy::python {
namespace {

bool is_one_path(py::handle value) {
    return PyUnicode_Check(value.ptr()) || PyBytes_Check(value.ptr()) || py::hasattr(value, "__fspath__");
}

// os.fsencode: the file system's own bytes, whatever the locale and even when not UTF-8.
std::filesystem::path to_path(py::handle value) {
    static_assert(std::is_same_v<std::filesystem::path::value_type, char>, "POSIX paths are bytes");
    return std::filesystem::path(py::module_::import("os").attr("fsencode")(value).cast<std::string>());
}

std::vector<std::filesystem::path> folders(py::handle given, std::vector<std::filesystem::path> (*defaults)()) {
    if (given.is_none()) return defaults();
    if (is_one_path(given)) return {to_path(given)};
    std::vector<std::filesystem::path> dirs;
    for (const py::handle item : py::iter(given)) dirs.push_back(to_path(item));
    return dirs;
}

}  // namespace

EngineOptions engine_options(py::handle plugin_dirs, py::handle rules_dirs, bool allow_untrusted_plugins,
                             const Limits& limits) {
    EngineOptions options;
    options.plugin_dirs = folders(plugin_dirs, &cli::default_plugin_dirs);
    options.rules_dirs = folders(rules_dirs, &cli::default_rules_dirs);
    options.limits = limits;
    options.allow_untrusted_plugins = allow_untrusted_plugins;
    return options;
}

}  // namespace telpolicy::python
