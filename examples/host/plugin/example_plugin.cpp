// A host's own country plugin, for the fictitious country XH: it only says who it is; its rules are
// in rules/example.yaml.
#include <telpolicy/plugin/plugin_api.h>

namespace {

constexpr const char* served_countries[] = {"XH", nullptr};

constexpr telpolicy_plugin_descriptor descriptor{
    TELPOLICY_PLUGIN_API_MAJOR, TELPOLICY_PLUGIN_API_MINOR, "example", "0.1.0", served_countries, "example.yaml",
};

}  // namespace

extern "C" const telpolicy_plugin_descriptor* example_plugin_entry() noexcept { return &descriptor; }

TELPOLICY_PLUGIN_ENTRY(example_plugin_entry)
