// The United Kingdom plugin, built outside telpolicy's tree against its installed package: serves GB
// with the rules in rules/gb.yaml. Everything about the country is data in that file; this library
// only tells the core who it is.
#include <telpolicy/plugin/plugin_api.h>

namespace {

constexpr const char* served_countries[] = {"GB", nullptr};

constexpr telpolicy_plugin_descriptor descriptor{
    .api_major = TELPOLICY_PLUGIN_API_MAJOR,
    .api_minor = TELPOLICY_PLUGIN_API_MINOR,
    .name = "gb",
    .version = "1.0.0",
    .countries = served_countries,
    .rules_file = "gb.yaml",
    .checks = nullptr,      // no native checks: the U.K. has no transfer PIN to check
    .initialize = nullptr,  // nothing to prepare
};

}  // namespace

extern "C" const telpolicy_plugin_descriptor* telpolicy_gb_plugin_entry() noexcept { return &descriptor; }

TELPOLICY_PLUGIN_ENTRY(telpolicy_gb_plugin_entry)
