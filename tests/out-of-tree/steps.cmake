# Helpers of the cmake -P scripts here: run a step, check what it printed.

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
