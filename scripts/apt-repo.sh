#!/usr/bin/env bash
# apt-repo.sh DEB_DIR OUT_DIR — lay out a signed apt repository, ready to
# publish as static files, from the .deb files in DEB_DIR (not recursive):
#
#   OUT_DIR/pool/main/<p>/<source>/<package>_<version>_<arch>.deb
#   OUT_DIR/dists/stable/main/binary-<arch>/Packages{,.gz}   (per APT_ARCHITECTURES)
#   OUT_DIR/dists/stable/{Release,InRelease,Release.gpg}
#   OUT_DIR/execref-archive-keyring.gpg   the public key, binary, for signed-by
#
# The indexes are written by Debian's apt-ftparchive (apt-utils), the
# signatures by gpg. The caller gives the key; nothing here creates one:
#
#   APT_SIGNING_KEY    the signing key's full fingerprint (required); its
#                      secret key must be in the keyring at GNUPGHOME
#                      (default ~/.gnupg), usable without a prompt
#   SOURCE_DATE_EPOCH  the Release file's Date; unset, the time of the
#                      commit checked out (git log -1), so that the same
#                      commit and debs give the same Release file
#   APT_SUITE (stable), APT_COMPONENT (main),
#   APT_ARCHITECTURES ("amd64 arm64"): what the Release file announces; an
#                      architecture without packages gets empty indexes
#
# OUT_DIR is built beside itself and then replaces the previous repository;
# a non-empty OUT_DIR that is not one is refused rather than deleted.
# The Release file has no Valid-Until: the repository is published once per
# release as static files, not re-signed on a schedule. The signatures
# themselves are not reproducible (gpg stamps the signing time).
set -euo pipefail

suite=${APT_SUITE:-stable}
component=${APT_COMPONENT:-main}
architectures=${APT_ARCHITECTURES:-amd64 arm64}
keyring_name=execref-archive-keyring.gpg

fail() {
	echo "apt-repo: $*" >&2
	exit 1
}

if [ "$#" -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
	echo "usage: APT_SIGNING_KEY=FINGERPRINT $0 DEB_DIR OUT_DIR" >&2
	exit 2
fi
deb_dir=$1
out=${2%/}
[ -n "$out" ] || { echo "apt-repo: OUT_DIR must not be /" >&2; exit 2; }

# The key first: without it there is nothing worth laying out.
key=${APT_SIGNING_KEY:-}
gnupg_home=${GNUPGHOME:-$HOME/.gnupg}
if [ -z "$key" ]; then
	echo "apt-repo: APT_SIGNING_KEY is not set: give the full fingerprint of the key that signs the repository," >&2
	echo "  its secret key in the keyring at GNUPGHOME (now $gnupg_home), e.g." >&2
	echo "  make apt-repo APT_SIGNING_KEY=\$(gpg --list-secret-keys --with-colons | awk -F: '/^fpr/ {print \$10; exit}')" >&2
	exit 2
fi
# A key id or a user id could select another key than the one meant.
if ! [[ $key =~ ^([0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$ ]]; then
	echo "apt-repo: APT_SIGNING_KEY=$key is not a full fingerprint (40 or 64 hex digits, no spaces)" >&2
	exit 2
fi

for tool in apt-ftparchive:apt-utils gpg:gnupg gpgv:gpgv dpkg-deb:dpkg gzip:gzip; do
	command -v "${tool%%:*}" >/dev/null || fail "${tool%%:*} not found: install the Debian package ${tool#*:}"
done

gpg_batch() { gpg --batch --no-tty --quiet --trust-model always "$@"; }
if ! gpg_batch --with-colons --list-secret-keys -- "$key" >/dev/null 2>&1; then
	fail "no secret key $key in the keyring at GNUPGHOME ($gnupg_home)"
fi

epoch=${SOURCE_DATE_EPOCH:-}
if [ -z "$epoch" ]; then
	epoch=$(git log -1 --format=%ct 2>/dev/null) ||
		fail "SOURCE_DATE_EPOCH is not set and there is no git commit to take the Release date from"
fi
[[ $epoch =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH=$epoch is not a number of seconds"
release_date=$(LC_ALL=C date -u -d "@$epoch" '+%a, %d %b %Y %H:%M:%S UTC')

shopt -s nullglob
debs=("$deb_dir"/*.deb)
shopt -u nullglob
[ "${#debs[@]}" -gt 0 ] || fail "no .deb in $deb_dir: build the packages first (make package)"

# Replace only what this script made: a missing or empty directory, or a
# repository (it has dists/).
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ] && [ ! -d "$out/dists" ]; then
	fail "$out exists and is not an apt repository (no dists/): refusing to replace it"
fi
mkdir -p "$(dirname "$out")"
staging=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$staging"' EXIT

# pool/: each deb under its source package's directory, named as Debian
# names it, so that apt-ftparchive --arch (which goes by file name) and
# Debian's tools find what they expect.
declare -A seen=()
for deb in "${debs[@]}"; do
	# shellcheck disable=SC2016 # dpkg-deb's fields, not the shell's
	fields=$(dpkg-deb --show --showformat='${Package}\t${Version}\t${Architecture}\t${source:Package}\n' "$deb") ||
		fail "$deb is not a Debian package"
	IFS=$'\t' read -r package version arch source <<<"$fields"
	case " $architectures all " in
	*" $arch "*) ;;
	*) fail "$deb is for architecture $arch, not one of: $architectures all (set APT_ARCHITECTURES)" ;;
	esac
	name=${package}_${version#*:}_${arch}.deb
	[ -z "${seen[$name]:-}" ] || fail "$deb and ${seen[$name]} are both $name"
	seen[$name]=$deb
	case $source in
	lib?*) prefix=${source:0:4} ;;
	*) prefix=${source:0:1} ;;
	esac
	mkdir -p "$staging/pool/$component/$prefix/$source"
	cp "$deb" "$staging/pool/$component/$prefix/$source/$name"
done

# Indexes and Release, written from the repository's root so that paths in
# them are relative to it. Only SHA-256 and SHA-512: apt ignores the rest.
ftparchive() {
	(cd "$staging" && apt-ftparchive -o APT::FTPArchive::MD5=false -o APT::FTPArchive::SHA1=false "$@")
}
for arch in $architectures; do
	dir=dists/$suite/$component/binary-$arch
	mkdir -p "$staging/$dir"
	ftparchive --arch "$arch" packages "pool/$component" >"$staging/$dir/Packages"
	gzip -9 --no-name --stdout "$staging/$dir/Packages" >"$staging/$dir/Packages.gz"
done
ftparchive \
	-o APT::FTPArchive::Release::Origin=execref \
	-o APT::FTPArchive::Release::Label=execref \
	-o APT::FTPArchive::Release::Suite="$suite" \
	-o APT::FTPArchive::Release::Codename="$suite" \
	-o APT::FTPArchive::Release::Date="$release_date" \
	-o APT::FTPArchive::Release::Architectures="$architectures" \
	-o APT::FTPArchive::Release::Components="$component" \
	-o APT::FTPArchive::Release::Description="execref: exec SecretRef resolvers for the OpenClaw gateway" \
	release "dists/$suite" >"$staging/release.tmp"
mv "$staging/release.tmp" "$staging/dists/$suite/Release"

release=$staging/dists/$suite/Release
gpg_batch --yes --local-user "$key" --digest-algo SHA512 --clearsign --output "$staging/dists/$suite/InRelease" "$release" ||
	fail "gpg could not sign with $key (expired, or it needs a passphrase?)"
gpg_batch --yes --local-user "$key" --digest-algo SHA512 --armor --detach-sign --output "$staging/dists/$suite/Release.gpg" "$release"
gpg_batch --export --export-options export-minimal -- "$key" >"$staging/$keyring_name"
[ -s "$staging/$keyring_name" ] || fail "gpg exported nothing for $key"

# What apt will check, checked here: both signatures verify with the
# exported key alone (gpgv as apt runs it), so a wrong key or a signing
# subkey missing from the export fails now rather than on a user's machine.
gpgv --quiet --keyring "$staging/$keyring_name" "$staging/dists/$suite/InRelease" 2>/dev/null ||
	fail "InRelease does not verify with the exported key $key"
gpgv --quiet --keyring "$staging/$keyring_name" "$staging/dists/$suite/Release.gpg" "$release" 2>/dev/null ||
	fail "Release.gpg does not verify with the exported key $key"

chmod -R u=rwX,go=rX "$staging"
rm -rf "$out"
mv "$staging" "$out"
trap - EXIT
echo "apt-repo: $out: ${#debs[@]} packages for $architectures, $suite/$component, signed by $key"
