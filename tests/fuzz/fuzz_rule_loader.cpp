// Fuzz target: the rule loader on any text, then, when the text is a valid rules file, evaluation
// of a few requests against it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <telpolicy/decision.hpp>

#include "evaluation/evaluator.hpp"
#include "policy/rule_loader.hpp"

namespace {

using namespace telpolicy;

// Requests for one country down every action the file knows, and one it does not, with and
// without numbers and PINs.
void evaluate_some(const RuleSet& rules) {
    std::vector<std::string> actions = rules.words.action_words();
    actions.emplace_back("not_a_word");
    for (const std::string& country : rules.countries) {
        for (const std::string& action : actions) {
            for (int variant = 0; variant < 3; ++variant) {
                Request request;
                request.country = country;
                request.action = action;
                if (variant == 1) {
                    request.numbers = std::vector<std::string>{"+12025550143", "+12025550143", "+14165550123", "12"};
                    request.number_type = "toll_free";
                    request.pin.emplace("1234567");
                    request.locale = "fr-CA";
                } else if (variant == 2) {
                    request.count = 5000;
                    request.pin_is_set = true;
                    request.pin.emplace("");
                    request.number_type = "user";
                }
                Decision decision;
                decision.country = country;
                evaluate_rules(rules, request, decision);
                if (to_json(decision).empty()) std::abort();
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Limits limits;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const RuleLoadResult result = load_rules_text(text, "fuzz.yaml", limits);
    // Rules exactly when no error; every diagnostic printable.
    if (result.value.has_value() == has_errors(result.diagnostics)) std::abort();
    for (const Diagnostic& diagnostic : result.diagnostics) {
        if (diagnostic.to_string().empty()) std::abort();
    }
    if (result.value) evaluate_some(*result.value);
    return 0;
}
