// Fuzz target: evaluation of any request against every bundled plugin and its rules. Besides crashes, it checks
// that a decision is valid JSON whose `allowed` agrees with its violations, and that the PIN's value
// never shows: the same request with another PIN of the same shape gets the same decision, so no
// part of the PIN can be in it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <telpolicy/engine.hpp>

namespace {

using telpolicy::Engine;

const Engine& bundle_engine() {
    static const Engine engine = [] {
        telpolicy::EngineOptions options;
        options.plugin_dirs = {TELPOLICY_FUZZ_PLUGIN_DIR};
        options.rules_dirs = {TELPOLICY_FUZZ_RULES_DIR};
        return Engine(options);
    }();
    return engine;
}

// Digits stay digits and ASCII letters stay letters, so every PIN check answers as before.
std::string same_shape(const std::string& pin) {
    std::string out = pin;
    for (char& c : out) {
        if (c >= '0' && c <= '9') c = static_cast<char>('0' + (c - '0' + 7) % 10);
        else if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 11) % 26);
        else if (c >= 'A' && c <= 'Z') c = static_cast<char>('A' + (c - 'A' + 11) % 26);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // A fuzzer of nothing finds nothing: every bundled plugin must load.
    const telpolicy::LoadReport& report = bundle_engine().load_report();
    if (report.loaded.size() < 33 || !report.refused.empty()) std::abort();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const telpolicy::Decision decision = bundle_engine().evaluate_json(text);
    const std::string out = to_json(decision);
    const auto parsed = nlohmann::json::parse(out, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) std::abort();
    if (parsed.at("allowed").get<bool>() != decision.violations.empty()) std::abort();

    auto request = nlohmann::json::parse(text, nullptr, false);
    if (request.is_discarded() || !request.is_object()) return 0;
    const auto pin = request.find("pin");
    if (pin == request.end() || !pin->is_string() || pin->get_ref<const std::string&>().empty()) return 0;
    const std::string secret = pin->get<std::string>();
    const std::string look_alike = same_shape(secret);
    const std::string original = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    *pin = look_alike;
    const std::string other = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string first = to_json(bundle_engine().evaluate_json(original));
    const std::string second = to_json(bundle_engine().evaluate_json(other));
    // One difference is allowed: a plugin check's message that happens to contain the PIN is replaced
    // (pin_check.cpp), so the decision for the other PIN shows a text holding this one, or the
    // reverse (a finding of this target: regressions/evaluate/pin-inside-a-check-message.json).
    if (first != second && second.find(secret) == std::string::npos && first.find(look_alike) == std::string::npos) {
        std::abort();
    }
    return 0;
}
