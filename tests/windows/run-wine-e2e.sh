#!/bin/sh
# End-to-end test of the Windows build under wine64 against pbxsim:
#
#   tests/windows/run-wine-e2e.sh <build-win64> <pbxsim> [tree.json]
#
# <build-win64>: a mingw-w64 x86_64 build tree (tools/tapihost/tapihost.exe,
# tsp8/tsp8.tsp); <pbxsim>: a Linux build of tools/pbxsim (it runs on the
# Linux side, Wine reaches it on 127.0.0.1); the tree defaults to
# tests/e2e/trees/basic.json.  The scenario itself is wine_e2e.py.
#
# Wine runs quietly in a prefix of the build tree (<build-win64>/wine:
# win64, no debug output except what the test asks for, no Mono/Gecko
# installers, no menu entries in the Linux home, no display).  The prefix
# is created on first use under a lock (base/wincheck/wine-run.sh), so
# `make windows-check` can start it in the background while compiling.
# The provider's configuration is written into that prefix's registry;
# logs go to <build-win64>/wine-e2e/.  Exit status 0 when every check passed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 <build-win64> <pbxsim> [tree.json]" >&2
	exit 2
fi
build=$(realpath "$1")
pbxsim=$2
tree=${3:-$root/tests/e2e/trees/basic.json}
tapihost=$build/tools/tapihost/tapihost.exe
provider=$build/tsp8/tsp8.tsp

for f in "$tapihost" "$provider" "$tree"; do
	[ -f "$f" ] || { echo "run-wine-e2e.sh: $f is missing" >&2; exit 1; }
done
[ -x "$pbxsim" ] || {
	echo "run-wine-e2e.sh: no Linux pbxsim at '$pbxsim' (build it in the Linux tree first)" >&2
	exit 1
}
for tool in wine wineserver python3; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "run-wine-e2e.sh: $tool is missing" >&2
		exit 1
	}
done

export WINEPREFIX="$build/wine" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
unset DISPLAY WAYLAND_DISPLAY
# Creates the prefix if needed (or waits for the background creation).
"$root/base/wincheck/wine-run.sh" "$WINEPREFIX" --version >/dev/null
# Let a wineserver of earlier programs end first: a program that starts
# while the server is shutting down fails with "recvmsg: Connection reset
# by peer".  (ctest runs this test alone: RUN_SERIAL.)
wineserver -w

# tapihost finds tsp8.tsp on its own (the build tree's tsp8/, or beside
# tapihost.exe once installed): no --provider, so that path is tested too.
exec python3 "$here/wine_e2e.py" --tapihost "$tapihost" --pbxsim "$pbxsim" \
	--tree "$tree" --workdir "$build/wine-e2e"
