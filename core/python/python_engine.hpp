// telpolicy.Engine: the C++ Engine for Python, deciding with the GIL released.
#pragma once

#include <cstdint>
#include <string>

#include <pybind11/pybind11.h>

#include <telpolicy/engine.hpp>

#include "python_json.hpp"

namespace telpolicy::python {

// Shared by any number of Python threads, as the C++ Engine is: every member may run concurrently
// with the others, and each releases the GIL while the engine decides, loads or reloads.
class PythonEngine {
public:
    // Loads the plugins and rules (without the GIL); warns (RuntimeWarning) when none could be loaded.
    explicit PythonEngine(EngineOptions options);

    // The decision on a dict; a request.invalid decision for anything that is not a JSON object.
    [[nodiscard]] pybind11::object evaluate(pybind11::handle request) const;
    // JSON text (str, bytes or bytearray) in, the decision's JSON text (one line) out.
    [[nodiscard]] pybind11::str evaluate_json(pybind11::handle request_json) const;
    // One decision per element, in order, deciding a chunk at a time without the GIL.
    [[nodiscard]] pybind11::list evaluate_batch(pybind11::iterable requests) const;
    // {"decision": ..., "trace": [...]}, as `telpolicy explain --json`.
    [[nodiscard]] pybind11::object explain(pybind11::handle request) const;

    // {"applied", "revision", "errors": [{"file", "line", "column", "severity", "code", "message", "text"}]}
    pybind11::dict reload();
    void watch(double interval_seconds);
    [[nodiscard]] bool watching() const noexcept { return engine_.watching(); }

    // `telpolicy plugins --json`'s document: {"loaded", "refused", "revision", "digest"}.
    [[nodiscard]] pybind11::object load_report() const;
    [[nodiscard]] pybind11::object plugins() const;
    [[nodiscard]] std::uint64_t revision() const noexcept { return engine_.revision(); }
    [[nodiscard]] std::string repr() const;

private:
    Engine engine_;
    JsonCodec json_;
};

}  // namespace telpolicy::python
