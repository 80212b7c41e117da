// One source for the test plugins, each built with its own defects (see CMakeLists.txt).
#include <telpolicy/plugin/plugin_api.h>

#include <cstdio>
#include <cstring>

#ifndef TEST_PLUGIN_NO_ENTRY_POINT
namespace {

constexpr const char* served_countries[] = {TEST_PLUGIN_COUNTRIES, nullptr};

#ifdef TEST_PLUGIN_CHECKS
// Checks for the native-check tests: a failure, an error, and a message that quotes the PIN.
int always_fail(const char*, size_t, char* message, size_t size) noexcept {
    std::snprintf(message, size, "its check digit is wrong");
    return TELPOLICY_CHECK_FAIL;
}
int always_error(const char*, size_t, char* message, size_t size) noexcept {
    std::snprintf(message, size, "the check service is down");
    return TELPOLICY_CHECK_ERROR;
}
int quotes_the_pin(const char* pin, size_t length, char* message, size_t size) noexcept {
    std::snprintf(message, size, "bad pin %.*s", static_cast<int>(length), pin);
    return TELPOLICY_CHECK_FAIL;
}
constexpr telpolicy_plugin_check checks[] = {
    {"always_fail", always_fail}, {"always_error", always_error}, {"quotes_the_pin", quotes_the_pin}, {nullptr, nullptr}};
#else
constexpr const telpolicy_plugin_check* checks = nullptr;
#endif

#ifdef TEST_PLUGIN_INIT_FAILS
int initialize(char* error, size_t size) noexcept {
    std::snprintf(error, size, "its licence file is missing");
    return 7;
}
#else
constexpr telpolicy_plugin_init_fn initialize = nullptr;
#endif

#ifdef TEST_PLUGIN_LEGACY_1_0
// A plugin built against API 1.0: its descriptor ends before the fields of 1.1.
struct descriptor_1_0 {
    uint32_t api_major;
    uint32_t api_minor;
    const char* name;
    const char* version;
    const char* const* countries;
    const char* rules_file;
};
constexpr descriptor_1_0 descriptor{1, 0, TEST_PLUGIN_NAME, "0.1.0", served_countries, TEST_PLUGIN_RULES};
#else
constexpr telpolicy_plugin_descriptor descriptor{
    TEST_PLUGIN_API_MAJOR, TEST_PLUGIN_API_MINOR, TEST_PLUGIN_NAME, "0.1.0", served_countries, TEST_PLUGIN_RULES,
    checks, initialize,
};
#endif

}  // namespace

extern "C" const telpolicy_plugin_descriptor* test_plugin_entry() noexcept {
#if defined(TEST_PLUGIN_NULL_DESCRIPTOR)
    return nullptr;
#elif defined(TEST_PLUGIN_LEGACY_1_0)
    // The host reads only the 1.0 fields of a 1.0 descriptor, so this view of it is safe.
    return reinterpret_cast<const telpolicy_plugin_descriptor*>(&descriptor);
#else
    return &descriptor;
#endif
}

TELPOLICY_PLUGIN_ENTRY(test_plugin_entry)
#else
extern "C" __attribute__((visibility("default"))) int not_a_telpolicy_entry_point() { return 0; }
#endif
