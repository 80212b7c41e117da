# Runs with cmake -P (see CMakeLists.txt): cmake --install of the build tree into a private prefix,
# then the installed module, imported from <prefix>/PYTHON_INSTALL_DIR, must find the installed
# plugins and rules by itself (installed_module_check.py checks what it loaded and decides).
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/../support/package_steps.cmake")
begin_run()

install_build_tree()
file(GLOB installed_module "${prefix}/${PYTHON_INSTALL_DIR}/telpolicy.*.so")
if(NOT installed_module)
  message(FATAL_ERROR "install: no telpolicy module in ${prefix}/${PYTHON_INSTALL_DIR}")
endif()
if(NOT EXISTS "${prefix}/${PYTHON_INSTALL_DIR}/telpolicy.pyi")
  message(FATAL_ERROR "install: telpolicy.pyi is missing from ${prefix}/${PYTHON_INSTALL_DIR}")
endif()

# From the work folder, with nothing but the prefix on PYTHONPATH (package_steps.cmake has already
# unset TELPOLICY_PLUGIN_PATH and TELPOLICY_RULES_PATH).
set(ENV{PYTHONPATH} "${prefix}/${PYTHON_INSTALL_DIR}")
set(ENV{PYTHONDONTWRITEBYTECODE} 1)
run("installed module" "${PYTHON}" "${CHECK_SCRIPT}" "${prefix}")
message(STATUS "the installed module finds the installed plugins and rules:\n${out}")
file(REMOVE_RECURSE "${WORK_DIR}")
