#!/bin/sh
# Fetches and unpacks Debian's cmocka source package into DIR (default
# ./cmocka-src) with apt's own client, using a private sources list and
# lists directory so the system's apt configuration is left alone.
# Prints the unpacked source directory.  Re-running reuses what is there.
set -eu
dir=$(realpath -m "${1:-cmocka-src}")
mkdir -p "$dir/lists/partial"
found=$(find "$dir" -maxdepth 3 -path '*/src/cmocka.c' 2>/dev/null | head -n1)
if [ -n "$found" ]; then
	dirname "$(dirname "$found")"
	exit 0
fi
printf 'deb-src http://deb.debian.org/debian bookworm main\n' > "$dir/sources.list"
apt_opts="-o Dir::Etc::sourcelist=$dir/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$dir/lists -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get -q $apt_opts update >&2
# shellcheck disable=SC2086
(cd "$dir" && apt-get -q $apt_opts source --download-only cmocka >&2 &&
	dpkg-source -x cmocka_*.dsc >&2)
found=$(find "$dir" -maxdepth 3 -path '*/src/cmocka.c' | head -n1)
[ -n "$found" ] || { echo "fetch-cmocka.sh: no cmocka source in $dir" >&2; exit 1; }
dirname "$(dirname "$found")"
