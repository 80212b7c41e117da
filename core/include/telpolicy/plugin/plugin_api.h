// The plugin SDK: the one header a country plugin includes, and the ABI it exports to the core.
//
// A plugin is a shared library that exports one entry point, `telpolicy_plugin_entry`, through
// TELPOLICY_PLUGIN_ENTRY. The entry point returns a descriptor made only of plain C types, so that
// no C++ ABI (std::string, exceptions, vtables) crosses the boundary.
//
// Versioning follows sudo_plugin(5): the host refuses a plugin whose api_major differs from its own,
// and a plugin whose api_minor is newer than the host's (it may rely on fields the host does not
// know). Fields are only ever appended; a new field bumps the minor.
#ifndef TELPOLICY_PLUGIN_PLUGIN_API_H
#define TELPOLICY_PLUGIN_PLUGIN_API_H

#include <stdint.h>

#define TELPOLICY_PLUGIN_API_MAJOR 1u
#define TELPOLICY_PLUGIN_API_MINOR 0u

// The name under which the entry point is exported (see TELPOLICY_PLUGIN_ENTRY).
#define TELPOLICY_PLUGIN_ENTRY_NAME "telpolicy_plugin_entry"

#ifdef __cplusplus
extern "C" {
#endif

// What a plugin tells the core about itself. All strings are UTF-8, owned by the plugin, and must
// stay valid for as long as the library is loaded (string literals are the natural choice).
struct telpolicy_plugin_descriptor {
    // API 1.0
    uint32_t api_major;           // TELPOLICY_PLUGIN_API_MAJOR at the plugin's build
    uint32_t api_minor;           // TELPOLICY_PLUGIN_API_MINOR at the plugin's build
    const char* name;             // short lower-case name, also the prefix of the plugin's own codes
    const char* version;          // the plugin's own version, semantic versioning
    const char* const* countries; // ISO 3166-1 alpha-2 codes served, terminated by a null pointer
    const char* rules_file;       // file name looked up in the rules directories, e.g. "us.yaml"
};

// The type of the entry point. It must not throw, and returns null when the plugin cannot run.
typedef const struct telpolicy_plugin_descriptor* (*telpolicy_plugin_entry_fn)(void);

#ifdef __cplusplus
}  // extern "C"
#endif

#ifdef __cplusplus
#include <boost/dll/alias.hpp>
// Exports `function` as the plugin's entry point. Use once, at namespace scope, in one source file.
#define TELPOLICY_PLUGIN_ENTRY(function) BOOST_DLL_ALIAS(function, telpolicy_plugin_entry)
#endif

#endif  // TELPOLICY_PLUGIN_PLUGIN_API_H
