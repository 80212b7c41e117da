// telpolicy.Engine: Python objects in and out through json, the engine's work without the GIL.
#include "python_engine.hpp"

#include <chrono>
#include <cmath>
#include <new>
#include <utility>
#include <vector>

#include <telpolicy/decision.hpp>
#include <telpolicy/explanation.hpp>

namespace py = pybind11;

namespace telpolicy::python {
namespace {

// Requests serialized, decided without the GIL and read back per chunk: large enough that the GIL
// changes hands rarely, small enough that other threads wait little and memory stays bounded.
constexpr std::size_t batch_chunk = 256;

Engine load_without_gil(EngineOptions options) {
    const py::gil_scoped_release unlocked;
    return Engine(std::move(options));
}

std::string folders(const std::vector<std::filesystem::path>& dirs) {
    std::string out;
    for (const auto& dir : dirs) out += (out.empty() ? "" : ", ") + dir.string();
    return out.empty() ? "no folder" : out;
}

// The engine's own invalid-request decision, for a request that never became JSON.
std::string invalid_decision(std::string message) { return to_json(Decision::invalid_request(std::move(message))); }

// evaluate_to_json and explain's writer give nothing only when memory ran out.
std::string checked(std::string json) {
    if (json.empty()) throw std::bad_alloc();
    return json;
}

// JSON text as given to evaluate_json, readable without the GIL: a str's UTF-8 or bytes' own
// buffer (both immutable), a bytearray copied (another thread could resize it meanwhile).
struct RequestText {
    std::string copy;
    std::string_view json;
    std::string problem;
};

RequestText request_text(py::handle text) {
    RequestText out;
    if (PyUnicode_Check(text.ptr())) {
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
        if (data == nullptr) {
            if (PyErr_ExceptionMatches(PyExc_MemoryError)) throw py::error_already_set();
            PyErr_Clear();
            out.problem = "the request is not valid JSON (a string is not Unicode text: a lone surrogate)";
            return out;
        }
        out.json = std::string_view(data, static_cast<std::size_t>(size));
    } else if (PyBytes_Check(text.ptr())) {
        out.json = std::string_view(PyBytes_AS_STRING(text.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(text.ptr())));
    } else if (PyByteArray_Check(text.ptr())) {
        out.copy.assign(PyByteArray_AS_STRING(text.ptr()), static_cast<std::size_t>(PyByteArray_GET_SIZE(text.ptr())));
        out.json = out.copy;
    } else {
        out.problem = std::string("the request must be JSON text (str, bytes or bytearray), got ") + Py_TYPE(text.ptr())->tp_name;
    }
    return out;
}

// Where a copy of a request may have held the PIN: cleared, as the engine clears its own.
void clear(std::string& copy) noexcept {
    volatile char* bytes = copy.data();
    for (std::size_t i = 0; i < copy.size(); ++i) bytes[i] = 0;
}

const char* severity_name(Severity severity) { return severity == Severity::error ? "error" : "warning"; }

}  // namespace

PythonEngine::PythonEngine(EngineOptions options) : engine_(load_without_gil(options)) {
    if (engine_.load_report().loaded.empty()) {
        const std::string message = "telpolicy: no plugin could be loaded from " + folders(options.plugin_dirs) +
                                    " with rules from " + folders(options.rules_dirs) +
                                    " (see Engine.load_report()['refused']); every decision will be country.unsupported";
        if (PyErr_WarnEx(PyExc_RuntimeWarning, message.c_str(), 1) != 0) throw py::error_already_set();
    }
}

py::object PythonEngine::evaluate(py::handle request) const {
    const EncodedRequest encoded = json_.encode_request(request);
    std::string decision;
    if (!encoded.problem.empty()) {
        decision = invalid_decision(encoded.problem);
    } else {
        const py::gil_scoped_release unlocked;
        decision = engine_.evaluate_to_json(encoded.json);
    }
    return json_.decode(checked(std::move(decision)));
}

py::str PythonEngine::evaluate_json(py::handle request_json) const {
    RequestText text = request_text(request_json);
    std::string decision;
    if (!text.problem.empty()) {
        decision = invalid_decision(std::move(text.problem));
    } else {
        const py::gil_scoped_release unlocked;
        decision = engine_.evaluate_to_json(text.json);
        clear(text.copy);
    }
    return to_str(checked(std::move(decision)));
}

py::list PythonEngine::evaluate_batch(py::iterable requests) const {
    py::list decisions;
    std::vector<EncodedRequest> chunk;
    chunk.reserve(batch_chunk);
    std::string chunk_json;        // the chunk's decisions one after the other, the buffer reused
    std::vector<std::size_t> ends;  // where each decision ends in chunk_json
    const auto decide_chunk = [&] {
        chunk_json.clear();
        ends.clear();
        {
            const py::gil_scoped_release unlocked;
            for (const EncodedRequest& request : chunk) {
                if (!request.problem.empty()) {
                    to_json(Decision::invalid_request(request.problem), chunk_json);
                } else {
                    to_json(engine_.evaluate_json(request.json), chunk_json);
                }
                ends.push_back(chunk_json.size());
            }
        }
        chunk.clear();  // with the GIL: each holds a str
        // Read one by one rather than as one JSON array: a str of a whole chunk is a large
        // allocation made and freed per chunk, which costs more than the reads it would save.
        std::size_t begin = 0;
        for (const std::size_t end : ends) {
            const py::object decision = json_.decode(std::string_view(chunk_json).substr(begin, end - begin));
            if (PyList_Append(decisions.ptr(), decision.ptr()) != 0) throw py::error_already_set();
            begin = end;
        }
    };
    for (const py::handle request : requests) {
        chunk.push_back(json_.encode_request(request));
        if (chunk.size() == batch_chunk) decide_chunk();
    }
    if (!chunk.empty()) decide_chunk();
    return decisions;
}

py::object PythonEngine::explain(py::handle request) const {
    const EncodedRequest encoded = json_.encode_request(request);
    std::string explanation;
    if (!encoded.problem.empty()) {
        explanation = to_json(Explanation{Decision::invalid_request(encoded.problem), {}});
    } else {
        const py::gil_scoped_release unlocked;
        explanation = to_json(engine_.explain_json(encoded.json));
    }
    return json_.decode(explanation);
}

py::dict PythonEngine::reload() {
    ReloadResult result;
    {
        const py::gil_scoped_release unlocked;
        result = engine_.reload();
    }
    py::list errors;
    for (const Diagnostic& diagnostic : result.errors) {
        py::dict error;
        error["file"] = to_str(diagnostic.file);
        error["line"] = diagnostic.line;
        error["column"] = diagnostic.column;
        error["severity"] = severity_name(diagnostic.severity);
        error["code"] = to_str(diagnostic.code_or_default());
        error["message"] = to_str(diagnostic.message);
        error["text"] = to_str(diagnostic.to_string());  // file:line:column: error: message
        errors.append(std::move(error));
    }
    py::dict out;
    out["applied"] = result.applied;
    out["revision"] = result.revision;
    out["errors"] = std::move(errors);
    return out;
}

void PythonEngine::watch(double interval_seconds) {
    if (!std::isfinite(interval_seconds) || interval_seconds < 0) {
        throw py::value_error("the watch interval must be a number of seconds, zero or more");
    }
    const auto interval = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(interval_seconds * 1000.0)));
    const py::gil_scoped_release unlocked;  // replacing a watch waits for its thread
    engine_.watch(interval);
}

py::object PythonEngine::load_report() const { return json_.decode(to_json(engine_.load_report())); }

py::object PythonEngine::plugins() const { return load_report()["loaded"]; }

std::string PythonEngine::repr() const {
    const LoadReport report = engine_.load_report();
    return "<telpolicy.Engine revision " + std::to_string(report.revision) + ", " + std::to_string(report.loaded.size()) +
           " plugins, digest " + report.digest + ">";
}

}  // namespace telpolicy::python
