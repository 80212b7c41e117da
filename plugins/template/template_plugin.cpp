// The template plugin: a country plugin to copy (plugins/README.md, "Add a country"). It serves the
// placeholder country XX, which no real country uses, with the rules in rules/template.yaml.
//
// A plugin says only who it is; everything about the country (forms, mailboxes, the transfer PIN,
// which actions are offered) is data in its rules file. When you copy this file:
//   1. rename it <name>_plugin.cpp, and the entry function below telpolicy_<name>_plugin_entry;
//   2. set name, version, countries and rules_file in the descriptor (each marked CHANGE);
//   3. leave api_major and api_minor to the macros: they record the SDK the plugin was built with.
#include <telpolicy/plugin/plugin_api.h>

namespace {

// CHANGE: the ISO 3166-1 alpha-2 codes the plugin serves, upper case, ending with nullptr ({"US",
// "PR", nullptr} for the United States and Puerto Rico). Each code is served by one plugin only:
// the core refuses a plugin that claims a country another one already serves. They must be the
// `countries` of the rules file.
constexpr const char* served_countries[] = {"XX", nullptr};

constexpr telpolicy_plugin_descriptor descriptor{
    .api_major = TELPOLICY_PLUGIN_API_MAJOR,
    .api_minor = TELPOLICY_PLUGIN_API_MINOR,
    .name = "template",          // CHANGE: short, lower case; the rules file's `plugin`, its rule ids' prefix
    .version = "0.1.0",          // CHANGE: the plugin's own version (semantic versioning)
    .countries = served_countries,
    .rules_file = "template.yaml",  // CHANGE: <name>.yaml, looked up in the rules folders
    .checks = nullptr,           // native checks the rules may call by name (plugin_api.h); most need none
    .initialize = nullptr,       // called once before the plugin serves; null when there is nothing to prepare
};

}  // namespace

// CHANGE: the function's name, so that it says which plugin it is in a debugger or a backtrace. It
// must not throw; it returns null when the plugin cannot run.
extern "C" const telpolicy_plugin_descriptor* telpolicy_template_plugin_entry() noexcept { return &descriptor; }

// Exports the function above under the one name the core looks for (telpolicy_plugin_entry).
TELPOLICY_PLUGIN_ENTRY(telpolicy_template_plugin_entry)
