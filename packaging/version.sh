#!/bin/sh
# Prints the version the packages of the current commit carry.
#
#   packaging/version.sh          the package version: archives, .deb, Homebrew
#   packaging/version.sh --semver the same as a Go semver, stamped into the
#                                 binaries (sdk.Version), as `git describe`
#                                 gives it on a release tag
#
# A commit tagged vX.Y.Z (the plain release tag; the per-module tags
# protocol/vX.Y.Z and so on are ignored) in a clean tree gives X.Y.Z; a
# pre-release tag vX.Y.Z-rc.1 gives X.Y.Z~rc.1, which Debian sorts before
# X.Y.Z as semver does. Anything else is a snapshot of the last release
# tag (v0.0.0 if none): X.Y.Z+git<commit time, UTC>.<commit>[.dirty], newer
# than X.Y.Z and older than the next release for Debian (for semver, build
# metadata: as old as X.Y.Z), after a pre-release X.Y.Z~rc.1+git…,
# and the same on every machine for the same commit, so that builds are
# reproducible.
set -eu

semver=false
[ "${1:-}" = --semver ] && semver=true

# Untracked files count: a new source file changes the binaries as much as
# an edited one (build/ and dist/ are ignored).
dirty=
[ -z "$(git status --porcelain 2>/dev/null)" ] || dirty=.dirty

release=$(git describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null || true)
if [ -n "$release" ] && [ -z "$dirty" ] &&
	printf '%s\n' "$release" | grep -Eq '^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$'; then
	if $semver; then
		printf '%s\n' "$release"
	else
		printf '%s\n' "${release#v}" | tr '-' '~'
	fi
	exit 0
fi

last=$(git describe --tags --abbrev=0 --match 'v[0-9]*' HEAD 2>/dev/null || echo v0.0.0)
when=$(TZ=UTC git log -1 --date=format-local:%Y%m%d%H%M%S --format=%cd HEAD)
commit=$(git rev-parse --short=12 HEAD)
snapshot="+git$when.$commit$dirty"
if $semver; then
	printf '%s%s\n' "$last" "$snapshot"
else
	printf '%s%s\n' "${last#v}" "$snapshot" | tr '-' '~'
fi
