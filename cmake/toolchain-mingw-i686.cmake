# Cross-compiling for Windows (i686) with Debian's mingw-w64 (win32 thread
# model): apt-get install gcc-mingw-w64-i686-win32
# Use: cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-i686.cmake ...
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR i686)

set(TSP8_MINGW_TRIPLET i686-w64-mingw32)
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
