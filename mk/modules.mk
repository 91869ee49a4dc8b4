# Releasing the Go modules (docs/releasing.md): every module go.work uses,
# except tools/, is released together at one version, tagged <dir>/vX.Y.Z,
# with an annotated vX.Y.Z for the release as a whole.
#
#   make release-prepare VERSION=v0.2.0  go.mod, go.sum and go.work for the
#                                        release commit (clean tree needed)
#   make release-tag VERSION=v0.2.0      check the commit, then tag it
#   make release-check                   rehearse a release of the work tree
#                                        in $(RELEASE_CHECK_DIR): prepare,
#                                        commit and tag in a scratch clone,
#                                        serve it from a file GOPROXY, go
#                                        install from outside with GOWORK=off
#   make mod-tidy [MODULES="sdk ..."]    go mod tidy with the siblings of the
#                                        work tree (plain go mod tidy would
#                                        fetch the released ones)

MODRELEASE            := $(BIN)/modrelease
MODRELEASE_FLAGS      := -skip tools
# A new version every run: Go caches what a module version holds (its
# package index, in the build cache) for ever, so a rehearsal that reused
# one version would see the packages of an earlier work tree.
RELEASE_CHECK_VERSION ?= $(eval RELEASE_CHECK_VERSION := v0.1.0-check.$$(shell date -u +%Y%m%d%H%M%S))$(RELEASE_CHECK_VERSION)
RELEASE_CHECK_DIR     ?= $(CACHE)/release-check
# What go install users type (docs/releasing.md): the conformance CLI at
# the version, the lightest resolver at @latest.
RELEASE_CHECK_INSTALL := \
	github.com/execref/execref/conformance/cmd/openclaw-resolver-conformance \
	github.com/execref/execref/resolvers/vault/cmd/openclaw-vault-resolver@latest

.PHONY: modrelease release-prepare release-tag release-check mod-tidy

modrelease:
	@mkdir -p $(BIN)
	go build -o $(MODRELEASE) ./tools/cmd/modrelease

# VERSION has a default (git describe) for make build; a release names it.
release_version = $(if $(filter command line environment,$(origin VERSION)),$(VERSION),$(error name the release: make $@ VERSION=vX.Y.Z))

release-prepare: modrelease
	$(MODRELEASE) $(MODRELEASE_FLAGS) prepare $(release_version)

release-tag: modrelease
	$(MODRELEASE) $(MODRELEASE_FLAGS) tag $(release_version)

# The installed binaries must report the version through --version
# (sdk.BuildVersion reads what go install recorded); modrelease check has
# read their build information too.
release-check: modrelease
	$(MODRELEASE) $(MODRELEASE_FLAGS) check -work $(RELEASE_CHECK_DIR) $(RELEASE_CHECK_VERSION) $(RELEASE_CHECK_INSTALL)
	@out=$$($(RELEASE_CHECK_DIR)/bin/openclaw-vault-resolver --version) && echo "$$out" && \
	  case "$$out" in "openclaw-vault-resolver $(RELEASE_CHECK_VERSION) "*) ;; \
	    *) echo "release-check: openclaw-vault-resolver --version does not report $(RELEASE_CHECK_VERSION)"; exit 1;; esac
	@out=$$($(RELEASE_CHECK_DIR)/bin/openclaw-resolver-conformance --version) && echo "$$out" && \
	  case "$$out" in "openclaw-resolver-conformance $(RELEASE_CHECK_VERSION) "*) ;; \
	    *) echo "release-check: openclaw-resolver-conformance --version does not report $(RELEASE_CHECK_VERSION)"; exit 1;; esac
	@echo "release-check: go install …@$(RELEASE_CHECK_VERSION) from the file proxy works"

mod-tidy: modrelease
	$(MODRELEASE) $(MODRELEASE_FLAGS) tidy $(MODULES)
