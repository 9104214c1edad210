# Hostbound: build, run and test. See README.md.
#
#   make run     install what is missing, build, open the app (ARGS="--log-level debug")
#   make test    the whole suite: Go, frontend, bindings drift, end to end, real window
#   make bench   benchmarks (never timed assertions in tests), and the REST table on Badger and PostgreSQL
#   make soak    the long reliability checks (SOAK_DURATION, default 10m)
#   make ha-test PostgreSQL primary + synchronous standby: kill, promote, no acknowledged write lost (in make test)
#   make fuzz    every Go fuzz target for FUZZTIME=60s
#   make dist    packages in build/dist/: .deb, Linux tarball, Windows installer (make dist-check tests them)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
MAKEFLAGS += --no-print-directory

GO       ?= go
NPM      ?= npm
TAGS     ?= webkit2_41
WAILS    := $(GO) tool -modfile=tools/go.mod wails
BIN      := build/bin/hostbound
DEV_BIN  := build/bin/hostbound-dev
# productVersion from wails.json, plus the commit when built from a checkout.
VERSION  ?= $(shell v=$$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json); \
              c=$$(git rev-parse --short HEAD 2>/dev/null); echo "$${v:-0.0.0}$${c:++$$c}")
LDFLAGS  := -w -s -X main.version=$(VERSION)
ARGS     ?=
# Go packages, without the stray ones npm puts under frontend/node_modules.
GO_PKGS   = $$($(GO) list ./... | grep -v '/frontend/')
FUZZTIME ?= 10s

NODE_STAMP   := frontend/node_modules/.package-lock.json
# go:embed all:frontend/dist needs the directory to exist before any Go build.
DIST_KEEP    := frontend/dist/.keep
FRONTEND_OUT := frontend/dist/index.html
FRONTEND_SRC := $(shell find frontend/src frontend/wailsjs frontend/public -type f 2>/dev/null) \
                $(wildcard frontend/index.html frontend/package.json frontend/tsconfig*.json \
                           frontend/vite.config.* frontend/postcss.config.*)

.PHONY: all deps deps-run frontend bindings build build-dev run test bench clean \
        vet fmt-check go-test fuzz-short typecheck lint unit bindings-check e2e window-check \
        reliability soak fuzz dist dist-check ha-test

all: build

## ---- dependencies ----------------------------------------------------------

# Everything make test needs: build and test system packages, npm packages.
deps: $(NODE_STAMP)
	@tools/install-deps.sh

# Only what make run needs (no browser, Xvfb or keyring daemon).
deps-run: $(NODE_STAMP)
	@tools/install-deps.sh --run

# npm ci when node_modules is missing or older than package-lock.json.
$(NODE_STAMP): frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch $@

## ---- build -----------------------------------------------------------------

frontend: $(FRONTEND_OUT)

$(DIST_KEEP):
	@mkdir -p $(@D) && touch $@

# vite empties dist/, so the committed placeholder (for go:embed) is put back.
$(FRONTEND_OUT): $(NODE_STAMP) $(FRONTEND_SRC)
	cd frontend && $(NPM) run build
	@touch frontend/dist/.keep $@

bindings: $(DIST_KEEP)
	$(WAILS) generate module -tags $(TAGS)

# Production binary. The smoke check catches a binary built without the
# Wails tags (it would only print an error and exit 0) and a broken --version.
build: frontend
	$(GO) build -tags desktop,production,$(TAGS) -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .
	@if grep -qa 'will not build without the correct build tags' $(BIN); then \
	  echo "build: $(BIN) was built without the Wails build tags" >&2; exit 1; fi
	@out=$$(timeout 20 ./$(BIN) --version 2>&1) || { echo "build: '$(BIN) --version' failed: $$out" >&2; exit 1; }; \
	  case "$$out" in hostbound\ *) echo "build: $(BIN) ok ($$out, $$(du -h $(BIN) | cut -f1))";; \
	  *) echo "build: unexpected '$(BIN) --version' output: $$out" >&2; exit 1;; esac

# Dev binary for the end-to-end tests: serves the UI from frontend/dist to any
# browser when started with env assetdir=... devserver=127.0.0.1:PORT.
build-dev: frontend
	$(GO) build -tags dev,$(TAGS) -o $(DEV_BIN) .

## ---- run -------------------------------------------------------------------

run: deps-run build
	./$(BIN) $(ARGS)

## ---- test ------------------------------------------------------------------

# The whole suite; every step runs, a summary line ends it, any failure fails it.
test: deps
	@MAKE="$(MAKE)" tools/test.sh

vet: $(DIST_KEEP)
	$(GO) vet $(GO_PKGS)

fmt-check:
	@files=$$(find . -name '*.go' -not -path './frontend/*' -not -path './build/*' -not -path './tmp/*' -print0 \
	  | xargs -0r gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt: these files need formatting (gofmt -w):"; echo "$$files"; exit 1; fi; \
	echo "gofmt: ok"

# Under a private D-Bus session with gnome-keyring: the Secret Service tests
# must run, not skip (HOSTBOUND_REQUIRE_SECRET_SERVICE=1 makes a skip a failure).
go-test: $(DIST_KEEP)
	tools/with-secret-service.sh env HOSTBOUND_REQUIRE_SECRET_SERVICE=1 $(GO) test -race $(GO_PKGS)

# Each Fuzz target for FUZZTIME (default 10s).
fuzz-short: $(DIST_KEEP)
	FUZZ_FRESH_CACHE=1 FUZZTIME=$(FUZZTIME) tools/fuzz-short.sh

# Reliability and security (backend/reliability): the real `hostbound serve`
# killed under write load, brute force, secret leaks, bad input, key
# regeneration under load, disk full on a tmpfs (root only). Quick.
reliability: $(DIST_KEEP)
	HOSTBOUND_RELIABILITY=1 $(GO) test -count=1 -timeout 10m -v ./backend/reliability/

# The long ones: 20 SIGKILLs under load, 64 clients for SOAK_DURATION.
SOAK_DURATION ?= 10m
soak: $(DIST_KEEP)
	HOSTBOUND_SOAK=1 HOSTBOUND_CRASH_KILLS=20 SOAK_DURATION=$(SOAK_DURATION) \
	  $(GO) test -count=1 -timeout 0 -v -run 'TestCrashSafety|TestSoak' ./backend/reliability/

# Failover: each test starts its own primary and synchronous standby (~2.5-6 s)
# and SIGKILLs the primary under load, then promotes the standby. The store's
# test: every acknowledged write is on it (16 writers). serve's: every answer
# is the password or a 503 with Retry-After, serve recovers by itself, every
# received password is audited. ~25 s in all; make test runs it. It fails
# unless both passed, a skip included (PostgreSQL's binaries missing).
ha-test: $(DIST_KEEP)
	HOSTBOUND_HA_TEST=1 $(GO) test ./backend/store/ ./backend/reliability/ -run 'Failover' -count=1 -v -timeout 5m 2>&1 | \
	  awk '{ print } /^--- PASS: TestPostgresFailover/ { store = 1 } /^--- PASS: TestServeAcrossAFailover/ { serve = 1 } \
	    END { if (!store || !serve) { print "ha-test: a failover test did not pass (skipped?)" > "/dev/stderr"; exit 1 } }'

# Every fuzz target for 60 s (make fuzz FUZZTIME=5m for longer).
fuzz: $(DIST_KEEP)
	FUZZTIME=$(if $(filter command line environment,$(origin FUZZTIME)),$(FUZZTIME),60s) tools/fuzz-short.sh

typecheck: $(NODE_STAMP)
	cd frontend && $(NPM) run typecheck

lint: $(NODE_STAMP)
	cd frontend && $(NPM) run lint

unit: $(NODE_STAMP)
	cd frontend && $(NPM) test

# Regenerate frontend/wailsjs and fail if it differs from what was there
# (in a fresh clone: from what is committed).
bindings-check: $(DIST_KEEP)
	tools/check-bindings.sh

# End to end: dev binary + Chromium (Playwright) with a real Secret Service
# and in passphrase mode. Screenshots: build/test-artifacts/e2e-*.png.
e2e: build-dev
	tools/with-secret-service.sh env HOSTBOUND_DEV_BIN="$(CURDIR)/$(DEV_BIN)" \
	  HOSTBOUND_ASSET_DIR="$(CURDIR)/frontend/dist" HOSTBOUND_ARTIFACTS="$(CURDIR)/build/test-artifacts" \
	  bash -c 'cd frontend && node e2e/run.mjs'

# The production binary opens a real window (Xvfb), keyring and passphrase mode.
window-check: build
	tools/with-secret-service.sh bash -c 'rc=0; tools/window-check.sh keyring || rc=1; tools/window-check.sh passphrase || rc=1; exit $$rc'

## ---- packages --------------------------------------------------------------

# build/dist/: hostbound_$(VERSION)_amd64.deb (nfpm), the Linux tarball, the
# cross-built Windows installer (wails + makensis) and SHA256SUMS; see
# tools/dist/build.sh. Release builds set VERSION=x.y.z.
dist: build
	BIN="$(BIN)" GO="$(GO)" tools/dist/build.sh

# Part of make test: the .deb installed into a fresh root with dpkg and purged
# (plus on this system when root in CI), its unit verified; the installer's
# payload listed and the exe a PE; the tarball's binary opens a window.
dist-check: dist
	tools/dist/check.sh

# Go benchmarks, then the REST table on both stores (issue 16): 1 API user,
# one rep, the embedded store beside PostgreSQL (a throwaway cluster).
bench: $(DIST_KEEP)
	$(GO) test -run '^$$' -bench . -benchmem $(GO_PKGS)
	BENCH_STORES="badger postgres" BENCH_USERS=1 BENCH_REPS=1 tools/bench-rest.sh

# The REST API out of process (issue 14): hostbound serve vs the bare TLS
# handler of ../shared/bench, c = 1, 16, 64, ratios, p50/p99, RSS, with 1
# and 100,000 API users; about 12 min. Not run by CI or make test. Quick:
# make bench-rest BENCH_SECONDS=3 BENCH_REPS=1; profiles: ARGS=--profile.
.PHONY: bench-rest
bench-rest: $(DIST_KEEP)
	tools/bench-rest.sh $(ARGS)

clean:
	rm -rf build/bin build/test-artifacts build/dist build/pkg build/windows/installer/tmp
	find frontend/dist -mindepth 1 ! -name .keep -delete 2>/dev/null || true
