// The United States / Puerto Rico plugin: serves US and PR with the rules in rules/us.yaml.
// Everything country-specific that data can say (forms, mailboxes, PIN length and lifecycle) is in
// that file; this library says who it is, and offers one native check the rules call.
#include <telpolicy/plugin/plugin_api.h>

#include "pin_digits.hpp"

namespace {

constexpr const char* served_countries[] = {"US", "PR", nullptr};

// [S2] "It can't contain letters or special characters": the rules call this check by name
// (pin.checks in rules/us.yaml).
constexpr telpolicy_plugin_check checks[] = {
    {"digits_only", telpolicy::us::check_pin_digits},
    {nullptr, nullptr},
};

constexpr telpolicy_plugin_descriptor descriptor{
    TELPOLICY_PLUGIN_API_MAJOR, TELPOLICY_PLUGIN_API_MINOR, "us", "1.0.0", served_countries, "us.yaml", checks,
    nullptr,  // nothing to initialize
};

}  // namespace

extern "C" const telpolicy_plugin_descriptor* telpolicy_us_plugin_entry() noexcept { return &descriptor; }

TELPOLICY_PLUGIN_ENTRY(telpolicy_us_plugin_entry)
