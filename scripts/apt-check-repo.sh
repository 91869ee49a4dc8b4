#!/usr/bin/env bash
# apt-check-repo.sh [--arch ARCH] [--download DIR] REPO_DIR KEYRING [PACKAGE...]
#
# Asks apt itself whether it accepts the repository at REPO_DIR (a
# file:// source, suite stable, component main) signed by the key in
# KEYRING (signed-by), in a private apt state: its own sources list, lists,
# cache and an empty dpkg status, so that it needs no root and changes
# nothing on the machine. Exit 0 when `apt-get update` accepts it; then,
# for each PACKAGE, prints "PACKAGE VERSION" of apt's candidate, and with
# --download fetches the .deb into DIR through apt (which checks its hash
# against the signed indexes). Exit 1 with apt's output on stderr when apt
# refuses the repository or a package is missing.
set -euo pipefail

arch=
download=
while [ "$#" -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--download) download=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "apt-check-repo: unknown flag $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ "$#" -lt 2 ]; then
	echo "usage: $0 [--arch ARCH] [--download DIR] REPO_DIR KEYRING [PACKAGE...]" >&2
	exit 2
fi
repo=$(cd "$1" && pwd -P)
keyring=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
shift 2
if [ -n "$download" ]; then
	download=$(cd "$download" && pwd -P)
fi

state=$(mktemp -d "${TMPDIR:-/tmp}/apt-check-repo.XXXXXX")
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/etc/preferences.d"
: >"$state/status"
echo "deb [signed-by=$keyring] file://$repo stable main" >"$state/sources.list"
# APT_CONFIG replaces /etc/apt/apt.conf; the settings below replace every
# directory apt would write to or read packages from. The sandbox user is
# root so that a root caller's private directories need not be opened to
# _apt (a non-root caller runs everything as itself anyway).
cat >"$state/apt.conf" <<EOF
Dir::Etc::sourcelist "$state/sources.list";
Dir::Etc::sourceparts "-";
Dir::Etc::preferences "$state/etc/preferences";
Dir::Etc::preferencesparts "$state/etc/preferences.d";
Dir::State::Lists "$state/lists";
Dir::State::status "$state/status";
Dir::Cache "$state/cache";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Debug::NoLocking "true";
APT::Sandbox::User "root";
Acquire::Languages "none";
EOF
if [ -n "$arch" ]; then
	printf 'APT::Architecture "%s";\nAPT::Architectures { "%s"; };\n' "$arch" "$arch" >>"$state/apt.conf"
fi
export APT_CONFIG=$state/apt.conf

# apt-get update exits 0 on some refusals, saying so with W: and E: lines,
# so its output is read too: an E: line or an unverified signature fails.
if ! out=$(apt-get update 2>&1) || grep -Eq '^(E:|Err:)|NO_PUBKEY|BADSIG|not signed|could not be verified|couldn.t be verified' <<<"$out"; then
	echo "apt-check-repo: apt refuses $repo with $keyring:" >&2
	echo "$out" >&2
	exit 1
fi

status=0
for package in "$@"; do
	version=$(apt-cache policy -- "$package" | awk '$1 == "Candidate:" {print $2}')
	if [ -z "$version" ] || [ "$version" = "(none)" ]; then
		echo "apt-check-repo: no candidate for $package in $repo" >&2
		status=1
		continue
	fi
	echo "$package $version"
	if [ -n "$download" ]; then
		if ! out=$(cd "$download" && apt-get download -- "$package=$version" 2>&1); then
			echo "apt-check-repo: apt-get download $package=$version failed:" >&2
			echo "$out" >&2
			status=1
		fi
	fi
done
exit "$status"
