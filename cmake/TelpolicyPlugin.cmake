# telpolicy_add_plugin(NAME SOURCES file... [RULES file...])
#
# Builds a country plugin as a loadable module named telpolicy_<NAME>.so with hidden visibility (one
# plugin's symbols never shadow another's), puts it in the build tree's plugin folder, and installs
# it with its rules files.
function(telpolicy_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;RULES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "telpolicy_add_plugin(${name}): SOURCES is required")
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
    LIBRARY_OUTPUT_DIRECTORY "${TELPOLICY_PLUGIN_OUTPUT_DIR}")
  install(TARGETS ${target} LIBRARY DESTINATION "${TELPOLICY_PLUGIN_INSTALL_DIR}")
  if(ARG_RULES)
    install(FILES ${ARG_RULES} DESTINATION "${TELPOLICY_RULES_INSTALL_DIR}")
  endif()
endfunction()
