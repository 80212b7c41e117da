# Runs with cmake -P (see CMakeLists.txt): a country plugin built outside the tree against the
# installed package (examples/plugin-gb/), loaded by the installed command from its own folder.
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/../support/package_steps.cmake")

begin_run()
set(gb_build "${WORK_DIR}/build")

# 1. cmake --install of the build tree, as tests/host/ does. The template plugin is built in the
#    tree but must not be installed: an installed command would serve its placeholder country XX.
install_build_tree()
file(GLOB_RECURSE installed_us "${prefix}/telpolicy_us.so")
file(GLOB_RECURSE installed_us_rules "${prefix}/us.yaml")
if(NOT installed_us OR NOT installed_us_rules)
  message(FATAL_ERROR "install: the US plugin or its rules are missing from ${prefix}")
endif()
get_filename_component(prefix_plugins "${installed_us}" DIRECTORY)
get_filename_component(prefix_rules "${installed_us_rules}" DIRECTORY)
# The schema that rules files name in their modeline (`$schema=schema/rules.schema.json`) is
# installed beside the installed rules.
if(NOT EXISTS "${prefix_rules}/schema/rules.schema.json")
  message(FATAL_ERROR "install: ${prefix_rules}/schema/rules.schema.json is missing")
endif()
file(GLOB_RECURSE installed_template "${prefix}/telpolicy_template.so" "${prefix}/template.yaml"
  "${prefix}/template.tests.yaml")
if(installed_template)
  message(FATAL_ERROR "install: the template plugin must not be installed, found ${installed_template}")
endif()

# 2. Configure and build examples/plugin-gb against the prefix, warnings as errors.
build_against_prefix(examples/plugin-gb "${PLUGIN_SOURCE_DIR}" "${gb_build}" -DCMAKE_COMPILE_WARNING_AS_ERROR=ON)
# The plugin project's build tree has the installed layout: the library in .../telpolicy/plugins/,
# its rules linked into .../telpolicy/rules/.
file(GLOB_RECURSE gb_library "${gb_build}/telpolicy_gb.so")
file(GLOB_RECURSE gb_rules "${gb_build}/gb.yaml")
if(NOT gb_library OR NOT gb_rules)
  message(FATAL_ERROR "build examples/plugin-gb: telpolicy_gb.so or rules/gb.yaml is missing from ${gb_build}")
endif()
get_filename_component(gb_plugins "${gb_library}" DIRECTORY)
get_filename_component(gb_rules "${gb_rules}" DIRECTORY)
# telpolicy_add_plugin took the policy tests beside rules/gb.yaml along with it.
if(NOT EXISTS "${gb_rules}/gb.tests.yaml")
  message(FATAL_ERROR "build examples/plugin-gb: rules/gb.tests.yaml was not linked beside gb.yaml in ${gb_rules}")
endif()

# 3. The installed command with the example's folders alone: the installed bundle serves the United
#    Kingdom too (rules/gb.yaml, from the current page), and one country has one plugin, so the
#    example, which encodes the older page, is loaded on its own.
set(telpolicy "${prefix}/bin/telpolicy")
set(folders --plugins "${gb_plugins}" --rules "${gb_rules}")
set(installed_folders --plugins "${prefix_plugins}" --rules "${prefix_rules}")
run("installed telpolicy plugins" "${telpolicy}" plugins ${folders})
expect("installed telpolicy plugins" "${out}" "  gb 1\\.0\\.0  countries: GB\n")
expect("installed telpolicy plugins" "${out}" "loaded \\(1\\)")
expect("installed telpolicy plugins" "${out}" "refused \\(0\\)")
# Beside the installed plugins, the first folder keeps gb (and GB), and the installed gb is refused,
# saying why.
run("installed telpolicy plugins, both" "${telpolicy}" plugins ${folders} ${installed_folders})
expect("installed telpolicy plugins, both" "${out}" "refused \\(1\\):\n  [^\n]*/telpolicy_gb\\.so\n    a plugin named 'gb' is already loaded from ${gb_plugins}/telpolicy_gb\\.so")
expect("installed telpolicy plugins, both" "${out}" "  us 1\\.0\\.0  countries: US PR\n")

# 4. Decisions, with the command's default output shape (one request, one decision).
function(eval_request result request)
  file(WRITE "${WORK_DIR}/request.json" "${request}")
  run("installed telpolicy eval ${request}" "${telpolicy}" eval --request "${WORK_DIR}/request.json" ${folders})
  set(${result} "${out}" PARENT_SCOPE)
endfunction()
eval_request(gb_new_numbers [[{"country":"GB","action":"new_numbers","number_type":"user"}]])
eval_request(gb_set_pin [[{"country":"GB","action":"set_pin","pin":"48291637"}]])
eval_request(gb_transfer [[{"country":"GB","action":"transfer_tenant","numbers":["+44 20 7946 0123"]}]])
file(WRITE "${WORK_DIR}/request.json" [[{"country":"US","action":"port_in"}]])
run("installed telpolicy eval US port_in" "${telpolicy}" eval --request "${WORK_DIR}/request.json" ${installed_folders})
set(us_port_in "${out}")

set(step "GB new_numbers user")
expect_json("${step}" "${gb_new_numbers}" ON allowed)
expect_json("${step}" "${gb_new_numbers}" gb plugin name)
expect_json("${step}" "${gb_new_numbers}" ptneu@microsoft.com mailbox)
expect_json("${step}" "${gb_new_numbers}" gb-new-numbers-geographic forms 0 id)
expect_json("${step}" "${gb_new_numbers}" "New phone number request for the U.K. (geographic numbers)" forms 0 title)
expect_json("${step}" "${gb_new_numbers}" 3.0 forms 0 version)
expect_json("${step}" "${gb_new_numbers}" en-US forms 0 locale)
expect_json("${step}" "${gb_new_numbers}" "https://github.com/MicrosoftDocs/OfficeDocs-SkypeForBusiness/blob/live/Skype/SfbOnline/downloads/new-number-request-forms/new-phone-number-request-for-the-u.k.-(geographic-numbers)-(v.3.0)-(en-us).pdf?raw=true" forms 0 url)
string(JSON form_count LENGTH "${gb_new_numbers}" forms)
expect("${step}: one form" "${form_count}" "^1$")

set(step "GB set_pin")
expect_json("${step}" "${gb_set_pin}" OFF allowed)
expect_json("${step}" "${gb_set_pin}" pin.not_applicable violations 0 code)
if(gb_set_pin MATCHES "48291637")
  message(FATAL_ERROR "${step}: the decision shows the PIN:\n${gb_set_pin}")
endif()

set(step "GB transfer_tenant")
expect_json("${step}" "${gb_transfer}" OFF allowed)
expect_json("${step}" "${gb_transfer}" action.unsupported violations 0 code)

set(step "US port_in")
expect_json("${step}" "${us_port_in}" ON allowed)
expect_json("${step}" "${us_port_in}" us plugin name)
expect_json("${step}" "${us_port_in}" ptn@microsoft.com mailbox)

# 5. The GB policy tests with the GB plugin alone, every rule covered (--require-full-coverage fails
#    the run otherwise); then beside the installed plugins, with the installed tests (every
#    *.tests.yaml of the installed rules folder), to show that they coexist. The tests come first:
#    --rules takes every value that follows it.
set(gb_tests "${PLUGIN_SOURCE_DIR}/rules/gb.tests.yaml")
run("installed telpolicy test gb" "${telpolicy}" test "${gb_tests}" --require-full-coverage
  --plugins "${gb_plugins}" --rules "${gb_rules}")
expect("installed telpolicy test gb" "${out}" "coverage: [0-9]+ of [0-9]+ rules exercised by a test")
expect("installed telpolicy test gb" "${out}" "\n[1-9][0-9]* passed, 0 failed")
run("installed telpolicy validate gb" "${telpolicy}" validate --strict "${gb_rules}/gb.yaml")
expect("installed telpolicy validate gb" "${err}" "1 file, 0 errors, 0 warnings")
# With no path, `telpolicy test` runs the tests of the rules folders: the GB plugin's.
run("installed telpolicy test, no path" "${telpolicy}" test ${folders})
expect("installed telpolicy test, no path" "${out}" "gb\\.tests\\.yaml")
expect("installed telpolicy test, no path" "${out}" "\n[1-9][0-9]* passed, 0 failed")

message(STATUS "the installed command loads examples/plugin-gb on its own:\n${out}")
file(REMOVE_RECURSE "${WORK_DIR}")
