# Installing telpolicy as people install software: the Debian packages (`cpack -G DEB`, or the
# `package` target), with what only a package needs beside the install() rules of the tree: the
# systemd unit, man pages, a pkg-config file. include()d once, at the end of the top-level
# CMakeLists.txt, after every install() rule.
#
# Two packages, as Debian splits a library's runtime from its development files, so that a server
# gets no compiler files:
#   telpolicy       component runtime: the command, the bundled plugins and rules, the Python
#                   module, the systemd unit (disabled) and its /etc/default file, the man pages
#   telpolicy-dev   component development: the headers, the static core library, the CMake package
#                   and the pkg-config file; depends on telpolicy of the same version
# What each package holds comes from the install() rules' COMPONENT alone.

# pkg-config, for hosts that do not use CMake. The prefix is relative to the .pc file's own folder,
# so that an installed tree works under any prefix or DESTDIR.
file(RELATIVE_PATH TELPOLICY_PC_PREFIX_FROM_PCFILEDIR "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" TELPOLICY_PC_PREFIX_FROM_PCFILEDIR "${TELPOLICY_PC_PREFIX_FROM_PCFILEDIR}")
# What telpolicy_core links privately (core/CMakeLists.txt): those with a .pc file in Debian by their
# module name, the others (libphonenumber, Boost.Filesystem, dl, threads) as flags.
set(TELPOLICY_PC_REQUIRES_PRIVATE "yaml-cpp spdlog icu-uc liburiparser simdjson protobuf re2")
set(TELPOLICY_PC_LIBS_PRIVATE "-lphonenumber -lboost_filesystem -l${CMAKE_DL_LIBS} -pthread")
if(TELPOLICY_CORE_IS_STATIC)
  set(TELPOLICY_PC_LINK_NOTE "libtelpolicy is a static library: --static adds the libraries it uses (the .private fields).")
else()
  set(TELPOLICY_PC_LINK_NOTE "libtelpolicy is a shared library here: --static is needed only for a static link.")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/telpolicy.pc.in" "${PROJECT_BINARY_DIR}/telpolicy.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/telpolicy.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
        COMPONENT development)

# The systemd unit for `telpolicy serve` and its options file. Installing to /usr (the package), they
# go where Debian bookworm puts a package's units and defaults: /lib/systemd/system and
# /etc/default, outside the prefix. Decided when installing, not when configuring, so that
# `cmake --install build --prefix DIR` of the same tree keeps them inside DIR, as the tests and
# deploy/Dockerfile do, instead of writing to the host's /etc.
set(telpolicy_systemd_dir "${PROJECT_SOURCE_DIR}/deploy/systemd")
string(CONFIGURE [[
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(telpolicy_system_root "")
  else()
    set(telpolicy_system_root "${CMAKE_INSTALL_PREFIX}")
  endif()
  file(INSTALL DESTINATION "${telpolicy_system_root}/lib/systemd/system" TYPE FILE
       FILES "@telpolicy_systemd_dir@/telpolicy.service")
  # Readable by root only: it may hold the admin token (systemd reads it as root).
  file(INSTALL DESTINATION "${telpolicy_system_root}/etc/default" TYPE FILE RENAME telpolicy
       PERMISSIONS OWNER_READ OWNER_WRITE FILES "@telpolicy_systemd_dir@/telpolicy.default")
]] telpolicy_install_unit @ONLY)
install(CODE "${telpolicy_install_unit}" COMPONENT runtime)

include("${CMAKE_CURRENT_LIST_DIR}/TelpolicyManPages.cmake")

# Every install() rule names its component: one without would make a third package, or, left out of
# CPACK_COMPONENTS_ALL, a file missing from both.
get_cmake_property(telpolicy_install_components COMPONENTS)
list(REMOVE_ITEM telpolicy_install_components runtime development)
if(telpolicy_install_components)
  message(FATAL_ERROR "install() rules with a component other than runtime or development: "
    "${telpolicy_install_components}; give each install() COMPONENT runtime or COMPONENT development "
    "(cmake/TelpolicyPackaging.cmake says which goes where)")
endif()

# CPack's DEB generator. The variables are CPackDeb's (cmake --help-module CPackDeb).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME telpolicy)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
# The project has no home page or mailing list of its own: a reserved domain, never delivered.
set(CPACK_PACKAGE_CONTACT "telpolicy maintainers <maintainers@telpolicy.invalid>")
set(CPACK_PACKAGE_VENDOR "telpolicy")
# Debian packages install to /usr whatever CMAKE_INSTALL_PREFIX a tree was configured with (the
# package preset configures /usr, so that GNUInstallDirs gives Debian's multiarch libdir).
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)  # the command and plugins without symbol tables or debug sections
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)  # telpolicy-dev: Depends: telpolicy (= version)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # telpolicy_1.0.0_amd64.deb, telpolicy-dev_1.0.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the ELF files, by dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# CPackDeb puts CPACK_PACKAGE_DESCRIPTION_SUMMARY before each package's description unless it is
# CPack's default: each package here has a first line of its own.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME telpolicy)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION utils)
set(telpolicy_python_part "")
if(TARGET telpolicy_python)
  set(telpolicy_python_part "the Python module,\n")
endif()
# Debian's layout: a synopsis line, then the extended description in lines under 80 columns.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "policy engine for phone-number operations
telpolicy decides what an organization must do to get new phone numbers,
port numbers in or out, convert or move them, or set a transfer PIN: whether
the request may go ahead, which form to fill in, which mailbox to send it to,
and, when it may not, every reason why.
This package holds the telpolicy command (eval, explain, plugins, validate,
test, graph, lsp, serve), the country plugins and their YAML rules files,
${telpolicy_python_part}the man pages, and telpolicy.service, the decision service's systemd
unit, installed disabled.")
if(TARGET telpolicy_python)
  math(EXPR next_python_minor "${TELPOLICY_PYTHON_VERSION_MINOR} + 1")
  # The Python module is of use only to Python programs: a server that runs the command needs no
  # interpreter.
  # The module is built for one Python version (its file name says which: cpython-311...).
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS
    "python3 (>= 3.${TELPOLICY_PYTHON_VERSION_MINOR}), python3 (<< 3.${next_python_minor})")
endif()
# The conffile and the maintainer scripts, which only tell systemd about the unit: none enables it.
file(WRITE "${PROJECT_BINARY_DIR}/debian/runtime/conffiles" "/etc/default/telpolicy\n")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
  "${PROJECT_BINARY_DIR}/debian/runtime/conffiles"
  "${telpolicy_systemd_dir}/postinst" "${telpolicy_systemd_dir}/prerm" "${telpolicy_systemd_dir}/postrm")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME telpolicy-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "policy engine for phone-number operations - development files
telpolicy decides what an organization must do to get new phone numbers,
port numbers in or out, convert or move them, or set a transfer PIN.
This package holds what a host application or an out-of-tree country plugin
builds against: the headers, the static engine library, the plugin SDK, the
CMake package (find_package(telpolicy), telpolicy_add_plugin) and a
pkg-config file.")
# What find_package(telpolicy) finds again (cmake/telpolicyConfig.cmake.in's find_dependency calls):
# Boost.DLL for the SDK's headers, and, for a static core, what it links privately.
set(telpolicy_dev_depends "libboost-dev (>= 1.74)" "libboost-filesystem-dev (>= 1.74)")
if(TELPOLICY_CORE_IS_STATIC)
  list(APPEND telpolicy_dev_depends libyaml-cpp-dev libspdlog-dev "nlohmann-json3-dev (>= 3.10)"
    "libsimdjson-dev (>= 3)" "liburiparser-dev (>= 0.9)" libphonenumber-dev libre2-dev libicu-dev)
endif()
list(JOIN telpolicy_dev_depends ", " CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS)

include(CPack)
