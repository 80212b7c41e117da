# Helpers of the cmake -P scripts that test the installed package from the outside (tests/host/,
# tests/out-of-tree/): run a step, check what it printed, install the build tree, build a project
# against it.

# run(STEP command...): runs the command; on a non-zero exit, fails with both outputs. Sets `out`
# and `err` to what it wrote to stdout and stderr.
function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${step} failed (${status}):\n${ARGN}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

# expect(STEP text regex): fails unless the text matches.
function(expect step text regex)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${step}: expected output matching\n  ${regex}\ngot:\n${text}")
  endif()
endfunction()

# expect_json(STEP json expected path...): fails unless the JSON value at the path (keys and
# array indexes, as string(JSON GET) takes them) is `expected`; booleans read ON and OFF.
function(expect_json step json expected)
  string(JSON actual ERROR_VARIABLE error GET "${json}" ${ARGN})
  if(error)
    set(actual "nothing (${error})")
  endif()
  if(error OR NOT actual STREQUAL expected)
    string(REPLACE ";" "." path "${ARGN}")
    message(FATAL_ERROR "${step}: expected ${path} = ${expected}, got ${actual} in:\n${json}")
  endif()
endfunction()

# The folders under test are the ones given, whatever the caller's environment says.
unset(ENV{TELPOLICY_PLUGIN_PATH})
unset(ENV{TELPOLICY_RULES_PATH})
unset(ENV{CMAKE_PREFIX_PATH})

# begin_run(): a folder of its own per run (WORK_DIR/run-XXXXXXXX), so that two ctest runs on one
# build tree do not collide; kept when a step fails, for a look at what went wrong. Sets WORK_DIR,
# `prefix` (where the build tree is installed) and `prefix_regex` (the same, escaped for a regex).
macro(begin_run)
  string(RANDOM LENGTH 8 run_id)
  set(WORK_DIR "${WORK_DIR}/run-${run_id}")
  set(prefix "${WORK_DIR}/prefix")
  string(REGEX REPLACE "([][+.*?()^$|\\])" "\\\\\\1" prefix_regex "${prefix}")
  file(REMOVE_RECURSE "${WORK_DIR}")
  set(config_args)
  if(CONFIG)
    set(config_args --config "${CONFIG}")
  endif()
endmacro()

# install_build_tree(): cmake --install of TELPOLICY_BUILD_DIR into `prefix`.
function(install_build_tree)
  run("install" "${CMAKE_COMMAND}" --install "${TELPOLICY_BUILD_DIR}" --prefix "${prefix}" ${config_args})
endfunction()

# build_against_prefix(NAME SOURCE_DIR BUILD_DIR [cmake arguments...]): configures the project with
# find_package finding `prefix` and with this build's generator, compiler and flags (a sanitizer
# build's library and command need the sanitizer in what links with them or loads them), checks that
# it found the package there, and builds it.
function(build_against_prefix name source_dir build_dir)
  set(build_type "${CONFIG}")
  if(NOT build_type)
    set(build_type RelWithDebInfo)
  endif()
  set(generator_args -G "${GENERATOR}")
  if(MAKE_PROGRAM)
    list(APPEND generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
  endif()
  run("configure ${name}" "${CMAKE_COMMAND}" -S "${source_dir}" -B "${build_dir}" ${generator_args}
    "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_BUILD_TYPE=${build_type}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
    "-DCMAKE_MODULE_LINKER_FLAGS=${MODULE_LINKER_FLAGS}" ${ARGN})
  file(READ "${build_dir}/CMakeCache.txt" cache)
  expect("configure ${name}" "${cache}" "telpolicy_DIR:PATH=${prefix_regex}/lib[^\n]*/cmake/telpolicy")
  run("build ${name}" "${CMAKE_COMMAND}" --build "${build_dir}" ${config_args})
endfunction()
