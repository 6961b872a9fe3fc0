# mailkey — see README.md. `make run` starts the app, `make test` runs every check.
SHELL := /bin/bash
GO ?= go
# The toolchain is go.mod's 'toolchain' line (go1.26.10: the standard-library
# fixes govulncheck asks for). Debian's and go.dev's Go default to
# GOTOOLCHAIN=local, which ignores that line; auto lets the go command fetch
# that exact toolchain from the module proxy once (about 70 MB, 10 s).
export GOTOOLCHAIN ?= auto
# The package of the GUI binary, which the real-window suite (e2e/) builds and drives.
GUI_PKG ?= ./cmd/mailkey-app

# Debian packages: cgo/GL for Fyne, and the real Secret Service for the tests.
DEB_BUILD := gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev
# xvfb, xdotool, x11-utils and imagemagick drive the real window in e2e/.
DEB_TEST  := $(DEB_BUILD) gnome-keyring dbus-daemon dbus-bin dbus-x11 libsecret-tools msmtp \
             git-email libmailtools-perl libnet-smtp-ssl-perl s-nail curl python3 xvfb xdotool x11-utils imagemagick \
             bash-completion zsh fish
DEB_SHOTS := $(DEB_TEST) xvfb x11-utils imagemagick curl

.PHONY: run build man package screenshots bench test check deps-build deps-test deps-screenshots deps-bench deps-package fuzz clean

run: build
	./bin/mailkey

# Two programs: mailkey, the command line (no GUI, no cgo: a static binary),
# and mailkey-app, the desktop app it starts without arguments. no_emoji
# leaves out Fyne's 4 MB colour-emoji font, which Fyne parses again for every
# text style on screen (regular, bold, monospace…): ≈ 18 MB of the app's idle
# RSS and part of its start. mailkey's own texts use no emoji; an emoji typed
# in a message is drawn from the system's fonts instead.
APP_TAGS ?= no_emoji
build: deps-build
	CGO_ENABLED=0 $(GO) build -o bin/mailkey ./cmd/mailkey
	$(GO) build -tags "$(APP_TAGS)" -o bin/mailkey-app ./cmd/mailkey-app

# The man pages, one per command (mailkey.1, mailkey-send.1, …), made by
# cobra's doc package from the command tree; 'man -l bin/man/man1/mailkey.1'.
man:
	$(GO) run ./cmd/mailkey-man -out bin/man/man1

# The Linux packages (.ci/package): the bundle bin/mailkey.tar.xz (both
# programs, icon and .desktop entry; 'tar -xJf bin/mailkey.tar.xz && sudo make
# -C mailkey install') and bin/mailkey_VERSION_amd64.deb (the same plus the
# AppStream metainfo; 'sudo apt install ./bin/mailkey_VERSION_amd64.deb').
package: build deps-package
	GO=$(GO) .ci/package

deps-package:
	@.ci/debian-deps dpkg-dev appstream desktop-file-utils xz-utils

# The README's screenshots: the real app under Xvfb against the local peers.
screenshots: deps-screenshots build
	$(GO) build -o bin/mailkey-peers ./cmd/mailkey-peers
	$(GO) build -tags "$(APP_TAGS) demo" -o bin/mailkey-app-demo ./cmd/mailkey-app
	.ci/with-keyring .ci/screenshots

deps-screenshots:
	@.ci/debian-deps $(DEB_SHOTS)

# Ratios of medians against reference tools (a minimal Go sender, msmtp, also
# through a relay with a 20 ms round trip, secret-tool, a minimal Fyne
# window), interleaved in one run; the table goes to BENCHMARKS.md.
bench: deps-bench build
	$(GO) build -o bin/mailkey-peers ./cmd/mailkey-peers
	$(GO) build -o bin/refwindow ./cmd/mailkey-bench/refwindow
	$(GO) build -o bin/floor ./cmd/mailkey-bench/floor
	.ci/with-keyring $(GO) run ./cmd/mailkey-bench -out BENCHMARKS.md

deps-bench:
	@.ci/debian-deps $(DEB_SHOTS) msmtp libsecret-tools

deps-build:
	@.ci/debian-deps $(DEB_BUILD)

deps-test:
	@.ci/debian-deps $(DEB_TEST)

# The floor: formatting, vet, a tidy module, then every test under -race with
# a private D-Bus session and an unlocked GNOME Keyring. GORACE drops the race
# detector's 1 s sleep at exit, paid by every test binary and every test that
# re-runs one (cmd/mailkey: 6.4 s → 1.5–1.9 s). e2e/ drives the real window under Xvfb,
# built with the same APP_TAGS as 'make build'. MAILKEY_REQUIRE_BUS=1: a test that
# needs the session bus fails without one here, where it is never skipped.
test: deps-test check
	GORACE="atexit_sleep_ms=0 $(GORACE)" MAILKEY_REQUIRE_BUS=1 MAILKEY_GUI_E2E=1 MAILKEY_GUI_PKG=$(GUI_PKG) MAILKEY_GUI_TAGS="$(APP_TAGS)" .ci/with-keyring $(GO) test -race -count=1 ./...

# check adds gofumpt, staticcheck, gocyclo and govulncheck to the floor. The
# linters are Go tool dependencies pinned in go.mod ('go tool X'), so a fresh
# machine needs nothing else. gofumpt (v0.12.0) is gofmt's stricter superset,
# as the model projects run it: 'go tool gofumpt -w FILE' fixes what it reports.
# gocyclo's limit of 15 applies to product code, stand-ins and commands, not
# to _test.go files: a table-driven or end-to-end test's branches are its
# checks, and splitting them would hide what a test asserts.
check: vulncheck
	@out=$$($(GO) tool gofumpt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofumpt would change (go tool gofumpt -w FILE): $$out" >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags demo ./ui/
	$(GO) mod tidy -diff
	$(GO) tool staticcheck ./...
	@out=$$($(GO) tool gocyclo -over 15 -ignore '_test.go$$' .); \
	  if [ -n "$$out" ]; then echo "gocyclo: over complexity 15, split these into named steps:" >&2; echo "$$out" >&2; exit 1; fi

# govulncheck against a local copy of Go's vulnerability database: the
# golang.org/x/vulndb module (pinned below) from the module proxy, indexed by
# its own cmd/indexdb into bin/vulndb, since these machines cannot reach
# vuln.go.dev. Part of 'check', so of 'make test': about 20 s once its build is
# cached (70 s the first time). With go1.26.8 it reported 12 standard-library
# vulnerabilities; go.mod's toolchain line (go1.26.10) fixes them.
.PHONY: vulncheck
VULNDB ?= golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018
vulncheck:
	@dir=$$($(GO) mod download -json $(VULNDB) | sed -n 's/^\t"Dir": "\(.*\)",$$/\1/p'); \
	  if [ -z "$$dir" ]; then echo "cannot download $(VULNDB)" >&2; exit 1; fi; \
	  rm -rf bin/vulndb && $(GO) run $(subst @,/cmd/indexdb@,$(VULNDB)) -vulns "$$dir/data/osv" -out bin/vulndb
	$(GO) tool govulncheck -db file://$(CURDIR)/bin/vulndb ./...

# Runs each fuzzer for a bounded time.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzPrepare$$' -fuzztime=$(FUZZTIME) ./app/sendmail
	$(GO) test -run='^$$' -fuzz='^FuzzParseClient$$' -fuzztime=$(FUZZTIME) ./app/google
	$(GO) test -run='^$$' -fuzz='^FuzzNormalizeAppPassword$$' -fuzztime=$(FUZZTIME) ./app/google
	$(GO) test -run='^$$' -fuzz='^FuzzParseReply$$' -fuzztime=$(FUZZTIME) ./app/mail
	$(GO) test -run='^$$' -fuzz='^FuzzIDTokenClaims$$' -fuzztime=$(FUZZTIME) ./app/oauth
	$(GO) test -run='^$$' -fuzz='^FuzzAccountsFile$$' -fuzztime=$(FUZZTIME) ./app/account
	$(GO) test -run='^$$' -fuzz='^FuzzSetupFile$$' -fuzztime=$(FUZZTIME) ./app/setup
	$(GO) test -run='^$$' -fuzz='^FuzzReplyLimit$$' -fuzztime=$(FUZZTIME) ./app/mail
	$(GO) test -run='^$$' -fuzz='^FuzzParseList$$' -fuzztime=$(FUZZTIME) ./app/mail
	$(GO) test -run='^$$' -fuzz='^FuzzSubject$$' -fuzztime=$(FUZZTIME) ./app/mail
	$(GO) test -run='^$$' -fuzz='^FuzzClientFromText$$' -fuzztime=$(FUZZTIME) ./app/google
	$(GO) test -run='^$$' -fuzz='^FuzzParseAPIError$$' -fuzztime=$(FUZZTIME) ./app/google
	$(GO) test -run='^$$' -fuzz='^FuzzParseAuth$$' -fuzztime=$(FUZZTIME) ./app/arrival

clean:
	rm -rf bin
