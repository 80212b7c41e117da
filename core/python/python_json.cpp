// Requests from Python dicts to JSON text, and the engine's documents back, through Python's json.
#include "python_json.hpp"

#include <algorithm>
#include <iterator>

#include <telpolicy/request.hpp>

namespace py = pybind11;

namespace telpolicy::python {
namespace {

std::string type_name(py::handle object) { return Py_TYPE(object.ptr())->tp_name; }

// What an exception says, as UTF-8; `fallback` when it cannot say it.
std::string message_of(py::handle exception, const char* fallback) {
    const py::object text = py::reinterpret_steal<py::object>(PyObject_Str(exception.ptr()));
    Py_ssize_t size = 0;
    const char* data = text ? PyUnicode_AsUTF8AndSize(text.ptr(), &size) : nullptr;
    if (data == nullptr) {
        PyErr_Clear();
        return fallback;
    }
    return {data, static_cast<std::size_t>(size)};
}

EncodedRequest problem(std::string message) { return {py::object(), {}, std::move(message)}; }

// MemoryError, and what is not an error at all (KeyboardInterrupt, SystemExit), belong to the caller.
bool belongs_to_caller(const py::error_already_set& failure) {
    return failure.matches(PyExc_MemoryError) || !failure.matches(PyExc_Exception);
}

// The field's name as the engine's messages give it, or a neutral phrase for a key the contract
// does not define: a key is the caller's text, and could be anything, a PIN included.
std::string field_phrase(py::handle key) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(key.ptr(), &size);
    if (data == nullptr) {
        PyErr_Clear();  // not UTF-8 (a lone surrogate): not a field of the contract either
        return "a field the contract does not define";
    }
    const std::string_view name(data, static_cast<std::size_t>(size));
    const bool contract_field = std::find(std::begin(request_fields), std::end(request_fields), name) != std::end(request_fields);
    return contract_field ? "field '" + std::string(name) + "'" : std::string("a field the contract does not define");
}

// json's messages name types and limits; should one ever quote a value (a dict subclass's own
// items() may raise anything), the PIN is cut out of it.
std::string without_pin(std::string reason, py::handle request) {
    PyObject* pin = PyDict_GetItemString(request.ptr(), "pin");  // borrowed; never raises
    if (pin == nullptr || !PyUnicode_Check(pin)) return reason;
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(pin, &size);
    if (data == nullptr) {
        PyErr_Clear();
        return reason;
    }
    const std::string_view secret(data, static_cast<std::size_t>(size));
    if (secret.empty()) return reason;
    constexpr std::string_view placeholder = "(the PIN)";
    for (std::size_t at = reason.find(secret); at != std::string::npos; at = reason.find(secret, at + placeholder.size())) {
        reason.replace(at, secret.size(), placeholder);
    }
    return reason;
}

}  // namespace

JsonCodec::JsonCodec() {
    const py::module_ json = py::module_::import("json");
    // What json.dumps(request, allow_nan=False, separators=(",", ":")) and json.loads use, made once
    // rather than on every call. NaN and infinities are refused: JSON has no spelling for them.
    // Non-ASCII text stays UTF-8, as the engine reads it.
    const py::object encoder = json.attr("JSONEncoder")(py::arg("ensure_ascii") = false, py::arg("allow_nan") = false,
                                                        py::arg("separators") = py::make_tuple(",", ":"));
    // The C accelerator that JSONEncoder.encode calls on every request, made once here, as the
    // decoder's scan_once is: each saves a microsecond of Python frames a decision (bench/README.md).
    // Without a circular-reference check (markers None), a structure that contains itself ends in
    // RecursionError, refused as the check's ValueError would be.
    const py::object make_encoder = json.attr("encoder").attr("c_make_encoder");
    if (!make_encoder.is_none()) {
        encode_chunks_ = make_encoder(py::none(), encoder.attr("default"), json.attr("encoder").attr("encode_basestring"),
                                      py::none(), ":", ",", false, false, false);
    }
    encode_ = encoder.attr("encode");
    scan_ = json.attr("JSONDecoder")().attr("scan_once");
}

py::object JsonCodec::encode(py::handle value) const {
    if (!encode_chunks_) return encode_(value);
    const py::object chunks = encode_chunks_(value, 0);
    const py::str nothing("");  // (a null separator would be a space)
    PyObject* joined = PyUnicode_Join(nothing.ptr(), chunks.ptr());  // of one chunk, that chunk itself
    if (joined == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(joined);
}

EncodedRequest JsonCodec::encode_request(py::handle request) const {
    if (!PyDict_Check(request.ptr())) {
        return problem("the request must be a dict (a JSON object), got " + type_name(request));
    }
    // json writes int, float, bool and None keys as strings; the contract's fields are names.
    PyObject* key = nullptr;
    PyObject* value = nullptr;
    Py_ssize_t position = 0;
    while (PyDict_Next(request.ptr(), &position, &key, &value)) {
        if (!PyUnicode_Check(key)) return problem("the request's keys must be str, one is " + type_name(key));
    }
    try {
        py::object text = encode(request);
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
        if (data == nullptr) throw py::error_already_set();
        const std::string_view json(data, static_cast<std::size_t>(size));
        return {std::move(text), json, {}};
    } catch (const py::error_already_set& failure) {
        if (belongs_to_caller(failure)) throw;
        return problem(describe_failure(request, failure));
    }
}

// The failing field, found again member by member (only once encoding failed, so the common path
// pays nothing), with what json said: its messages name types and limits, never values.
std::string JsonCodec::describe_failure(py::handle request, const py::error_already_set& failure) const {
    const std::string reason = failure.matches(PyExc_UnicodeError)
                                   ? std::string("a string is not Unicode text (a lone surrogate)")
                                   : without_pin(message_of(failure.value(), "json refused it"), request);
    for (const auto& [key, value] : py::reinterpret_borrow<py::dict>(request)) {
        try {
            const py::object member = encode(value);
            if (PyUnicode_AsUTF8AndSize(member.ptr(), nullptr) == nullptr) throw py::error_already_set();
        } catch (const py::error_already_set& member_failure) {
            if (belongs_to_caller(member_failure)) throw;
            return field_phrase(key) + " cannot be written as JSON: " + reason;
        }
    }
    return "the request cannot be written as JSON: " + reason;
}

py::object JsonCodec::decode(std::string_view json) const {
    // json.loads(text) is JSONDecoder.decode: scan_once plus checks for whitespace and what follows,
    // which a document the engine wrote never has.
    return scan_(to_str(json), 0)[py::int_(0)];
}

py::str to_str(std::string_view text) {
    PyObject* decoded = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
    if (decoded == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::str>(decoded);
}

}  // namespace telpolicy::python
