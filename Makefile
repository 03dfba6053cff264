# Entry points.  `make demo` and `make check` are the two set-up commands of
# the README: both install what they need (scripts/bootstrap) and build.
BUILD    ?= build
ASAN_BUILD ?= build-asan
JOBS     ?= 2
CTEST_TIMEOUT ?= 600

# Windows (docs/windows.md, "Build and test"): mingw-w64 cross builds, the
# x64 one tested under wine64 against a Linux pbxsim from $(BUILD).
WIN64_BUILD ?= build-win64
WIN32_BUILD ?= build-win32
WINDOWS_PACKAGES := gcc-mingw-w64-x86-64-win32 gcc-mingw-w64-i686-win32 wine64 wine dpkg-dev
# What `make check` needs to run the Windows part.
WINDOWS_TOOLS := x86_64-w64-mingw32-gcc i686-w64-mingw32-gcc wine wineserver dpkg-source
WINE_ENV = WINEPREFIX=$(CURDIR)/$(WIN64_BUILD)/wine WINEARCH=win64 WINEDEBUG=-all \
	WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"

.PHONY: all bootstrap build check demo asan asan-check clean \
	windows windows-bootstrap windows-build windows-check windows-clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# The Windows part runs first when its tools are there (always in CI, where
# .ci/run installs them and a missing tool is an error); the Linux tests run
# last, so ctest's summary for Linux ends the output.  Either part failing
# fails the target.
check: build
	@win=0; missing=""; \
	for t in $(WINDOWS_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	if [ -z "$$missing" ]; then \
		$(MAKE) --no-print-directory windows-check || win=1; \
	elif [ "$${CI:-}" = true ]; then \
		echo "check: CI=true but the Windows toolchain is missing:$$missing (.ci/run installs it)" >&2; \
		win=1; \
	else \
		echo "=================================================================="; \
		echo "check: Windows part SKIPPED (not installed:$$missing)."; \
		echo "       'make windows-check' installs the tools and runs it."; \
		echo "=================================================================="; \
	fi; \
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) --timeout $(CTEST_TIMEOUT); lin=$$?; \
	if [ $$win -ne 0 ]; then echo "check: the Windows part FAILED (see above)" >&2; exit 1; fi; \
	exit $$lin

demo: build
	@scripts/demo $(BUILD)

# AddressSanitizer + UndefinedBehaviorSanitizer build of the whole suite.
asan: bootstrap
	@cmake --preset asan >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

asan-check: asan
	@ctest --preset asan --timeout $(CTEST_TIMEOUT)

# --- Windows ------------------------------------------------------------------
# After `bootstrap`, so that two apt-get runs never overlap under make -j.
windows-bootstrap: bootstrap
	@scripts/bootstrap $(WINDOWS_PACKAGES)

# tsp8.tsp and tapihost.exe for x64 ($(WIN64_BUILD)) and x86 ($(WIN32_BUILD)).
# The first configure of each tree fetches Debian's gsoap/curl sources and
# cross-builds libcurl (scripts/windows-deps, a few minutes); later runs
# reuse them.  The x64 tree also builds the base/ unit tests with cmocka
# from Debian's source package.
windows: windows-build

windows-build: windows-bootstrap
	@set -e; mkdir -p $(WIN64_BUILD); \
	cmocka=$$(base/wincheck/fetch-cmocka.sh $(WIN64_BUILD)/cmocka-src 2>$(WIN64_BUILD)/cmocka-fetch.log) || \
		{ cat $(WIN64_BUILD)/cmocka-fetch.log >&2; echo "windows: fetching cmocka's source failed" >&2; exit 1; }; \
	for arch in win64 win32; do \
		if [ $$arch = win64 ]; then \
			dir=$(WIN64_BUILD); \
			set -- -DTSP8_CMOCKA_SOURCE_DIR=$$cmocka -DTSP8_PBXSIM=$(CURDIR)/$(BUILD)/tools/pbxsim/pbxsim; \
		else \
			dir=$(WIN32_BUILD); set --; \
		fi; \
		mkdir -p $$dir; \
		echo "windows: configuring $$dir (its first configure builds libcurl for Windows: minutes)"; \
		cmake --preset $$arch -B $$dir "$$@" >$$dir/configure.log 2>&1 || \
			{ tail -n 60 $$dir/configure.log >&2; echo "windows: configuring $$dir failed (log: $$dir/configure.log)" >&2; exit 1; }; \
		cmake --build $$dir -j$(JOBS); \
	done; \
	echo "windows: built $(WIN64_BUILD)/tsp8/tsp8.tsp $(WIN64_BUILD)/tools/tapihost/tapihost.exe"; \
	echo "windows: built $(WIN32_BUILD)/tsp8/tsp8.tsp $(WIN32_BUILD)/tools/tapihost/tapihost.exe"

# Builds both (and the Linux pbxsim the Wine test talks to), creating the
# Wine prefix in the background meanwhile, then runs the x64 tests under
# Wine and the x86 static checks.
windows-check: windows-bootstrap build
	@mkdir -p $(WIN64_BUILD); \
	$(WINE_ENV) base/wincheck/wine-run.sh $(CURDIR)/$(WIN64_BUILD)/wine --version \
		>$(WIN64_BUILD)/wine-prefix.log 2>&1 & prefix=$$!; \
	$(MAKE) --no-print-directory windows-build; built=$$?; \
	wait $$prefix; pfx=$$?; \
	[ $$built -eq 0 ] || exit 1; \
	[ $$pfx -eq 0 ] || { cat $(WIN64_BUILD)/wine-prefix.log >&2; echo "windows: creating the Wine prefix failed" >&2; exit 1; }; \
	$(WINE_ENV) wineserver -w; \
	rc=0; \
	echo "windows: x64 tests (under wine64)"; \
	ctest --test-dir $(WIN64_BUILD) --output-on-failure -j$(JOBS) --timeout $(CTEST_TIMEOUT) || rc=1; \
	echo "windows: x86 static checks"; \
	ctest --test-dir $(WIN32_BUILD) --output-on-failure -j$(JOBS) --timeout $(CTEST_TIMEOUT) || rc=1; \
	if [ $$rc -eq 0 ]; then echo "windows: all Windows tests passed (x64 under Wine, x86 static)"; \
	else echo "windows: Windows tests FAILED" >&2; fi; \
	exit $$rc

windows-clean:
	rm -rf $(WIN64_BUILD) $(WIN32_BUILD)

clean: windows-clean
	rm -rf $(BUILD) $(ASAN_BUILD)
