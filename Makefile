# PotteryKit + pottery-cli: set-up, build, test, demo, install.
#
#   make deps      install what is missing (apt: hiredis, redis; PyPI: pottery 3.0.1)
#   make build     debug build
#   make release   release build of pottery-cli
#   make test      deps, build the tests, run them (they start their own redis-servers);
#                  TEST_ARGS="--filter Readme" passes arguments to `swift test`; then the
#                  release (static) binary's host name resolution (scripts/check-static-binary.sh)
#   make demo      deps, release build, a short CLI session against a private redis-server
#   make install   PREFIX=/usr/local (and DESTDIR=) from the release build (or BINARY=path):
#                  bin/pottery-cli, share/man/man1/pottery-cli.1 and the completions where
#                  bash, zsh and fish look; `make uninstall` (same PREFIX, DESTDIR) removes them
#   make deb       pottery-cli_<version>_<arch>.deb in DEB_DIR (default .) from the release
#                  build (or BINARY=path), with dpkg-deb
#   make docs      PotteryKit's DocC documentation (.build/docs/PotteryKit.doccarchive); fails on broken links
#   make check-sanitizers  ASan and TSan builds (.build/asan, .build/tsan) over the riskiest suites,
#                  valgrind over CLI commands (scripts/check-sanitizers.sh; not in CI: three builds)
#   make bench     every benchmark side by side with its anchors (scripts/bench.sh; the report also
#                  goes to .build-bench/report.md); needs hyperfine, installed if missing
#   make bench-smoke  the same, each scenario for a fraction of a second on a debug build (.ci/run)
#   make bench-startup     re-measure BENCHMARKS.md's one-shot table (static executable, redis-cli, C)
#   make bench-listing     re-measure its 1,000,000-element listing table (pottery-cli vs redis-cli)
#   make bench-primitives  re-measure its Redlock/NextID throughput table (5 private redis-servers)
#   make bench-async       re-measure its async table (100 tasks on one connection vs sync vs pipelined C)
#   make bench-containers  re-measure its container tables (C hiredis, redis-benchmark, Python pottery)
#   make bench-instructions  client instructions per single operation (callgrind), PotteryKit vs C hiredis
#   make bench-probabilistic  re-measure its Bloom/HyperLogLog table, next to Python pottery
#   make bench-cluster     re-measure its Redis Cluster table (one server vs a private 3-master cluster)
#   make bench-cache       re-measure its cache table (memoized calls vs pottery's @redis_cache and C;
#                          a `cache run` hit from a shell vs redis-cli and C)
#   make clean

SHELL := /bin/bash
.DEFAULT_GOAL := build

# The Swift toolchain: `swift` on PATH, else the one in /opt/swift.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
PYTHON ?= python3
PREFIX ?= /usr/local
DESTDIR ?=
# `make install BINARY=path` or `make deb BINARY=path` packs that binary instead of
# building the release one (the tests pass their debug build).
BINARY ?=
DEB_DIR ?= .

# A fully static executable (Swift runtime, hiredis from libhiredis.a, glibc): measured
# fastest at start-up and smallest in memory (BENCHMARKS.md). glibc's getaddrinfo keeps
# reading /etc/nsswitch.conf, /etc/hosts and DNS (`files` and `dns` are built into glibc
# since 2.34; scripts/check-static-binary.sh tests it), hence the linker's getaddrinfo
# warning. `make release STATIC="-Xswiftc -static-stdlib"` links libc and libhiredis
# dynamically; `make release STATIC=` the Swift runtime too.
STATIC ?= -Xswiftc -static-executable
# Concrete generic metadata (RedisDict<JSONValue, JSONValue>, Set<String>, ...) through the
# types' metadata accessors with their witness tables, not by demangling a type name at run
# time: the runtime then never scans the binary's 2,000 protocol conformance records at
# start-up (callgrind: a one-shot `dict set` 1.32 M instructions -> 0.52 M; BENCHMARKS.md).
METADATA_ACCESSORS ?= -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
RELEASE_FLAGS := -c release --product pottery-cli $(STATIC) $(METADATA_ACCESSORS)

# zsh, fish, mandoc, groff and man check the generated completions and man page in the tests;
# binutils' readelf finds the libraries `make deb` depends on.
APT_PACKAGES := libhiredis-dev redis-server redis-tools zsh fish mandoc groff-base man-db binutils
POTTERY_VERSION := 3.0.1
# Root needs no sudo; everyone else does.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0

.PHONY: all deps deps-apt deps-python build release release-bin-path test check-sanitizers docs demo install uninstall deb bench bench-tools bench-smoke bench-startup bench-listing bench-primitives bench-async bench-containers bench-instructions bench-probabilistic bench-cluster bench-cache clean

all: build

deps: deps-apt deps-python

deps-apt:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
	  echo "make deps: installing $(APT_PACKAGES)"; \
	  $(APT_GET) update >/dev/null && \
	  $(APT_GET) install --no-install-recommends $(APT_PACKAGES) >/dev/null; }
	@# Debian starts a redis-server service on port 6379 when it installs one;
	@# nothing here needs it (tests and demo start private servers).

# pottery 3.0.1 (pinned) and redis-py for the `python3` on PATH: the tests and the
# demo compare the CLI with Python pottery. Debian's own python3 needs pip from apt
# and refuses global installs without --break-system-packages (PEP 668).
deps-python:
	@$(PYTHON) -c 'import importlib.metadata as m, redis; assert m.version("pottery") == "$(POTTERY_VERSION)"' 2>/dev/null || { \
	  echo "make deps: installing pottery==$(POTTERY_VERSION) redis"; \
	  command -v $(PYTHON) >/dev/null && $(PYTHON) -m pip --version >/dev/null 2>&1 || { \
	    $(APT_GET) update >/dev/null && $(APT_GET) install --no-install-recommends python3 python3-pip >/dev/null; }; \
	  $(PYTHON) -m pip install -q --disable-pip-version-check "pottery==$(POTTERY_VERSION)" redis 2>/dev/null || \
	  $(PYTHON) -m pip install -q --disable-pip-version-check --break-system-packages "pottery==$(POTTERY_VERSION)" redis; }

build:
	$(SWIFT) build

release:
	$(SWIFT) build $(RELEASE_FLAGS)

# The path of the release binary, without building.
RELEASE_BIN = $(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/pottery-cli

# Prints it (for scripts).
release-bin-path:
	@echo "$(RELEASE_BIN)"

# Runs the tests with a private TMPDIR, so that every redis-server they start
# (config dirs $$TMPDIR/pottery-test-redis-*) can be found and killed afterwards,
# even when the test process crashes; keeps the tests' exit status.
test: deps
	@scripts/run-tests.sh "$(SWIFT)" $(TEST_ARGS)
	@$(MAKE) --no-print-directory release
	@scripts/check-static-binary.sh "$(RELEASE_BIN)"

check-sanitizers: deps
	@command -v valgrind >/dev/null || { $(APT_GET) update >/dev/null && \
	  $(APT_GET) install --no-install-recommends valgrind >/dev/null; }
	@scripts/check-sanitizers.sh "$(SWIFT)"

docs:
	@scripts/build-docs.sh "$(SWIFT)"

demo: deps release
	@POTTERY_CLI="$(RELEASE_BIN)" REDIS_SERVERS=3 scripts/with-redis.sh scripts/demo.sh

# What install and deb ship, and the release build they need unless BINARY is given.
SHIPPED_BIN = $(or $(BINARY),$(RELEASE_BIN))
SHIPPED_DEPS = $(if $(BINARY),,release)
INSTALL_DIR = $(DESTDIR)$(PREFIX)

install: $(SHIPPED_DEPS)
	install -D -m 0755 "$(SHIPPED_BIN)" "$(INSTALL_DIR)/bin/pottery-cli"
	install -D -m 0644 man/pottery-cli.1 "$(INSTALL_DIR)/share/man/man1/pottery-cli.1"
	install -D -m 0644 completions/pottery-cli.bash "$(INSTALL_DIR)/share/bash-completion/completions/pottery-cli"
	install -D -m 0644 completions/_pottery-cli "$(INSTALL_DIR)/share/zsh/site-functions/_pottery-cli"
	install -D -m 0644 completions/pottery-cli.fish "$(INSTALL_DIR)/share/fish/vendor_completions.d/pottery-cli.fish"

uninstall:
	rm -f "$(INSTALL_DIR)/bin/pottery-cli" \
	  "$(INSTALL_DIR)/share/man/man1/pottery-cli.1" \
	  "$(INSTALL_DIR)/share/bash-completion/completions/pottery-cli" \
	  "$(INSTALL_DIR)/share/zsh/site-functions/_pottery-cli" \
	  "$(INSTALL_DIR)/share/fish/vendor_completions.d/pottery-cli.fish"

deb: $(SHIPPED_DEPS)
	@scripts/build-deb.sh "$(SHIPPED_BIN)" "$(DEB_DIR)"

bench-tools: deps
	@command -v hyperfine >/dev/null || { $(APT_GET) update >/dev/null && \
	  $(APT_GET) install --no-install-recommends hyperfine >/dev/null; }

bench: bench-tools
	@scripts/bench.sh "$(SWIFT)"

bench-smoke: bench-tools
	@scripts/bench.sh "$(SWIFT)" --smoke

bench-startup: bench-tools
	@scripts/bench-startup.sh "$(SWIFT)"

bench-listing: deps
	@scripts/bench-listing.sh "$(SWIFT)"

bench-primitives: deps
	@scripts/bench-primitives.sh "$(SWIFT)"

bench-async: deps
	@scripts/bench-async.sh "$(SWIFT)"

bench-containers: deps
	@scripts/bench-containers.sh "$(SWIFT)"

bench-instructions: deps
	@scripts/bench-instructions.sh "$(SWIFT)"

bench-probabilistic: deps
	@scripts/bench-probabilistic.sh "$(SWIFT)"

bench-cluster: deps
	@scripts/bench-cluster.sh "$(SWIFT)"

bench-cache: bench-tools
	@scripts/bench-cache.sh "$(SWIFT)"

clean:
	rm -rf .build
