#!/bin/sh
# Stages, under build/package/, what goreleaser puts into the archives and
# the .deb packages besides the binaries (see .goreleaser.yaml):
#
#   build/package/archive/<os>_<arch>/<bin>/   the archive's other members:
#       LICENSE, README.md, licenses/ (from build/licenses), man/<bin>.1,
#       completions/<bin>.bash, completions/_<bin>, completions/<bin>.fish;
#       openclaw-resolver-run's also agent/ (packaging/agent: the agent's
#       systemd user unit and launchd agent templates)
#   build/package/deb/man/<bin>.1.gz           gzip -9n, as Debian wants
#   build/package/deb/changelog.gz             one entry for VERSION, dated
#                                              with the commit time
#
# Inputs: build/man and build/completions (make man-completions),
# build/licenses (execref-licenses). Nothing here depends on the time or
# the machine: the output is the same for the same commit.
#
#   packaging/stage.sh VERSION MAINTAINER "TARGETS" "BINARIES"
set -eu

version=$1 maintainer=$2 targets=$3 bins=$4
out=build/package
case $maintainer in
*'<'*'@'*'>') ;;
*) echo "stage.sh: maintainer \"$maintainer\" is not \"Name <address>\" (.goreleaser.yaml's maintainer: &maintainer line)" >&2; exit 1 ;;
esac
rm -rf "$out"

need() {
	[ -f "$1" ] || { echo "stage.sh: missing $1 (make man-completions and the licences come first)" >&2; exit 1; }
}

for target in $targets; do
	for bin in $bins; do
		need "build/licenses/$target/$bin/copyright"
		dir=$out/archive/$target/$bin
		mkdir -p "$dir/man" "$dir/completions"
		cp LICENSE README.md "$dir/"
		cp -R "build/licenses/$target/$bin/licenses" "$dir/licenses"
		need "build/man/$bin.1"
		cp "build/man/$bin.1" "$dir/man/$bin.1"
		for f in "bash/$bin:$bin.bash" "zsh/_$bin:_$bin" "fish/$bin.fish:$bin.fish"; do
			need "build/completions/${f%%:*}"
			cp "build/completions/${f%%:*}" "$dir/completions/${f#*:}"
		done
		if [ "$bin" = openclaw-resolver-run ]; then
			mkdir -p "$dir/agent"
			cp packaging/agent/systemd/openclaw-resolver-agent@.service \
				packaging/agent/launchd/dev.execref.openclaw-resolver-agent.plist "$dir/agent/"
		fi
	done
done

mkdir -p "$out/deb/man"
for bin in $bins; do
	gzip -9n <"build/man/$bin.1" >"$out/deb/man/$bin.1.gz"
done

# One changelog for every package of the source package execref. The
# release notes live on GitHub; Debian wants the file and its date.
date=$(LC_ALL=C TZ=UTC git log -1 --date='format-local:%a, %d %b %Y %H:%M:%S +0000' --format=%cd HEAD)
{
	printf 'execref (%s) unstable; urgency=medium\n\n' "$version"
	printf '  * execref %s. Release notes:\n' "$version"
	printf '    https://github.com/execref/execref/releases\n\n'
	printf ' -- %s  %s\n' "$maintainer" "$date"
} | gzip -9n >"$out/deb/changelog.gz"
