# telpolicy_add_plugin(NAME SOURCES file... [RULES file...] [NO_INSTALL])
#
# Builds a country plugin as a loadable module named telpolicy_<NAME>.so with hidden visibility (one
# plugin's symbols never shadow another's), puts it in the build tree's plugin folder, and installs
# it with its rules files. NO_INSTALL leaves both out of `cmake --install` (plugins/template/, which
# must never serve its placeholder country from an installed copy). The target is
# telpolicy_plugin_<NAME>; set its LIBRARY_OUTPUT_DIRECTORY afterwards to build it elsewhere.
#
# Used in this source tree and, after find_package(telpolicy), by a plugin project of its own. The
# folders come from these variables when they are set, else from the installed layout:
#   TELPOLICY_PLUGIN_INSTALL_DIR  ${CMAKE_INSTALL_LIBDIR}/telpolicy/plugins, relative to the install prefix
#   TELPOLICY_RULES_INSTALL_DIR   ${CMAKE_INSTALL_DATADIR}/telpolicy/rules
#   TELPOLICY_PLUGIN_OUTPUT_DIR   ${CMAKE_BINARY_DIR}/<plugin install dir>, where the build puts the plugin
#   TELPOLICY_RULES_BUILD_DIR     set by telpolicy's own tree; outside it the RULES files are linked
#                                 into ${CMAKE_BINARY_DIR}/<rules install dir>, so that the build tree
#                                 has the installed layout and an edit needs no rebuild
function(telpolicy_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_INSTALL" "" "SOURCES;RULES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "telpolicy_add_plugin(${name}): SOURCES is required")
  endif()
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
    install(TARGETS ${target} LIBRARY DESTINATION "${plugin_install_dir}")
  endif()
  if(ARG_RULES)
    if(NOT ARG_NO_INSTALL)
      install(FILES ${ARG_RULES} DESTINATION "${rules_install_dir}")
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
