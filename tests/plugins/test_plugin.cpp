// One source for the test plugins, each built with its own defects (see CMakeLists.txt).
#include <telpolicy/plugin/plugin_api.h>

#ifndef TEST_PLUGIN_NO_ENTRY_POINT
namespace {

constexpr const char* served_countries[] = {TEST_PLUGIN_COUNTRIES, nullptr};

constexpr telpolicy_plugin_descriptor descriptor{
    TEST_PLUGIN_API_MAJOR, TEST_PLUGIN_API_MINOR, TEST_PLUGIN_NAME, "0.1.0", served_countries, TEST_PLUGIN_RULES,
};

}  // namespace

extern "C" const telpolicy_plugin_descriptor* test_plugin_entry() noexcept {
#ifdef TEST_PLUGIN_NULL_DESCRIPTOR
    return nullptr;
#else
    return &descriptor;
#endif
}

TELPOLICY_PLUGIN_ENTRY(test_plugin_entry)
#else
extern "C" __attribute__((visibility("default"))) int not_a_telpolicy_entry_point() { return 0; }
#endif
