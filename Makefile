# mailkey — see README.md. `make run` starts the app, `make test` runs every check.
SHELL := /bin/bash
GO ?= go

# Debian packages: cgo/GL for Fyne, and the real Secret Service for the tests.
DEB_BUILD := gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev
DEB_TEST  := $(DEB_BUILD) gnome-keyring dbus-daemon dbus-bin dbus-x11 libsecret-tools msmtp \
             git-email libmailtools-perl s-nail curl python3 bash-completion zsh fish
DEB_SHOTS := $(DEB_TEST) xvfb x11-utils imagemagick curl

.PHONY: run build man package screenshots bench test check deps-build deps-test deps-screenshots deps-bench fuzz clean

run: build
	./bin/mailkey

build: deps-build
	$(GO) build -o bin/mailkey ./cmd/mailkey

# The man pages, one per command (mailkey.1, mailkey-send.1, …), made by
# cobra's doc package from the command tree; 'man -l bin/man/man1/mailkey.1'.
man:
	$(GO) run ./cmd/mailkey-man -out bin/man/man1

# The Linux bundle: binary, icon and .desktop entry (install it with
# 'tar -xJf bin/mailkey.tar.xz && sudo make -C mailkey install').
package: build
	$(GO) tool fyne package -os linux --exe bin/mailkey --name mailkey
	mv mailkey.tar.xz bin/

# The README's screenshots: the real app under Xvfb against the local peers.
screenshots: deps-screenshots build
	$(GO) build -o bin/mailkey-peers ./cmd/mailkey-peers
	.ci/with-keyring .ci/screenshots

deps-screenshots:
	@.ci/debian-deps $(DEB_SHOTS)

# Ratios of medians against reference tools (msmtp, secret-tool, a minimal
# Fyne window), interleaved in one run; the table goes to BENCHMARKS.md.
bench: deps-bench build
	$(GO) build -o bin/mailkey-peers ./cmd/mailkey-peers
	$(GO) build -o bin/refwindow ./cmd/mailkey-bench/refwindow
	.ci/with-keyring $(GO) run ./cmd/mailkey-bench -out BENCHMARKS.md

deps-bench:
	@.ci/debian-deps $(DEB_SHOTS) msmtp libsecret-tools

deps-build:
	@.ci/debian-deps $(DEB_BUILD)

deps-test:
	@.ci/debian-deps $(DEB_TEST)

# The floor: formatting, vet, a tidy module, then every test under -race with
# a private D-Bus session and an unlocked GNOME Keyring.
test: deps-test check
	.ci/with-keyring $(GO) test -race -count=1 ./...

check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change: $$out" >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff

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

clean:
	rm -rf bin
