#!/usr/bin/env bash
# inittrace.sh — where a binary's start-up goes: package init, measured by
# the Go runtime itself (GODEBUG=inittrace=1), for each binary of bin/ (or
# those named). Package init runs before main and does not depend on the
# arguments, so each binary runs as `BINARY --version` with an empty
# environment, in its own directory, as the gateway would start it.
#
#   scripts/inittrace.sh [-n RUNS] [-t TOP] [BINARY...]
#
# For each binary: RUNS runs (default 15); per package the median init
# clock time, and its bytes and allocations; the TOP packages (default 12)
# by that time; then the sums for our packages (github.com/execref/...)
# and for everything else, and the median wall time of the whole
# `--version` run. A shared machine moves single figures by a lot: compare
# medians, and sums rather than single packages. Run `make build` first.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=15
top=12
while getopts n:t: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	t) top=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-t TOP] [BINARY...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ $# -eq 0 ]; then
	set -- bin/openclaw-*
fi

for bin in "$@"; do
	if [ ! -x "$bin" ] || [ -d "$bin" ]; then
		echo "inittrace: $bin is not an executable (make build first)" >&2
		exit 1
	fi
	dir=$(cd "$(dirname "$bin")" && pwd)
	name=$(basename "$bin")
	trace=$(mktemp "${TMPDIR:-/tmp}/inittrace.XXXXXX")
	walls=()
	for ((i = 0; i < runs; i++)); do
		start=$(date +%s%N)
		# Runtime lines look like:
		#   init PKG @0.35 ms, 0.003 ms clock, 4096 bytes, 12 allocs
		(cd "$dir" && env -i GODEBUG=inittrace=1 "./$name" --version 2>&1 >/dev/null) |
			awk -v run="$i" '$1 == "init" { print run, $2, $5, $8, $10 }' >>"$trace"
		walls+=($((($(date +%s%N) - start) / 1000)))
	done
	wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ w[NR] = $1 } END { printf "%.2f", w[int((NR + 1) / 2)] / 1000 }')
	echo "== $name: $runs runs, median per package (ms clock, bytes, allocs); --version wall $wall ms"
	# Median per package: sort each package's times, take the middle one.
	sort -k2,2 -k3,3g "$trace" | awk -v runs="$runs" '
		function flush() {
			if (pkg == "") return
			printf "%s %.3f %d %d\n", pkg, t[int((n + 1) / 2)], b[int((n + 1) / 2)], a[int((n + 1) / 2)]
		}
		$2 != pkg { flush(); pkg = $2; n = 0 }
		{ n++; t[n] = $3; b[n] = $4; a[n] = $5 }
		END { flush() }' | sort -k2,2gr >"$trace.med"
	printf '%9s %10s %7s  %s\n' "ms" "bytes" "allocs" "package"
	head -n "$top" "$trace.med" | awk '{ printf "%9.3f %10d %7d  %s\n", $2, $3, $4, $1 }'
	awk '
		{ ours = index($1, "github.com/execref/") == 1
		  k = ours ? "ours" : "deps"; n[k]++; t[k] += $2; b[k] += $3; a[k] += $4 }
		END {
			for (k in n) printf "%9.3f %10d %7d  sum of %d %s packages\n", t[k], b[k], a[k], n[k], k == "ours" ? "our" : "dependency"
		}' "$trace.med" | sort -k7,7r
	rm -f "$trace" "$trace.med"
	echo
done
