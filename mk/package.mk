# Packaging: release archives (linux and darwin, amd64 and arm64), .deb
# packages (one per binary, plus the meta package execref), checksums and
# Homebrew formulae, built offline and reproducibly into dist/ by goreleaser
# (.goreleaser.yaml), the scripts in packaging/ and the tools
# execref-licenses and execref-homebrew (tools/cmd, in go.work).
#
#   make package                        everything, all four targets
#   make package TARGETS=linux_amd64    one target (CI); comma or space separated
#   make package-check                  lintian on every .deb, the contents of
#                                       archives and packages, the formulae
#   make package-repro                  build twice, compare byte for byte
#   make package-test                   the tools' and packaging scripts' tests
#
# Only `go list` and `go install` of goreleaser may use the network (the Go
# module proxy): goreleaser itself runs with GOPROXY=off, from the module
# cache the licence step has filled.

GORELEASER_VERSION := v2.16.0
GORELEASER := $(CACHE)/tools/goreleaser-$(GORELEASER_VERSION)/goreleaser

comma := ,
PACKAGE_ALL_TARGETS := linux_amd64 linux_arm64 darwin_amd64 darwin_arm64
TARGETS ?= $(PACKAGE_ALL_TARGETS)
package_targets := $(sort $(subst $(comma), ,$(TARGETS)))
package_unknown := $(filter-out $(PACKAGE_ALL_TARGETS),$(package_targets))

# The shipped binaries: NAME=main package directory. .goreleaser.yaml has a
# build, an archive and a package for each.
PACKAGE_MAINS := \
	openclaw-sops-resolver=resolvers/sops/cmd/openclaw-sops-resolver \
	openclaw-vault-resolver=resolvers/vault/cmd/openclaw-vault-resolver \
	openclaw-aws-resolver=resolvers/aws/cmd/openclaw-aws-resolver \
	openclaw-1password-resolver=resolvers/onepassword/cmd/openclaw-1password-resolver \
	openclaw-resolver-run=sdk/cmd/openclaw-resolver-run \
	openclaw-resolver-conformance=conformance/cmd/openclaw-resolver-conformance
PACKAGE_BINS := $(foreach m,$(PACKAGE_MAINS),$(firstword $(subst =, ,$(m))))

# Computed once, when first used: the package version (X.Y.Z on a release
# tag, X.Y.Z+git<time>.<commit> otherwise) and its Go semver for the binaries.
PACKAGE_VERSION = $(eval PACKAGE_VERSION := $$(shell packaging/version.sh))$(PACKAGE_VERSION)
PACKAGE_BIN_VERSION = $(eval PACKAGE_BIN_VERSION := $$(shell packaging/version.sh --semver))$(PACKAGE_BIN_VERSION)
PACKAGE_COMMIT_TIMESTAMP = $(shell git log -1 --format=%ct HEAD)
PACKAGE_COMMIT_DATE = $(shell TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd HEAD)
PACKAGE_MAINTAINER = $(shell sed -n 's/^ *maintainer: &maintainer "\(.*\)"$$/\1/p' .goreleaser.yaml)

DIST ?= dist
# What writes build/man and build/completions (mk/man-completions.mk).
PACKAGE_DOCS ?= man-completions
PACKAGE_TOOLS := $(CURDIR)/build/tools

# goreleaser offline and with the local toolchain only; the versions it
# stamps come from make.
PACKAGE_ENV := GOPROXY=off GOFLAGS=-mod=readonly GOTOOLCHAIN=local \
	EXECREF_PACKAGE_VERSION='$(PACKAGE_VERSION)' EXECREF_BIN_VERSION='$(PACKAGE_BIN_VERSION)' \
	EXECREF_COMMIT_DATE=$(PACKAGE_COMMIT_DATE) EXECREF_COMMIT_TIMESTAMP=$(PACKAGE_COMMIT_TIMESTAMP)
# No .deb without a linux target.
PACKAGE_SKIP := $(if $(filter linux_%,$(package_targets)),,--skip=nfpm)

.PHONY: package package-inputs package-tools package-check package-repro package-test homebrew-check

package: package-inputs $(GORELEASER)
	packaging/goreleaser-config.sh '$(DIST)' '$(PACKAGE_VERSION)' '$(package_targets)' >build/goreleaser.yaml
	$(PACKAGE_ENV) $(GORELEASER) check --config build/goreleaser.yaml
	$(PACKAGE_ENV) $(GORELEASER) release --snapshot --clean --config build/goreleaser.yaml $(PACKAGE_SKIP)
	$(PACKAGE_TOOLS)/execref-homebrew -dist '$(DIST)' -version '$(PACKAGE_VERSION)' -tag '$(PACKAGE_BIN_VERSION)' $(PACKAGE_BINS)
	@echo "package: $(PACKAGE_VERSION) for $(package_targets) in $(DIST)/"

# Everything the archives and packages hold besides the binaries, under
# build/: man pages and completions, every linked module's licence for
# each binary and target, the Debian changelog, the archive trees.
package-inputs: $(PACKAGE_DOCS) package-tools
	@if [ -n '$(package_unknown)' ]; then echo "TARGETS: unknown $(package_unknown); choose from $(PACKAGE_ALL_TARGETS)"; exit 1; fi
	rm -rf build/licenses
	$(PACKAGE_TOOLS)/execref-licenses -out build/licenses -targets '$(subst $() ,$(comma),$(package_targets))' $(PACKAGE_MAINS)
	packaging/stage.sh '$(PACKAGE_VERSION)' '$(PACKAGE_MAINTAINER)' '$(package_targets)' '$(PACKAGE_BINS)'

# The man pages carry the version the packaged binaries print.
package-inputs: MAN_VERSION = $(PACKAGE_BIN_VERSION)

package-tools:
	go build -trimpath -o $(PACKAGE_TOOLS)/ ./tools/cmd/execref-licenses ./tools/cmd/execref-homebrew

$(GORELEASER):
	@mkdir -p $(dir $@)
	GOBIN=$(dir $@) GOTOOLCHAIN=local go install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)

# lintian (Debian's lintian package) on every .deb: no error may remain;
# the contents of every archive and package; the Homebrew formulae.
package-check: homebrew-check
	packaging/check-dist.sh '$(DIST)' '$(PACKAGE_VERSION)' '$(package_targets)' '$(PACKAGE_BINS)'

# Homebrew: ruby -c on every formula (Debian's ruby package); every
# formula's version, URLs and sha256 against dist/checksums.txt and the
# archives themselves; then, when this machine's target was built, each
# formula's install and test blocks run on its archive (brewtest.rb).
PACKAGE_HOST = $(shell go env GOOS)_$(shell go env GOARCH)
homebrew-check: package-tools
	@for f in $(DIST)/homebrew/Formula/*.rb; do ruby -c "$$f" >/dev/null || exit 1; done
	$(PACKAGE_TOOLS)/execref-homebrew check -dist '$(DIST)' -version '$(PACKAGE_VERSION)' -tag '$(PACKAGE_BIN_VERSION)' $(PACKAGE_BINS)
	$(if $(filter $(PACKAGE_HOST),$(package_targets)),for b in $(PACKAGE_BINS); do \
	  ruby packaging/homebrew/brewtest.rb $(DIST)/homebrew/Formula/$$b.rb $(DIST) || exit 1; done)

# Two complete builds, inputs included, into build/repro/{1,2}, the second
# with an empty Go build cache so that the binaries are compiled again, not
# taken from the first build; then every archive, package, checksum file and
# formula compared byte for byte.
PACKAGE_REPRO := build/repro
package-repro:
	rm -rf $(PACKAGE_REPRO)
	$(MAKE) --no-print-directory package DIST=$(PACKAGE_REPRO)/1
	GOCACHE=$(CURDIR)/$(PACKAGE_REPRO)/gocache $(MAKE) --no-print-directory package DIST=$(PACKAGE_REPRO)/2
	packaging/compare-dist.sh $(PACKAGE_REPRO)/1 $(PACKAGE_REPRO)/2
	rm -rf $(PACKAGE_REPRO)/gocache

# The tools module is in go.work, so make lint and make test cover it too;
# this is the packaging part alone: the tools (licences, Homebrew formulae,
# modrelease) and the tests of the scripts in packaging/
# (tools/internal/packagingscripts).
package-test: $(STATICCHECK)
	go vet ./tools/...
	$(STATICCHECK) ./tools/...
	go test -race -count=1 ./tools/...
