# Runs with cmake -P (see CMakeLists.txt): the installed package from the outside, step by step.
cmake_minimum_required(VERSION 3.25)

# A folder of its own per run, so that two ctest runs on one build tree do not collide; kept when a
# step fails, for a look at what went wrong.
string(RANDOM LENGTH 8 run_id)
set(WORK_DIR "${WORK_DIR}/run-${run_id}")
set(prefix "${WORK_DIR}/prefix")
set(host_build "${WORK_DIR}/build")
string(REGEX REPLACE "([][+.*?()^$|\\])" "\\\\\\1" prefix_regex "${prefix}")
file(REMOVE_RECURSE "${WORK_DIR}")
# The defaults under test are the installed folders, whatever the caller's environment says.
unset(ENV{TELPOLICY_PLUGIN_PATH})
unset(ENV{TELPOLICY_RULES_PATH})
unset(ENV{CMAKE_PREFIX_PATH})

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${step} failed (${status}):\n${ARGN}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(expect step text regex)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${step}: expected output matching\n  ${regex}\ngot:\n${text}")
  endif()
endfunction()

# 1. cmake --install of the build tree.
set(config_args)
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
run("install" "${CMAKE_COMMAND}" --install "${TELPOLICY_BUILD_DIR}" --prefix "${prefix}" ${config_args})
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

# 3. Configure and build examples/host against the prefix, with this build's compiler and flags (a
#    sanitizer build's library needs the sanitizer at link time too).
set(build_type "${CONFIG}")
if(NOT build_type)
  set(build_type RelWithDebInfo)
endif()
set(generator_args -G "${GENERATOR}")
if(MAKE_PROGRAM)
  list(APPEND generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run("configure examples/host" "${CMAKE_COMMAND}" -S "${HOST_SOURCE_DIR}" -B "${host_build}" ${generator_args}
  "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_BUILD_TYPE=${build_type}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
  "-DCMAKE_MODULE_LINKER_FLAGS=${MODULE_LINKER_FLAGS}")
file(READ "${host_build}/CMakeCache.txt" cache)
expect("configure examples/host" "${cache}" "telpolicy_DIR:PATH=${prefix_regex}/lib/cmake/telpolicy")
run("build examples/host" "${CMAKE_COMMAND}" --build "${host_build}" ${config_args})

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
