// The United States / Puerto Rico plugin: serves US and PR with the rules in rules/us.yaml.
// Everything country-specific (forms, mailboxes, PIN rules) is data in that file; this library only
// tells the core who it is.
#include <telpolicy/plugin/plugin_api.h>

namespace {

constexpr const char* served_countries[] = {"US", "PR", nullptr};

constexpr telpolicy_plugin_descriptor descriptor{
    TELPOLICY_PLUGIN_API_MAJOR, TELPOLICY_PLUGIN_API_MINOR, "us", "1.0.0", served_countries, "us.yaml",
};

}  // namespace

extern "C" const telpolicy_plugin_descriptor* telpolicy_us_plugin_entry() noexcept { return &descriptor; }

TELPOLICY_PLUGIN_ENTRY(telpolicy_us_plugin_entry)
