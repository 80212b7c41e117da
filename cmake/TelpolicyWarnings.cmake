# One INTERFACE target that carries the project's warning flags (cpp-best-practices style).
add_library(telpolicy_warnings INTERFACE)
target_compile_options(telpolicy_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC's maybe-uninitialized misfires on std::optional (GCC bug 80635); clang has no such warning.
  target_compile_options(telpolicy_warnings INTERFACE -Wno-maybe-uninitialized)
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 at -O3 warns of overlapping memcpy inside std::string's own operator+ (GCC bug 105329,
    # fixed in GCC 13): a false positive in the standard library, not in telpolicy's code.
    target_compile_options(telpolicy_warnings INTERFACE -Wno-restrict)
  endif()
endif()
if(TELPOLICY_WARNINGS_AS_ERRORS)
  target_compile_options(telpolicy_warnings INTERFACE -Werror)
endif()
