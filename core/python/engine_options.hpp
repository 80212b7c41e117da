// telpolicy.Engine's arguments as the C++ EngineOptions.
#pragma once

#include <pybind11/pybind11.h>

#include <telpolicy/engine.hpp>

namespace telpolicy::python {

// Folders: None for the defaults (TELPOLICY_PLUGIN_PATH / TELPOLICY_RULES_PATH, else the folders
// relative to the module, as the command's are to itself), one path (str, bytes, os.PathLike) or
// an iterable of paths. Raises TypeError for anything else.
EngineOptions engine_options(pybind11::handle plugin_dirs, pybind11::handle rules_dirs, bool allow_untrusted_plugins,
                             const Limits& limits);

}  // namespace telpolicy::python
