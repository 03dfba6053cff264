#!/bin/sh
# Static checks of a Windows binary (no Wine needed, so it runs for x86 too):
#
#   check-pe.sh <objdump> <file> <pe-format> <allowed-dlls> [<def-file>]
#
# <pe-format>:    what `objdump -p` must report (pei-x86-64 or pei-i386)
# <allowed-dlls>: comma-separated DLL names (case-insensitive) the file may
#                 import; anything else fails, e.g. libgcc_s_*.dll or
#                 libwinpthread-1.dll (a missing -static-libgcc), so the
#                 binary runs on a bare Windows
# <def-file>:     with it, the export table must list exactly the names of
#                 the .def file's EXPORTS section, undecorated (no "@N"
#                 stdcall suffix, no leading underscore): tapisrv looks the
#                 TSPI functions up by their plain names
#
# objdump's listing goes to ./<name>.objdump.txt (the current directory:
# ctest runs the test in tests/windows/ of the build tree) and is read from
# there: a pipe into `grep -q` could end objdump with SIGPIPE.  Every finding is
# printed; exit status 0 only when all checks passed.
set -eu
if [ $# -lt 4 ] || [ $# -gt 5 ]; then
	echo "usage: $0 <objdump> <file> <pe-format> <allowed-dlls> [<def-file>]" >&2
	exit 2
fi
objdump=$1 file=$2 format=$3 allowed=$4 def=${5:-}
name=$(basename "$file")
listing=$PWD/$name.objdump.txt
work=$PWD/$name.check

[ -f "$file" ] || { echo "check-pe: $file is missing" >&2; exit 1; }
"$objdump" -p "$file" > "$listing" || {
	echo "check-pe: $objdump -p $file failed" >&2
	exit 1
}
mkdir -p "$work"
failed=0
fail() {
	echo "check-pe: $name: $*" >&2
	failed=1
}

# --- format -------------------------------------------------------------
if ! grep -q "file format $format\$" "$listing"; then
	fail "not a $format file: $(grep -m1 'file format' "$listing" || echo 'no format line')"
fi

# --- imports ------------------------------------------------------------
sed -n 's/^[[:space:]]*DLL Name:[[:space:]]*//p' "$listing" | tr -d '\r' | sort -fu > "$work/imports"
if [ ! -s "$work/imports" ]; then
	fail "no imported DLLs found in the listing"
fi
echo "$allowed" | tr ',' '\n' | sed '/^$/d' > "$work/allowed"
while IFS= read -r dll; do
	if ! grep -qixF "$dll" "$work/allowed"; then
		fail "imports $dll (allowed: $allowed)"
	fi
done < "$work/imports"
echo "$name imports: $(tr '\n' ' ' < "$work/imports")"

# --- exports ------------------------------------------------------------
if [ -n "$def" ]; then
	# EXPORTS section of the .def: one name per line, ';' starts a comment.
	awk '
		{ sub(/;.*/, ""); gsub(/^[ \t]+|[ \t\r]+$/, "") }
		$0 == "" { next }
		toupper($1) == "EXPORTS" { on = 1; next }
		on { print $1 }
	' "$def" | sort -u > "$work/wanted"
	[ -s "$work/wanted" ] || fail "$def lists no exports"
	# The name table that follows "[Ordinal/Name Pointer] Table":
	# "	[   0] TSPI_lineAnswer", up to the next empty line.
	awk '
		/^\[Ordinal\/Name Pointer\] Table/ { on = 1; next }
		on && /^[ \t\r]*$/ { exit }
		on && /^[ \t]*\[ *[0-9]+\]/ { sub(/^[ \t]*\[ *[0-9]+\][ \t]*/, ""); sub(/[ \t\r]+$/, ""); print }
	' "$listing" | sort -u > "$work/exported"
	[ -s "$work/exported" ] || fail "no export table found in the listing"
	if grep -q '@' "$work/exported"; then
		fail "decorated exports: $(grep '@' "$work/exported" | tr '\n' ' ')"
	fi
	if grep -q '^_' "$work/exported"; then
		fail "exports with a leading underscore: $(grep '^_' "$work/exported" | tr '\n' ' ')"
	fi
	comm -23 "$work/wanted" "$work/exported" > "$work/missing"
	comm -13 "$work/wanted" "$work/exported" > "$work/extra"
	if [ -s "$work/missing" ]; then
		fail "does not export $(tr '\n' ' ' < "$work/missing")"
	fi
	if [ -s "$work/extra" ]; then
		fail "exports names not in $(basename "$def"): $(tr '\n' ' ' < "$work/extra")"
	fi
	if [ "$failed" -eq 0 ]; then
		echo "$name exports exactly the $(wc -l < "$work/wanted") names of $(basename "$def"), undecorated"
	fi
fi

if [ "$failed" -ne 0 ]; then
	echo "check-pe: $name FAILED (objdump listing: $listing)" >&2
	exit 1
fi
echo "check-pe: $name ok ($format)"
