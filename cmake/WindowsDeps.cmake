# WindowsDeps: the gSOAP runtime and libcurl for a mingw-w64 cross build.
#
# Debian has no mingw gSOAP or libcurl, so at configure time
# scripts/windows-deps fetches Debian's gsoap and curl source packages and
# cross-builds a static libcurl (Schannel) for this toolchain's
# architecture (idempotent: a configure with everything present costs
# nothing).  This module then defines the targets the Linux build gets from
# pkg-config, under the same names, so soap/ and wsdl/ link them unchanged:
#
#   gsoap_rt         static library compiled from stdsoap2.c (GsoapRuntime,
#                    as on Linux)
#   curl_win         imported static libcurl.a (CURL_STATICLIB)
#   PkgConfig::GSOAP -> gsoap_rt    (instead of pkg_check_modules(GSOAP ...))
#   PkgConfig::CURL  -> curl_win    (instead of pkg_check_modules(CURL ...))
#
# Use: include(WindowsDeps) when WIN32, in place of the two
# pkg_check_modules calls.  Code generation (wsdl2h, soapcpp2) still runs
# on the build machine; the runtime compiled here is of the same version
# (the script checks it against soapcpp2 -V).
#
# Cache: TSP8_WINDOWS_DEPS_DIR (default <build>/deps) may point several
# build trees at one shared directory; the script serializes its runs.

if(NOT WIN32 OR NOT CMAKE_CROSSCOMPILING OR NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
  message(FATAL_ERROR "WindowsDeps is for cross-compiling with mingw-w64 gcc "
          "(-DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-x86_64.cmake or -i686)")
endif()

if(CMAKE_SYSTEM_PROCESSOR STREQUAL "x86_64" AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(TSP8_WINDOWS_ARCH x86_64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^i[3-6]86$" AND CMAKE_SIZEOF_VOID_P EQUAL 4)
  set(TSP8_WINDOWS_ARCH i686)
else()
  message(FATAL_ERROR "WindowsDeps: unsupported CMAKE_SYSTEM_PROCESSOR "
          "'${CMAKE_SYSTEM_PROCESSOR}' (pointer size ${CMAKE_SIZEOF_VOID_P})")
endif()

set(TSP8_WINDOWS_DEPS_DIR ${CMAKE_BINARY_DIR}/deps CACHE PATH
    "Where scripts/windows-deps puts the gSOAP runtime source and libcurl")
get_filename_component(_tsp8_windeps_script ${CMAKE_CURRENT_LIST_DIR}/../scripts/windows-deps ABSOLUTE)

message(STATUS "WindowsDeps: ${_tsp8_windeps_script} ${TSP8_WINDOWS_ARCH} ${TSP8_WINDOWS_DEPS_DIR}")
execute_process(
  COMMAND ${_tsp8_windeps_script} ${TSP8_WINDOWS_ARCH} ${TSP8_WINDOWS_DEPS_DIR}
  RESULT_VARIABLE _tsp8_windeps_rc)
if(NOT _tsp8_windeps_rc EQUAL 0)
  message(FATAL_ERROR "scripts/windows-deps ${TSP8_WINDOWS_ARCH} failed (${_tsp8_windeps_rc}); "
          "its messages are above")
endif()
# Re-run configure (and so the script) when the script changes.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_tsp8_windeps_script})

set(_tsp8_gsoap_dir ${TSP8_WINDOWS_DEPS_DIR}/gsoap)
set(_tsp8_curl_dir ${TSP8_WINDOWS_DEPS_DIR}/${TSP8_WINDOWS_ARCH}/curl)
foreach(_f ${_tsp8_gsoap_dir}/stdsoap2.c ${_tsp8_gsoap_dir}/stdsoap2.h
           ${_tsp8_curl_dir}/lib/libcurl.a ${_tsp8_curl_dir}/include/curl/curl.h)
  if(NOT EXISTS ${_f})
    message(FATAL_ERROR "WindowsDeps: ${_f} is missing after scripts/windows-deps")
  endif()
endforeach()

# --- gSOAP runtime -----------------------------------------------------------
include(GsoapRuntime)
tsp8_gsoap_runtime(${_tsp8_gsoap_dir})

# --- libcurl -----------------------------------------------------------------
add_library(curl_win STATIC IMPORTED GLOBAL)
set_target_properties(curl_win PROPERTIES
  IMPORTED_LOCATION ${_tsp8_curl_dir}/lib/libcurl.a
  INTERFACE_INCLUDE_DIRECTORIES ${_tsp8_curl_dir}/include
  INTERFACE_COMPILE_DEFINITIONS CURL_STATICLIB
  # Schannel and SSPI (crypt32, advapi32), random numbers (bcrypt), sockets.
  INTERFACE_LINK_LIBRARIES "ws2_32;crypt32;bcrypt;advapi32")

# --- the Linux name ------------------------------------------------------------
# Names containing "::" must be IMPORTED or ALIAS targets.
if(TARGET PkgConfig::CURL)
  message(FATAL_ERROR "WindowsDeps: PkgConfig::CURL already exists; do not call "
          "pkg_check_modules(CURL ...) when cross-compiling for Windows")
endif()
add_library(PkgConfig::CURL INTERFACE IMPORTED GLOBAL)
set_target_properties(PkgConfig::CURL PROPERTIES INTERFACE_LINK_LIBRARIES curl_win)

unset(_tsp8_windeps_script)
unset(_tsp8_windeps_rc)
unset(_f)
