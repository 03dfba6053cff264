# Entry points.  `make demo` and `make check` are the two set-up commands of
# the README: both install what they need (scripts/bootstrap) and build.
BUILD    ?= build
ASAN_BUILD ?= build-asan
JOBS     ?= 2
CTEST_TIMEOUT ?= 600

.PHONY: all bootstrap build check demo asan asan-check clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

check: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) --timeout $(CTEST_TIMEOUT)

demo: build
	@scripts/demo $(BUILD)

# AddressSanitizer + UndefinedBehaviorSanitizer build of the whole suite.
asan: bootstrap
	@cmake --preset asan >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

asan-check: asan
	@ctest --preset asan --timeout $(CTEST_TIMEOUT)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
