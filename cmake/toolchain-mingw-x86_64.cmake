# Cross-compiling for Windows (x86_64) with Debian's mingw-w64 (win32 thread
# model): apt-get install gcc-mingw-w64-x86-64-win32
# Use: cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-x86_64.cmake ...
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(TSP8_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER   ${TSP8_MINGW_TRIPLET}-gcc)
set(CMAKE_RC_COMPILER  ${TSP8_MINGW_TRIPLET}-windres)

# Libraries, headers and packages come only from the mingw sysroot; build
# tools (soapcpp2, wine, scripts) are the host's, so programs are searched
# on the host as usual.
set(CMAKE_FIND_ROOT_PATH /usr/${TSP8_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# No libgcc_s DLL to ship beside our binaries.
set(CMAKE_EXE_LINKER_FLAGS_INIT    "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static-libgcc")
