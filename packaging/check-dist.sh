#!/bin/sh
# Checks what `make package` put in DIST, for the targets it built:
#   - checksums.txt matches the files;
#   - every archive holds exactly the binary, LICENSE, README.md, the man
#     page, the three completions and the licence files collected for it
#     (openclaw-resolver-run's also the agent's unit templates),
#     owned by root:root, dated with the commit time; the binary carries
#     the version;
#   - every .deb has its name, version and architecture, exactly the
#     expected files (openclaw-resolver-run's with the agent's user unit),
#     and the meta package depends on all six at the same version;
#   - lintian finds no error in any .deb (its warnings and our overrides
#     are shown).
#
#   packaging/check-dist.sh DIST VERSION "TARGETS" "BINARIES"
set -eu

dist=$1 version=$2 targets=$3 bins=$4
tag=$(packaging/version.sh --semver)
date=$(TZ=UTC git log -1 --date=format-local:'%Y-%m-%d %H:%M:%S' --format=%cd HEAD)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
	echo "check-dist: $*" >&2
	failed=1
}

(cd "$dist" && sha256sum --quiet -c checksums.txt) || fail "checksums.txt does not match $dist"

for target in $targets; do
	for bin in $bins; do
		archive=$dist/${bin}_${version}_$target.tar.gz
		[ -f "$archive" ] || { fail "missing $archive"; continue; }
		{
			printf '%s\n' "$bin" LICENSE README.md "man/$bin.1" \
				"completions/$bin.bash" "completions/_$bin" "completions/$bin.fish"
			[ "$bin" != openclaw-resolver-run ] ||
				printf '%s\n' agent/openclaw-resolver-agent@.service agent/dev.execref.openclaw-resolver-agent.plist
			(cd "build/licenses/$target/$bin" && find licenses -type f)
		} | sort >"$tmp/want"
		tar -tzf "$archive" | sort >"$tmp/got"
		diff -u "$tmp/want" "$tmp/got" >"$tmp/diff" || fail "$archive: members differ from the expected (-want +got):
$(cat "$tmp/diff")"
		TZ=UTC tar --full-time -tvzf "$archive" | awk -v date="$date" '
			$2 != "root/root" || $4 " " $5 != date { print; bad = 1 }
			END { exit bad }' >"$tmp/bad" ||
			fail "$archive: members not root:root or not dated $date:
$(cat "$tmp/bad")"
		mkdir -p "$tmp/x" && tar -xzf "$archive" -C "$tmp/x" "$bin"
		# -trimpath keeps -ldflags out of the build info: look for the
		# stamped string itself (any target's binary, not only this host's).
		grep -qaF -- "$tag" "$tmp/x/$bin" || fail "$archive: $bin does not contain its version $tag"
		rm -rf "$tmp/x"
	done
done

debs=
for target in $targets; do
	case $target in linux_*) ;; *) continue ;; esac
	arch=${target#linux_}
	for bin in $bins; do
		deb=$dist/${bin}_${version}_$arch.deb
		[ -f "$deb" ] || { fail "missing $deb"; continue; }
		debs="$debs $deb"
		for f in Package:$bin Version:$version Architecture:$arch; do
			got=$(dpkg-deb -f "$deb" "${f%%:*}")
			[ "$got" = "${f#*:}" ] || fail "$deb: ${f%%:*} is $got, want ${f#*:}"
		done
		printf '%s\n' "./usr/bin/$bin" "./usr/share/man/man1/$bin.1.gz" \
			"./usr/share/bash-completion/completions/$bin" \
			"./usr/share/zsh/vendor-completions/_$bin" \
			"./usr/share/fish/vendor_completions.d/$bin.fish" \
			"./usr/share/doc/$bin/copyright" "./usr/share/doc/$bin/changelog.gz" \
			"./usr/share/lintian/overrides/$bin" >"$tmp/want"
		[ "$bin" != openclaw-resolver-run ] ||
			echo ./usr/lib/systemd/user/openclaw-resolver-agent@.service >>"$tmp/want"
		sort -o "$tmp/want" "$tmp/want"
		dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sort >"$tmp/got"
		diff -u "$tmp/want" "$tmp/got" >"$tmp/diff" || fail "$deb: files differ from the expected (-want +got):
$(cat "$tmp/diff")"
	done
done
if [ -n "$debs" ]; then
	meta=$dist/execref_${version}_all.deb
	if [ -f "$meta" ]; then
		debs="$debs $meta"
		want=$(for bin in $bins; do printf '%s (= %s), ' "$bin" "$version"; done)
		got=$(dpkg-deb -f "$meta" Depends)
		[ "$got, " = "$want" ] || fail "$meta: Depends is $got, want ${want%, }"
	else
		fail "missing $meta"
	fi
	command -v lintian >/dev/null || { echo "check-dist: lintian is not installed (apt-get install lintian)" >&2; exit 1; }
	# Errors fail, warnings are shown. Not --show-overrides: with it, lintian
	# 2.116 fails on overridden errors too. The overrides are listed instead.
	# shellcheck disable=SC2086 # one argument per package
	lintian --fail-on error $debs || fail "lintian found errors"
	for deb in $debs; do
		dpkg-deb --fsys-tarfile "$deb" | tar -xOf - --wildcards './usr/share/lintian/overrides/*' 2>/dev/null |
			sed 's/^/lintian override: /' || true
		echo
	done
fi

[ "$failed" = 0 ] && echo "check-dist: $dist is complete for $targets"
exit "$failed"
