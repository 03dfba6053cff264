# GsoapRuntime: the gSOAP runtime (stdsoap2.c) compiled as part of the build,
# offered as PkgConfig::GSOAP like pkg_check_modules(GSOAP ... IMPORTED_TARGET).
#
#   tsp8_gsoap_runtime(<dir>)   <dir> holds stdsoap2.c and stdsoap2.h
#                               (scripts/gsoap-source puts them there)
#
# The definitions below change struct soap's layout, so they are PUBLIC:
# everything that includes stdsoap2.h (generated code, soap/, pbxsim) sees
# the same ones.
#   SOAP_IDHASH / SOAP_PTRHASH: gSOAP sizes its id/href and pointer hash
#     tables at compile time (1999 and 4096 buckets by default) and walks
#     every bucket several times per message even when, as in every PBX
#     message, there are no multi-references: on 10,000 UserInitialize calls
#     that was 15 % of the provider's CPU (docs/benchmarks.md).  PBX messages
#     carry no id/href, so small tables lose nothing.
#   WITH_IPV6 WITH_DOM: as Debian's gsoap.pc, so the layout is the packaged
#     one's apart from the two table sizes.
# PRIVATE WITH_NONAMESPACES mirrors wsdl/ (pbx_gen_common): the runtime has
# no implicit global namespace table, every context is given pbx_namespaces
# explicitly.  It only changes soap_init's default, never the layout.
set(TSP8_GSOAP_RUNTIME_MODULE_DIR ${CMAKE_CURRENT_LIST_DIR})

function(tsp8_gsoap_runtime dir)
  foreach(_f ${dir}/stdsoap2.c ${dir}/stdsoap2.h)
    if(NOT EXISTS ${_f})
      message(FATAL_ERROR "GsoapRuntime: ${_f} is missing (scripts/gsoap-source fetches it)")
    endif()
  endforeach()
  if(TARGET PkgConfig::GSOAP)
    message(FATAL_ERROR "GsoapRuntime: PkgConfig::GSOAP already exists; do not call "
            "pkg_check_modules(GSOAP ...) as well")
  endif()
  add_library(gsoap_rt STATIC ${dir}/stdsoap2.c)
  target_include_directories(gsoap_rt PUBLIC ${dir})
  target_compile_definitions(gsoap_rt
    PUBLIC WITH_IPV6 WITH_DOM SOAP_IDHASH=19 SOAP_PTRHASH=32
    PRIVATE WITH_NONAMESPACES)
  # Linked into libtsp8.so: position-independent like the rest.
  set_target_properties(gsoap_rt PROPERTIES POSITION_INDEPENDENT_CODE ON)
  # Not our code: GNU dialect as upstream builds it, no -Werror, no warnings
  # (its -Wformat and MSVC pragma warnings are noise), optimised whatever the
  # build type.  On Linux as Debian builds libgsoap (dpkg-buildflags:
  # _FORTIFY_SOURCE=2).  Not instrumented by the sanitizer or fuzzing
  # builds, which test our code, as the packaged runtime was not; memory
  # gSOAP allocates is still tracked (malloc is intercepted everywhere).
  # There, gsoap_rt_sanitize.h also gives it a strncpy that may copy a
  # string onto itself, as gSOAP does on soap_id_enter's error paths and
  # ASan's interceptor reports (see that header).
  set_target_properties(gsoap_rt PROPERTIES C_EXTENSIONS ON)
  target_compile_options(gsoap_rt PRIVATE -w -O2)
  if(NOT WIN32)
    target_compile_options(gsoap_rt PRIVATE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2)
  endif()
  if(TSP8_SANITIZE OR TSP8_FUZZ)
    target_compile_options(gsoap_rt PRIVATE -fno-sanitize=all
      -include ${TSP8_GSOAP_RUNTIME_MODULE_DIR}/gsoap_rt_sanitize.h)
  endif()
  if(WIN32)
    # stdsoap2.c contains gSOAP's (unused) socket code: Winsock.
    target_link_libraries(gsoap_rt PUBLIC ws2_32)
  endif()
  # Names containing "::" must be IMPORTED or ALIAS targets.
  add_library(PkgConfig::GSOAP INTERFACE IMPORTED GLOBAL)
  set_target_properties(PkgConfig::GSOAP PROPERTIES INTERFACE_LINK_LIBRARIES gsoap_rt)
endfunction()
