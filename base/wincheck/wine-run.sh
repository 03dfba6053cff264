#!/bin/sh
# Runs a Windows program under wine64 in a private prefix (for ctest's
# CROSSCOMPILING_EMULATOR):  wine-run.sh <prefix dir> <program.exe> [args]
# The prefix is created on first use, under a lock, because ctest may start
# several tests at once.  Wine stays quiet (WINEDEBUG=-all unless set),
# never writes menu entries into the Linux home, and needs no display.
set -eu
prefix=$1
shift
export WINEPREFIX="$prefix" WINEARCH=win64
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
unset DISPLAY WAYLAND_DISPLAY
mkdir -p "$(dirname "$prefix")"
(
	flock 9
	if [ ! -f "$prefix/system.reg" ]; then
		wineboot -i >/dev/null 2>&1
		wineserver -w
	fi
) 9>"$prefix.lock"
exec wine "$@"
