# Runs with cmake -P (see CMakeLists.txt): the installed package from the outside, step by step.
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/../support/package_steps.cmake")
begin_run()
set(host_build "${WORK_DIR}/build")

# 1. cmake --install of the build tree.
install_build_tree()
foreach(installed
    include/telpolicy/engine.hpp include/telpolicy/plugin/plugin_api.h
    lib/cmake/telpolicy/telpolicyConfig.cmake lib/cmake/telpolicy/telpolicyConfigVersion.cmake
    lib/cmake/telpolicy/TelpolicyPlugin.cmake lib/cmake/telpolicy/FindPhoneNumber.cmake
    lib/telpolicy/plugins/telpolicy_us.so share/telpolicy/rules/us.yaml)
  if(NOT EXISTS "${prefix}/${installed}")
    message(FATAL_ERROR "install: ${installed} is missing from ${prefix}")
  endif()
endforeach()

# 2. The installed command finds the installed plugins and rules by itself.
run("installed telpolicy plugins" "${prefix}/bin/telpolicy" plugins)
expect("installed telpolicy plugins" "${out}" "us 1\\.0\\.0")
expect("installed telpolicy plugins" "${out}" "${prefix_regex}/share/telpolicy/rules/us\\.yaml")

# 3. Configure and build examples/host against the prefix.
build_against_prefix(examples/host "${HOST_SOURCE_DIR}" "${host_build}")
file(READ "${host_build}/CMakeCache.txt" cache)
expect("configure examples/host" "${cache}" "telpolicy_DIR:PATH=${prefix_regex}/lib/cmake/telpolicy")

# 4. Run the host: the installed US plugin and the host's own, a C++ request, JSON requests, a reload.
find_program(host telpolicy_host PATHS "${host_build}" "${host_build}/${CONFIG}" NO_DEFAULT_PATH REQUIRED)
run("run telpolicy_host" "${host}")
expect("telpolicy_host" "${out}" "plugin us 1\\.0\\.0 rules ${prefix_regex}/share/telpolicy/rules/us\\.yaml digest [0-9a-f]+")
expect("telpolicy_host" "${out}" "plugin example 0\\.1\\.0")
expect("telpolicy_host" "${out}" "port_in US: allowed=true mailbox=ptn@microsoft\\.com")
expect("telpolicy_host" "${out}" "\"code\":\"pin\\.length\"")
expect("telpolicy_host" "${out}" "\"country\":\"XH\",\"action\":\"new_numbers\",\"plugin\":{\"name\":\"example\"")
expect("telpolicy_host" "${out}" "\"code\":\"request\\.invalid\"")
expect("telpolicy_host" "${out}" "reload: applied=true revision=2")
string(REGEX REPLACE "digest [0-9a-f]+" "" without_digests "${out}")
if(without_digests MATCHES "12345")
  message(FATAL_ERROR "telpolicy_host printed the PIN:\n${out}")
endif()
message(STATUS "the installed package builds and runs examples/host:\n${out}")
file(REMOVE_RECURSE "${WORK_DIR}")
