// The contract's JSON between Python objects and the engine, written and read by Python's own json
// module (its C accelerator), so that the contract's shape has one owner: the engine's JSON.
#pragma once

#include <string>
#include <string_view>

#include <pybind11/pybind11.h>

namespace telpolicy::python {

// A request as JSON text, or why it cannot be one.
struct EncodedRequest {
    pybind11::object text;  // the str json wrote; `json` points into it, so it must outlive every use
    std::string_view json;  // its UTF-8 bytes, readable without the GIL (a str never changes)
    std::string problem;    // when not empty, why there is no JSON: for people, never quoting the PIN
};

// Every member needs the GIL.
class JsonCodec {
public:
    JsonCodec();

    // A dict with str keys and JSON values gives its compact JSON; anything else gives a problem.
    // Only MemoryError and exceptions that are not errors (KeyboardInterrupt, SystemExit) propagate.
    [[nodiscard]] EncodedRequest encode_request(pybind11::handle request) const;
    // A document the engine wrote (valid UTF-8 JSON) as Python objects.
    [[nodiscard]] pybind11::object decode(std::string_view json) const;

private:
    [[nodiscard]] std::string describe_failure(pybind11::handle request, const pybind11::error_already_set& failure) const;

    [[nodiscard]] pybind11::object encode(pybind11::handle value) const;

    pybind11::object encode_;         // json.JSONEncoder(allow_nan=False, separators=(",", ":"), ...).encode
    pybind11::object encode_chunks_;  // the same encoder's C accelerator, when the json module has it
    pybind11::object scan_;           // json.JSONDecoder().scan_once: json.loads's own reader
};

// Text the engine wrote for people (paths, messages) as a str; bytes that are not UTF-8 are replaced.
[[nodiscard]] pybind11::str to_str(std::string_view text);

}  // namespace telpolicy::python
