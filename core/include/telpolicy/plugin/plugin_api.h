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

#include <stddef.h>
#include <stdint.h>

#define TELPOLICY_PLUGIN_API_MAJOR 1u
#define TELPOLICY_PLUGIN_API_MINOR 1u

// The name under which the entry point is exported (see TELPOLICY_PLUGIN_ENTRY).
#define TELPOLICY_PLUGIN_ENTRY_NAME "telpolicy_plugin_entry"

#ifdef __cplusplus
extern "C" {
#endif

// What a native check answers (see telpolicy_plugin_check).
enum telpolicy_check_result {
    TELPOLICY_CHECK_PASS = 0,   // the value is fine
    TELPOLICY_CHECK_FAIL = 1,   // the value breaks the rule: `message` says why, for people
    TELPOLICY_CHECK_ERROR = 2,  // the check could not run: `message` says why
};

// A check a plugin offers its rules where data alone cannot say (a PIN with a check digit, say).
// Called with the value (UTF-8, `length` bytes, not NUL-terminated) and a buffer of `message_size`
// bytes for a NUL-terminated message. It must not throw, must not keep `value` after it returns,
// and its message must never quote the value: a PIN is a secret. Returns a telpolicy_check_result.
typedef int (*telpolicy_check_fn)(const char* value, size_t length, char* message, size_t message_size);

// One named check (API 1.1). Rules name it in `pin: {checks: [name]}`; it is then run on the PIN of
// every request whose action needs one, after the format and length of the rules file.
struct telpolicy_plugin_check {
    const char* name;  // lower-case identifier, unique in the plugin
    telpolicy_check_fn check;
};

// Called once, after the descriptor is accepted and before the plugin serves anything (API 1.1).
// Returns 0 when the plugin is ready; otherwise writes why into `error` (NUL-terminated, at most
// `error_size` bytes) and returns non-zero, and the plugin is refused. Must not throw.
typedef int (*telpolicy_plugin_init_fn)(char* error, size_t error_size);

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
    // API 1.1: read by the host only when api_minor >= 1, so 1.0 plugins (without them) still load.
    const struct telpolicy_plugin_check* checks;  // ends with an entry whose name is null; may be null
    telpolicy_plugin_init_fn initialize;          // may be null: nothing to prepare
};

// The type of the entry point. It must not throw, and returns null when the plugin cannot run.
typedef const struct telpolicy_plugin_descriptor* (*telpolicy_plugin_entry_fn)(void);

#ifdef __cplusplus
}  // extern "C"
#endif

#ifdef __cplusplus
// Exports `function` as the plugin's entry point. Use once, at namespace scope, in one source file.
#if defined(__ELF__) && (defined(__GNUC__) || defined(__clang__))
// What BOOST_DLL_ALIAS(function, telpolicy_plugin_entry) expands to on ELF platforms (Boost 1.74's
// boost/dll/alias.hpp): an exported, weak `const void*` named like the alias, holding the function's
// address, in Boost.DLL's "boostdll" section; the host reads it with shared_library::get_alias.
// Written out so that a plugin's one source file does not include Boost.DLL's headers (about
// 100,000 lines, two seconds a plugin to compile: telpolicy builds 33 bundled plugins, and its
// tests and benchmarks some fifty more). tests/unit-plugin-loading.cpp loads plugins built with it.
#include <stdint.h>
#define TELPOLICY_PLUGIN_ENTRY(function)                                                                   \
    extern "C" {                                                                                           \
    __attribute__((section("boostdll"), weak, visibility("default"))) const void* telpolicy_plugin_entry = \
        reinterpret_cast<const void*>(reinterpret_cast<intptr_t>(&function));                             \
    }
#else
#include <boost/dll/alias.hpp>
#define TELPOLICY_PLUGIN_ENTRY(function) BOOST_DLL_ALIAS(function, telpolicy_plugin_entry)
#endif
#endif

#endif  // TELPOLICY_PLUGIN_PLUGIN_API_H
