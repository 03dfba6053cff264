#!/bin/sh
# Builds base/ and its unit tests for Windows (x86_64 and i686) with
# mingw-w64 and runs the x86_64 tests under wine64.
#
#   base/wincheck/run.sh [OUTDIR]        (default: <repo>/build-wincheck)
#
# Needs: cmake, gcc-mingw-w64-x86-64-win32, gcc-mingw-w64-i686-win32,
# wine64 + wine (apt-get install --no-install-recommends wine64 wine), and
# Debian's source archive for cmocka (fetched once into OUTDIR/cmocka-src).
# The wine prefix lives in OUTDIR/x86_64/wine.  Exit status 0 when every
# build, import check and test passed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(realpath -m "${1:-$root/build-wincheck}")
jobs=${JOBS:-2}

for tool in cmake x86_64-w64-mingw32-gcc i686-w64-mingw32-gcc wine wineserver; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "run.sh: $tool is missing (see the comment at the top of this script)" >&2
		exit 2
	}
done

mkdir -p "$out"
# The first wine start builds the prefix (about 10 s): let it happen while
# the compilers work.
"$here/wine-run.sh" "$out/x86_64/wine" --version >"$out/wine-prefix.log" 2>&1 &
prefix_pid=$!

cmocka=$("$here/fetch-cmocka.sh" "$out/cmocka-src")

# Every program must need only system DLLs: a libgcc/libwinpthread DLL
# in the list means a missing static link flag.
check_imports() {
	objdump_tool=$1
	shift
	for exe in "$@"; do
		"$objdump_tool" -p "$exe" > "$out/imports.txt"
		grep 'DLL Name:' "$out/imports.txt" | sed 's/.*DLL Name: *//' > "$out/dlls.txt" || true
		if [ ! -s "$out/dlls.txt" ]; then
			echo "run.sh: no imports found in $exe" >&2
			return 1
		fi
		if grep -viE '^(kernel32|advapi32|msvcrt|crypt32)\.dll$' "$out/dlls.txt" > "$out/bad.txt"; then
			echo "run.sh: $exe imports unexpected DLLs:" >&2
			cat "$out/bad.txt" >&2
			return 1
		fi
	done
	echo "imports ok: $# programs use only kernel32/advapi32/msvcrt/crypt32"
}

for arch in x86_64 i686; do
	cmake -S "$here" -B "$out/$arch" \
		-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw-$arch.cmake" \
		-DTSP8_CMOCKA_SOURCE_DIR="$cmocka" >"$out/configure-$arch.log" || {
		cat "$out/configure-$arch.log" >&2
		exit 1
	}
	cmake --build "$out/$arch" -j "$jobs"
	check_imports "$arch-w64-mingw32-objdump" "$out/$arch"/tests-base/*.exe
done

wait "$prefix_pid" || { cat "$out/wine-prefix.log" >&2; exit 1; }
ctest --test-dir "$out/x86_64" -j "$jobs" --output-on-failure
