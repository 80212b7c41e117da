# Runs with cmake -P (see CMakeLists.txt): the template plugin, loaded from its own folder with its
# own rules, as a copy of it will be.
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/../support/package_steps.cmake")

set(folders --plugins "${TEMPLATE_PLUGIN_DIR}" --rules "${TEMPLATE_RULES_DIR}")

run("telpolicy plugins" "${TELPOLICY}" plugins ${folders})
expect("telpolicy plugins" "${out}" "loaded \\(1\\):\n  template 0\\.1\\.0  countries: XX\n")
expect("telpolicy plugins" "${out}" "refused \\(0\\)")

run("telpolicy validate" "${TELPOLICY}" validate --strict "${TEMPLATE_RULES_DIR}/template.yaml")
expect("telpolicy validate" "${err}" "1 file, 0 errors, 0 warnings")

# The tests file comes first: --rules takes every value that follows it. --require-full-coverage
# fails the run when a rule has no test.
run("telpolicy test" "${TELPOLICY}" test "${TEMPLATE_RULES_DIR}/template.tests.yaml" --require-full-coverage ${folders})
expect("telpolicy test" "${out}" "coverage: [0-9]+ of [0-9]+ rules exercised by a test")
expect("telpolicy test" "${out}" "\n[1-9][0-9]* passed, 0 failed")

# Never in the folder the tree's command loads by default, where it would serve XX.
if(EXISTS "${TREE_PLUGIN_DIR}/telpolicy_template.so" OR TEMPLATE_PLUGIN_DIR STREQUAL TREE_PLUGIN_DIR)
  message(FATAL_ERROR "the template plugin is in the tree's plugin folder ${TREE_PLUGIN_DIR}")
endif()
message(STATUS "the template plugin loads and passes its policy tests:\n${out}")
