# mailkey — see README.md. `make run` starts the app, `make test` runs every check.
SHELL := /bin/bash
GO ?= go

# Debian packages: cgo/GL for Fyne, and the real Secret Service for the tests.
DEB_BUILD := gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev
DEB_TEST  := $(DEB_BUILD) gnome-keyring dbus-daemon dbus-bin dbus-x11 libsecret-tools

.PHONY: run build test check deps-build deps-test fuzz clean

run: build
	./bin/mailkey

build: deps-build
	$(GO) build -o bin/mailkey ./cmd/mailkey

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
	$(GO) test -run='^$$' -fuzz='^FuzzParseClient$$' -fuzztime=$(FUZZTIME) ./app/google
	$(GO) test -run='^$$' -fuzz='^FuzzNormalizeAppPassword$$' -fuzztime=$(FUZZTIME) ./app/google
	$(GO) test -run='^$$' -fuzz='^FuzzParseReply$$' -fuzztime=$(FUZZTIME) ./app/mail

clean:
	rm -rf bin
