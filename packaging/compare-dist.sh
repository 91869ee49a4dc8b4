#!/usr/bin/env bash
# Compares two builds of the release byte for byte: every archive, .deb,
# checksums.txt and Homebrew formula of A must exist in B, identical, and B
# must have no other. For a difference it shows what differs inside.
#
#   packaging/compare-dist.sh A B
set -euo pipefail

a=$1 b=$2
list() { (cd "$1" && find . -maxdepth 1 -type f \( -name '*.tar.gz' -o -name '*.deb' -o -name checksums.txt \) && find homebrew -type f) | sort; }
list "$a" >"$a.files"
list "$b" >"$b.files"
if ! diff -u "$a.files" "$b.files"; then
	echo "compare-dist: the two builds made different files (-$a +$b)" >&2
	exit 1
fi
[ -s "$a.files" ] || { echo "compare-dist: nothing to compare in $a" >&2; exit 1; }

differ=0
while read -r f; do
	cmp -s "$a/$f" "$b/$f" && continue
	differ=1
	echo "compare-dist: $f differs" >&2
	case $f in
	*.tar.gz) diff <(TZ=UTC tar --full-time -tvzf "$a/$f") <(TZ=UTC tar --full-time -tvzf "$b/$f") >&2 || true ;;
	*.deb) diff <(dpkg-deb -I "$a/$f"; dpkg-deb -c "$a/$f") <(dpkg-deb -I "$b/$f"; dpkg-deb -c "$b/$f") >&2 || true ;;
	*) diff "$a/$f" "$b/$f" >&2 || true ;;
	esac
done <"$a.files"
[ "$differ" = 0 ] || exit 1
echo "compare-dist: $(wc -l <"$a.files") files identical in $a and $b"
