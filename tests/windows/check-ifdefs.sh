#!/bin/sh
# The portability rule of the code base, checked on the source tree:
#
#   check-ifdefs.sh <source dir>
#
# Windows-specific preprocessor conditionals (_WIN32, WIN32, _WIN64,
# __MINGW32__/__MINGW64__, _MSC_VER) may appear only in base/ (the platform
# layer), in tsp8/tapi_abi.h (the TAPI types: mingw's headers or our own),
# and in tools/ and tests/.  Everything else builds unchanged for both
# platforms through base/platform.h.  Prints every offending line; exit
# status 0 when there is none.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 <source dir>" >&2; exit 2; }
src=$(cd "$1" && pwd)
out=${TMPDIR:-/tmp}/tsp8-ifdefs.$$
trap 'rm -f "$out" "$out.files"' EXIT

# Sources: every top-level directory except base/, tools/, tests/, version
# control data and build trees (any directory with a CMakeCache.txt, so
# build directories of any name are skipped), plus top-level files.
: > "$out.files"
for d in "$src"/* "$src"/.[!.]*; do
	[ -e "$d" ] || continue
	case ${d#"$src"/} in
	base | tools | tests | .git) continue ;;
	esac
	[ -f "$d/CMakeCache.txt" ] && continue
	find "$d" -type f \( -name '*.c' -o -name '*.h' \) ! -path "$src/tsp8/tapi_abi.h" \
		>> "$out.files"
done
sort -o "$out.files" "$out.files"
: > "$out"
while IFS= read -r f; do
	grep -nE '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif)\b.*\b(_?WIN32|_WIN64|__MINGW(32|64)__|_MSC_VER)\b' \
		"$f" | sed "s|^|${f#"$src"/}:|" >> "$out" || true
done < "$out.files"
n=$(wc -l < "$out.files")
if [ -s "$out" ]; then
	echo "check-ifdefs: Windows conditionals outside base/, tools/, tests/ and tsp8/tapi_abi.h:" >&2
	cat "$out" >&2
	exit 1
fi
echo "check-ifdefs: $n source files outside the platform layer have no Windows conditionals"
