# Man pages (section 1) and bash, zsh and fish completions of the shipped
# binaries, written by the binaries themselves (`BIN man`, `BIN completion
# SHELL`) from the flag sets they parse, so that they cannot drift from
# --help:
#
#   make man-completions   build/man/BIN.1
#                          build/completions/bash/BIN
#                          build/completions/zsh/_BIN
#                          build/completions/fish/BIN.fish
#
# The binaries are built for this machine into build/host/. The same source
# gives the same bytes: a page's date is the day of SOURCE_DATE_EPOCH
# (default: the last commit's time), never the clock's, and its version
# MAN_VERSION (default: make build's).

MANCOMP_MAINS := \
	./resolvers/sops/cmd/openclaw-sops-resolver \
	./resolvers/vault/cmd/openclaw-vault-resolver \
	./resolvers/aws/cmd/openclaw-aws-resolver \
	./resolvers/onepassword/cmd/openclaw-1password-resolver \
	./sdk/cmd/openclaw-resolver-run \
	./conformance/cmd/openclaw-resolver-conformance
MANCOMP_BINS   := $(notdir $(MANCOMP_MAINS))
MANCOMP_HOST   := build/host
MAN_VERSION    ?= $(VERSION)
MAN_DATE_EPOCH ?= $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct HEAD 2>/dev/null))

.PHONY: man-completions

man-completions:
	@mkdir -p $(MANCOMP_HOST) build/man build/completions/bash build/completions/zsh build/completions/fish
	GOOS=$$(go env GOHOSTOS) GOARCH=$$(go env GOHOSTARCH) go build -trimpath \
	  -ldflags '-s -w -X github.com/execref/execref/sdk.Version=$(MAN_VERSION)' -o $(MANCOMP_HOST)/ $(MANCOMP_MAINS)
	@set -e; for bin in $(MANCOMP_BINS); do \
	  write() { out=$$1; shift; "$$@" >"$$out.tmp"; mv "$$out.tmp" "$$out"; }; \
	  write build/man/$$bin.1 env SOURCE_DATE_EPOCH='$(MAN_DATE_EPOCH)' $(MANCOMP_HOST)/$$bin man; \
	  write build/completions/bash/$$bin $(MANCOMP_HOST)/$$bin completion bash; \
	  write build/completions/zsh/_$$bin $(MANCOMP_HOST)/$$bin completion zsh; \
	  write build/completions/fish/$$bin.fish $(MANCOMP_HOST)/$$bin completion fish; \
	done
	@echo "man-completions: $(words $(MANCOMP_BINS)) pages in build/man, their completions in build/completions"
