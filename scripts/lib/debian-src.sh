# shellcheck shell=bash
# Shared by scripts/gsoap-source and scripts/windows-deps: fetching Debian
# source packages of this machine's release with apt's own client, through a
# private sources list, lists directory and cache, so the system's apt
# configuration, lists and caches are left alone.
#
# The sourcing script defines die() and note() and sets -euo pipefail.
# Environment: TSP8_DEBIAN_MIRROR (archive URI to use instead of the ones
# found in /etc/apt).

# Installs the packages of "$@" that are missing (as scripts/bootstrap does).
debsrc_need_packages() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local as_root=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 ||
			die "need root (or sudo) to install: ${missing[*]}"
		as_root=(sudo)
	fi
	note "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${as_root[@]}" apt-get update -qq || die "apt-get update failed"
	"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
		die "could not install ${missing[*]}"
}

# Prints one deb-src line per "deb" entry of this release (codename,
# codename-updates, codename-security) found in the system's sources.
debsrc_lines() {
	local codename
	# shellcheck source=/dev/null
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
	if [ -n "${TSP8_DEBIAN_MIRROR:-}" ]; then
		echo "deb-src $TSP8_DEBIAN_MIRROR $codename main"
		return
	fi
	local files=() f
	[ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
	for f in /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && files+=("$f"); done
	if [ ${#files[@]} -gt 0 ]; then
		# One-line format: deb [options] URI suite components...
		awk -v cn="$codename" '
			$1 == "deb" {
				opt = ""; i = 2
				if ($2 ~ /^\[/) { while ($i !~ /\]$/) { opt = opt $i " "; i++ } opt = opt $i " "; i++ }
				uri = $i; suite = $(i + 1)
				if (suite != cn && index(suite, cn "-") != 1) next
				line = "deb-src " opt uri " " suite
				for (j = i + 2; j <= NF && $j !~ /^#/; j++) line = line " " $j
				print line
			}' "${files[@]}"
	fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# deb822 stanzas: Types/URIs/Suites/Components/Signed-By/Enabled.
		awk -v cn="$codename" '
			function flush(   nu, ns, u, s, su, uris, suites, opt) {
				if (types ~ /(^| )deb( |$)/ && enabled != "no") {
					opt = (signed ~ /^\//) ? "[signed-by=" signed "] " : ""
					nu = split(uris_s, uris, " "); ns = split(suites_s, suites, " ")
					for (u = 1; u <= nu; u++) for (s = 1; s <= ns; s++) {
						su = suites[s]
						if (su == cn || index(su, cn "-") == 1)
							print "deb-src " opt uris[u] " " su " " comps
					}
				}
				types = uris_s = suites_s = comps = signed = enabled = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[A-Za-z-]+:/ {
				key = tolower($1); sub(/:$/, "", key); val = $0; sub(/^[^:]*:[ \t]*/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris_s = val
				else if (key == "suites") suites_s = val
				else if (key == "components") comps = val
				else if (key == "signed-by") signed = val
				else if (key == "enabled") enabled = tolower(val)
			}
			END { flush() }' "$f"
	done
}

# debsrc_setup_apt <aptdir>: writes the private sources list, updates the
# private lists and sets debsrc_apt_opts for later apt-get calls.
debsrc_apt_opts=()
debsrc_setup_apt() {
	local apt=$1
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	debsrc_lines | sort -u > "$apt/sources.list.new"
	[ -s "$apt/sources.list.new" ] ||
		die "no Debian archive of this release found in /etc/apt/sources.list{,.d} (set TSP8_DEBIAN_MIRROR)"
	mv "$apt/sources.list.new" "$apt/sources.list"
	note "private apt sources ($apt/sources.list):"
	sed 's/^/    /' "$apt/sources.list" >&2
	debsrc_apt_opts=(
		-o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
	)
	# As root, apt downloads as user _apt, which cannot write here.
	[ "$(id -u)" -ne 0 ] || debsrc_apt_opts+=(-o APT::Sandbox::User=root)
	# Error-Mode=any: an unreachable mirror fails here, not later.
	apt-get -q "${debsrc_apt_opts[@]}" -o APT::Update::Error-Mode=any update >&2 ||
		die "apt-get update (private lists) failed: is the archive in $apt/sources.list reachable?"
}

# Upstream part of a Debian version: no epoch, no revision.
debsrc_upstream_of() { local v=${1#*:}; printf '%s' "${v%-*}"; }

# debsrc_dsc_version <downloaddir> <package>: the Version of its .dsc.
debsrc_dsc_version() {
	local dsc
	dsc=$(find "$1" -maxdepth 1 -name "$2_*.dsc" | head -n1)
	[ -n "$dsc" ] || die "no $2 .dsc was downloaded"
	sed -n 's/^Version: *//p' "$dsc"
}

# The version soapcpp2 reports: generated code and runtime must match it.
debsrc_soapcpp2_version() {
	local v
	v=$(soapcpp2 -V 2>/dev/null) || die "soapcpp2 -V failed"
	[ -n "$v" ] || die "soapcpp2 -V printed nothing"
	printf '%s' "$v"
}

debsrc_stamp_value() { sed -n "s/^$2=//p" "$1" 2>/dev/null; }
