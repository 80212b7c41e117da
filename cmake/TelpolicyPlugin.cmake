# telpolicy_add_plugin(NAME RULES file... COUNTRIES code... [VERSION x.y.z] [NO_INSTALL] [COMPONENT name])
# telpolicy_add_plugin(NAME SOURCES file... [RULES file...] [NO_INSTALL] [COMPONENT name])
#
# Builds a country plugin as a loadable module named telpolicy_<NAME>.so with hidden visibility (one
# plugin's symbols never shadow another's), puts it in the build tree's plugin folder, and installs
# it with its rules files. A country that is only data needs no C++: without SOURCES, the plugin's
# entry point is generated from NAME, COUNTRIES, VERSION (default 1.0.0) and the first RULES file
# (cmake/DataPluginEntry.cpp.in). Each rules file's policy tests (<stem>.tests.yaml beside it) go
# along with it, so that `telpolicy test` finds them. NO_INSTALL leaves all of it out of
# `cmake --install` (plugins/template/, which must never serve its placeholder country from an
# installed copy). COMPONENT is the install component of the plugin and its rules (default
# runtime, telpolicy's Debian package of the command; a project that does not use components
# installs them all the same). The target is telpolicy_plugin_<NAME>; set its
# LIBRARY_OUTPUT_DIRECTORY afterwards to build it elsewhere.
#
# Used in this source tree and, after find_package(telpolicy), by a plugin project of its own. The
# folders come from these variables when they are set, else from the installed layout:
#   TELPOLICY_PLUGIN_INSTALL_DIR  ${CMAKE_INSTALL_LIBDIR}/telpolicy/plugins, relative to the install prefix
#   TELPOLICY_RULES_INSTALL_DIR   ${CMAKE_INSTALL_DATADIR}/telpolicy/rules
#   TELPOLICY_PLUGIN_OUTPUT_DIR   ${CMAKE_BINARY_DIR}/<plugin install dir>, where the build puts the plugin
#   TELPOLICY_RULES_BUILD_DIR     set by telpolicy's own tree; outside it the RULES files are linked
#                                 into ${CMAKE_BINARY_DIR}/<rules install dir>, so that the build tree
#                                 has the installed layout and an edit needs no rebuild
set(TELPOLICY_PLUGIN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(telpolicy_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_INSTALL" "VERSION;COMPONENT" "SOURCES;RULES;COUNTRIES")
  if(NOT name MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "telpolicy_add_plugin(${name}): a plugin's name is lower-case letters, digits and '_', "
                        "starting with a letter (it prefixes the plugin's own words and codes)")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "telpolicy_add_plugin(${name}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    # Only data: the entry point is generated.
    # Compared as text: a country code such as NO (Norway) is false to if(NOT ...).
    if("${ARG_RULES}" STREQUAL "" OR "${ARG_COUNTRIES}" STREQUAL "")
      message(FATAL_ERROR "telpolicy_add_plugin(${name}): a plugin without SOURCES needs RULES and COUNTRIES, "
                          "e.g. telpolicy_add_plugin(${name} RULES rules/${name}.yaml COUNTRIES XX)")
    endif()
    set(TELPOLICY_DATA_PLUGIN_NAME "${name}")
    set(TELPOLICY_DATA_PLUGIN_VERSION "1.0.0")
    if(ARG_VERSION)
      set(TELPOLICY_DATA_PLUGIN_VERSION "${ARG_VERSION}")
    endif()
    list(GET ARG_RULES 0 first_rules)
    get_filename_component(TELPOLICY_DATA_PLUGIN_RULES "${first_rules}" NAME)
    set(TELPOLICY_DATA_PLUGIN_COUNTRIES "")
    foreach(country IN LISTS ARG_COUNTRIES)
      if(NOT country MATCHES "^[A-Z][A-Z]$")
        message(FATAL_ERROR "telpolicy_add_plugin(${name}): COUNTRIES holds ISO 3166-1 alpha-2 codes in upper case "
                            "(US, PR); got '${country}'")
      endif()
      string(APPEND TELPOLICY_DATA_PLUGIN_COUNTRIES "\"${country}\", ")
    endforeach()
    set(ARG_SOURCES "${CMAKE_CURRENT_BINARY_DIR}/telpolicy_${name}_entry.cpp")
    configure_file("${TELPOLICY_PLUGIN_CMAKE_DIR}/DataPluginEntry.cpp.in" "${ARG_SOURCES}" @ONLY)
  elseif(NOT "${ARG_COUNTRIES}" STREQUAL "" OR ARG_VERSION)
    message(FATAL_ERROR "telpolicy_add_plugin(${name}): COUNTRIES and VERSION are for plugins that are only data; "
                        "with SOURCES, the plugin's descriptor says them")
  endif()
  # Each rules file's policy tests travel with it.
  set(rules_files "")
  foreach(rules_file IN LISTS ARG_RULES)
    get_filename_component(rules_path "${rules_file}" ABSOLUTE)
    list(APPEND rules_files "${rules_path}")
    string(REGEX REPLACE "\\.ya?ml$" ".tests.yaml" tests_path "${rules_path}")
    if(NOT tests_path STREQUAL rules_path AND EXISTS "${tests_path}" AND NOT tests_path IN_LIST ARG_RULES)
      list(APPEND rules_files "${tests_path}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES rules_files)
  set(ARG_RULES ${rules_files})
  include(GNUInstallDirs)
  set(plugin_install_dir "${CMAKE_INSTALL_LIBDIR}/telpolicy/plugins")
  if(DEFINED TELPOLICY_PLUGIN_INSTALL_DIR)
    set(plugin_install_dir "${TELPOLICY_PLUGIN_INSTALL_DIR}")
  endif()
  set(rules_install_dir "${CMAKE_INSTALL_DATADIR}/telpolicy/rules")
  if(DEFINED TELPOLICY_RULES_INSTALL_DIR)
    set(rules_install_dir "${TELPOLICY_RULES_INSTALL_DIR}")
  endif()
  set(output_dir "${CMAKE_BINARY_DIR}/${plugin_install_dir}")
  if(DEFINED TELPOLICY_PLUGIN_OUTPUT_DIR)
    set(output_dir "${TELPOLICY_PLUGIN_OUTPUT_DIR}")
  endif()

  if(NOT ARG_COMPONENT)
    set(ARG_COMPONENT runtime)
  endif()
  set(target "telpolicy_plugin_${name}")
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE telpolicy::plugin_sdk)
  if(TARGET telpolicy_warnings)
    target_link_libraries(${target} PRIVATE telpolicy_warnings)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "telpolicy_${name}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${output_dir}")
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${plugin_install_dir}" COMPONENT "${ARG_COMPONENT}")
  endif()
  if(ARG_RULES)
    if(NOT ARG_NO_INSTALL)
      install(FILES ${ARG_RULES} DESTINATION "${rules_install_dir}" COMPONENT "${ARG_COMPONENT}")
    endif()
    if(NOT DEFINED TELPOLICY_RULES_BUILD_DIR)
      file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/${rules_install_dir}")
      foreach(rules_file IN LISTS ARG_RULES)
        get_filename_component(rules_path "${rules_file}" ABSOLUTE)
        get_filename_component(rules_name "${rules_file}" NAME)
        file(CREATE_LINK "${rules_path}" "${CMAKE_BINARY_DIR}/${rules_install_dir}/${rules_name}" SYMBOLIC)
      endforeach()
    endif()
  endif()
endfunction()
