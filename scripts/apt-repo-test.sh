#!/usr/bin/env bash
# apt-repo-test.sh — tests of scripts/apt-repo.sh (make apt-repo), with
# small packages built here by dpkg-deb and throwaway gpg keys, judged by
# apt itself through scripts/apt-check-repo.sh (a private apt state: no
# root needed, nothing on the machine changes). Every temporary file lives
# in one directory, removed on exit. Prints one line per check; exits 1 if
# any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in apt-ftparchive:apt-utils gpg:gnupg gpgv:gpgv dpkg-deb:dpkg apt-get:apt; do
	if ! command -v "${tool%%:*}" >/dev/null; then
		echo "apt-repo-test: ${tool%%:*} not found: install the Debian package ${tool#*:}" >&2
		exit 1
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/apt-repo-test.XXXXXX")
homes=()
cleanup() {
	for h in "${homes[@]}"; do
		GNUPGHOME=$h gpgconf --kill gpg-agent 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "ok    $1"; }
fail() {
	echo "FAIL  $1" >&2
	failures=$((failures + 1))
}

# newkey NAME: a throwaway key in a keyring of its own; prints
# "GNUPGHOME FINGERPRINT".
newkey() {
	local home=$work/gnupg-$1
	mkdir -m 0700 "$home"
	homes+=("$home")
	GNUPGHOME=$home gpg --batch --quiet --passphrase '' --quick-gen-key "execref $1 test <$1@execref.invalid>" ed25519 sign never 2>/dev/null
	echo "$home $(GNUPGHOME=$home gpg --batch --trust-model always --with-colons --list-secret-keys | awk -F: '/^fpr/ {print $10; exit}')"
}

# deb NAME VERSION ARCH [DEPENDS]: a package with one file, into $work/debs.
deb() {
	local root=$work/src/$1_$3
	mkdir -p "$root/DEBIAN" "$root/usr/share/doc/$1"
	{
		echo "Package: $1"
		echo "Version: $2"
		echo "Architecture: $3"
		echo "Maintainer: execref tests <tests@execref.invalid>"
		if [ -n "${4:-}" ]; then echo "Depends: $4"; fi
		echo "Description: apt-repo test package $1"
	} >"$root/DEBIAN/control"
	echo "$1 $2 $3" >"$root/usr/share/doc/$1/README"
	# Named as a release tool might name it, not as Debian does: the pool
	# gets Debian's names.
	dpkg-deb --root-owner-group -Zgzip --build "$root" "$work/debs/$1-$3.deb" >/dev/null
}

# repo OUT [DEB_DIR]: scripts/apt-repo.sh with the good key and a fixed date.
epoch=1700000000
repo() {
	GNUPGHOME=$good_home APT_SIGNING_KEY=$good SOURCE_DATE_EPOCH=$epoch scripts/apt-repo.sh "${2:-$work/debs}" "$1" >/dev/null
}

read -r good_home good < <(newkey good)
read -r rogue_home rogue < <(newkey rogue)
mkdir -p "$work/debs" "$work/empty"
deb execref-tool-a 1.2.3 amd64
deb execref-tool-b 1.2.3 arm64
deb execref-tool-a 1.2.3 arm64
deb execref-meta 1:1.2.3 all "execref-tool-a (= 1.2.3)"

# The key is the caller's: no key, a key id instead of a fingerprint, a
# fingerprint without its secret key are each refused before anything is
# written.
if out=$(env -u APT_SIGNING_KEY GNUPGHOME="$good_home" scripts/apt-repo.sh "$work/debs" "$work/nokey" 2>&1); then
	fail "without APT_SIGNING_KEY: succeeded"
elif [[ $out == *"APT_SIGNING_KEY is not set"* ]] && [ ! -e "$work/nokey" ]; then
	pass "refuses to run without APT_SIGNING_KEY"
else
	fail "without APT_SIGNING_KEY: $out"
fi
if out=$(GNUPGHOME=$good_home APT_SIGNING_KEY=${good: -16} scripts/apt-repo.sh "$work/debs" "$work/nokey" 2>&1); then
	fail "with a key id: succeeded"
elif [[ $out == *"not a full fingerprint"* ]] && [ ! -e "$work/nokey" ]; then
	pass "refuses a key id that is not a full fingerprint"
else
	fail "with a key id: $out"
fi
if out=$(GNUPGHOME=$rogue_home APT_SIGNING_KEY=$good scripts/apt-repo.sh "$work/debs" "$work/nokey" 2>&1); then
	fail "with a key not in GNUPGHOME: succeeded"
elif [[ $out == *"no secret key $good"* ]] && [ ! -e "$work/nokey" ]; then
	pass "refuses a fingerprint whose secret key is not in GNUPGHOME"
else
	fail "with a key not in GNUPGHOME: $out"
fi
if out=$(repo "$work/none" "$work/empty" 2>&1); then
	fail "without debs: succeeded"
elif [[ $out == *"no .deb in"* ]]; then
	pass "refuses a directory without .deb files"
else
	fail "without debs: $out"
fi
mkdir -p "$work/notrepo" && echo keep >"$work/notrepo/file"
if out=$(repo "$work/notrepo" 2>&1); then
	fail "over a directory that is not a repository: succeeded"
elif [[ $out == *"is not an apt repository"* ]] && [ -f "$work/notrepo/file" ]; then
	pass "refuses to replace a directory that is not a repository"
else
	fail "over a directory that is not a repository: $out"
fi

# The layout.
repo "$work/apt"
want=(
	pool/main/e/execref-meta/execref-meta_1.2.3_all.deb
	pool/main/e/execref-tool-a/execref-tool-a_1.2.3_amd64.deb
	pool/main/e/execref-tool-a/execref-tool-a_1.2.3_arm64.deb
	pool/main/e/execref-tool-b/execref-tool-b_1.2.3_arm64.deb
	dists/stable/main/binary-amd64/Packages dists/stable/main/binary-amd64/Packages.gz
	dists/stable/main/binary-arm64/Packages dists/stable/main/binary-arm64/Packages.gz
	dists/stable/Release dists/stable/InRelease dists/stable/Release.gpg
	execref-archive-keyring.gpg
)
got=$(cd "$work/apt" && find . -type f | sed 's|^\./||' | sort)
if [ "$got" = "$(printf '%s\n' "${want[@]}" | sort)" ]; then
	pass "lays out pool/ and dists/ with Debian's file names"
else
	fail "layout: got
$got"
fi
packages() { awk '/^Package:/ {p=$2} /^Architecture:/ {print p "/" $2}' "$work/apt/dists/stable/main/binary-$1/Packages" | sort | tr '\n' ' '; }
if [ "$(packages amd64)" = "execref-meta/all execref-tool-a/amd64 " ] &&
	[ "$(packages arm64)" = "execref-meta/all execref-tool-a/arm64 execref-tool-b/arm64 " ] &&
	cmp -s <(gzip -dc "$work/apt/dists/stable/main/binary-amd64/Packages.gz") "$work/apt/dists/stable/main/binary-amd64/Packages"; then
	pass "each architecture's Packages lists its packages and the arch-independent ones"
else
	fail "Packages: amd64 [$(packages amd64)] arm64 [$(packages arm64)]"
fi
release=$work/apt/dists/stable/Release
field() { awk -v f="$1:" '$1 == f {sub(/^[^:]*: /, ""); print; exit}' "$release"; }
if [ "$(field Date)" = "Tue, 14 Nov 2023 22:13:20 UTC" ] && [ "$(field Architectures)" = "amd64 arm64" ] &&
	[ "$(field Components)" = main ] && [ "$(field Suite)" = stable ] && [ "$(field Codename)" = stable ] &&
	grep -q ' main/binary-arm64/Packages.gz$' "$release" && ! grep -q '^MD5Sum:' "$release"; then
	pass "Release: Date from SOURCE_DATE_EPOCH, Architectures, Components, Suite, Codename, SHA-256/512 of each index"
else
	fail "Release:
$(cat "$release")"
fi
if [ "$(head -c 10 "$work/apt/execref-archive-keyring.gpg")" != "-----BEGIN" ] &&
	GNUPGHOME=$good_home gpg --batch --quiet --show-keys --with-colons "$work/apt/execref-archive-keyring.gpg" 2>/dev/null | grep -q "^fpr:*$good:"; then
	pass "the keyring is the signing key's public key, binary"
else
	fail "keyring: not the binary public key $good"
fi

# The same debs and date give the same indexes, whatever the day.
cp "$release" "$work/release.first"
touch "$work"/debs/*.deb
repo "$work/apt"
if cmp -s "$release" "$work/release.first"; then
	pass "a second run at the same SOURCE_DATE_EPOCH writes the same Release (and so the same indexes)"
else
	fail "Release differs between two runs:
$(diff "$work/release.first" "$release")"
fi

# apt accepts the repository with its keyring and serves each package, on
# each architecture, byte for byte.
keyring=$work/apt/execref-archive-keyring.gpg
mkdir -p "$work/download-amd64" "$work/download-arm64"
if out=$(scripts/apt-check-repo.sh --arch amd64 --download "$work/download-amd64" "$work/apt" "$keyring" execref-meta execref-tool-a 2>&1) &&
	[ "$out" = $'execref-meta 1:1.2.3\nexecref-tool-a 1.2.3' ] &&
	cmp -s "$work/download-amd64/execref-meta_1%3a1.2.3_all.deb" "$work/debs/execref-meta-all.deb" &&
	cmp -s "$work/download-amd64/execref-tool-a_1.2.3_amd64.deb" "$work/debs/execref-tool-a-amd64.deb"; then
	pass "apt accepts the signed repository and serves the amd64 packages unchanged"
else
	fail "apt on amd64: $out"
fi
if out=$(scripts/apt-check-repo.sh --arch arm64 --download "$work/download-arm64" "$work/apt" "$keyring" execref-tool-b 2>&1) &&
	cmp -s "$work/download-arm64/execref-tool-b_1.2.3_arm64.deb" "$work/debs/execref-tool-b-arm64.deb"; then
	pass "apt accepts the signed repository and serves the arm64 packages unchanged"
else
	fail "apt on arm64: $out"
fi

# refused NAME REPO WANT: apt must refuse REPO with the good keyring, saying WANT.
refused() {
	local out
	if out=$(scripts/apt-check-repo.sh "$2" "$keyring" execref-tool-a 2>&1); then
		fail "$1: apt accepted it"
	elif grep -Eq "$3" <<<"$out"; then
		pass "apt refuses $1"
	else
		fail "$1: refused, but not for the expected reason ($3):
$out"
	fi
}

# Signed with another key: the same repository, built and signed whole by
# the rogue key.
GNUPGHOME=$rogue_home APT_SIGNING_KEY=$rogue SOURCE_DATE_EPOCH=$epoch scripts/apt-repo.sh "$work/debs" "$work/rogue" >/dev/null
refused "a repository signed with another key" "$work/rogue" "NO_PUBKEY ${rogue: -16}"

# The signed text of InRelease changed after signing.
cp -r "$work/apt" "$work/tampered"
sed -i 's/^Date: .*/Date: Wed, 15 Nov 2023 22:13:20 UTC/' "$work/tampered/dists/stable/InRelease"
rm "$work/tampered/dists/stable/Release.gpg"
refused "an InRelease changed after signing" "$work/tampered" "BADSIG"

# An index changed after signing: its hash no longer matches Release.
cp -r "$work/apt" "$work/index"
printf '\nPackage: execref-evil\nVersion: 9\nArchitecture: all\nFilename: pool/evil.deb\nSize: 1\nSHA256: %064d\nDescription: x\n' 0 \
	>>"$work/index/dists/stable/main/binary-amd64/Packages"
gzip -9n -c "$work/index/dists/stable/main/binary-amd64/Packages" >"$work/index/dists/stable/main/binary-amd64/Packages.gz"
refused "an index changed after signing" "$work/index" "Hash Sum mismatch|unexpected size"

# No signature at all.
cp -r "$work/apt" "$work/unsigned"
rm "$work/unsigned/dists/stable/InRelease" "$work/unsigned/dists/stable/Release.gpg"
refused "an unsigned repository" "$work/unsigned" "is not signed"

if [ "$failures" -ne 0 ]; then
	echo "apt-repo-test: $failures failed" >&2
	exit 1
fi
echo "apt-repo-test: all passed"
