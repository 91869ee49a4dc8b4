#!/usr/bin/env bash
# apt-e2e.sh — the apt end-to-end proof on this machine (linux/amd64,
# Debian), run by CI as root through `make apt-e2e`:
#
#   1. a throwaway signing key; make package TARGETS=linux_amd64 (skipped
#      with EXECREF_DIST_FRESH=1, or EXECREF_DEB_DIR=DIR to take the .debs
#      from DIR instead of dist/); make apt-repo into a directory of this run
#   2. apt accepts the repository with its keyring and refuses it signed
#      with another key or changed after signing (a private apt state)
#   3. the repository as a file:// source with signed-by; apt-get install
#      execref; the seven packages, their binaries, man pages, completions
#   4. lintian on each package, failing on any error (E:)
#   5. the installed conformance CLI on the suite's reference resolver and
#      on /usr/bin/openclaw-sops-resolver with a real age key and sops file,
#      over exec and the agent; over go-plugin, refused at once (the
#      packages are the default build, without -tags execref_plugin)
#   6. a fresh user: `openclaw-sops-resolver install`, the printed block in
#      ~/.openclaw/openclaw.json, refs resolved by the real gateway as that
#      user (secrets audit, and the values' SHA-256 through the gateway's
#      resolver), and by the installed openclaw-resolver-run; then the
#      agent started by the installed systemd unit's ExecStart (its refusal
#      naming the line to add, the line added), the gateway's batches
#      answered by it, SIGTERM leaving no socket
#   7. apt-get remove, then purge: no file the packages installed remains
#
# It changes the machine only through what it creates, all removed on exit,
# failure included: the sources.list.d file and its apt lists, the user and
# its home, the packages (it refuses to start if one is installed already),
# and one temporary directory. The exception is its own tools: apt-utils,
# lintian and gnupg are installed when missing (apt-get update first if
# need be) and stay, as CI's other tools do. No value is ever printed.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/execref}

# The packages, binaries first: each binary's package is named as it.
binaries=(openclaw-sops-resolver openclaw-vault-resolver openclaw-aws-resolver openclaw-1password-resolver
	openclaw-resolver-run openclaw-resolver-conformance)
packages=("${binaries[@]}" execref)

started=$SECONDS
step() { echo "== [$((SECONDS - started))s] $*"; }
die() {
	echo "apt-e2e: FAIL: $*" >&2
	exit 1
}
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 "$@"; }

[ "$(id -u)" -eq 0 ] || die "run as root: it installs packages and adds a user"
command -v apt-get >/dev/null || die "no apt-get: this proof needs Debian or a derivative"
[ "$(dpkg --print-architecture)" = amd64 ] || die "this proof builds linux_amd64 packages; this machine is $(dpkg --print-architecture)"
for p in "${packages[@]}"; do
	case $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true) in
	"" | not-installed) ;;
	*) die "$p is on this machine; this proof installs and purges it: remove it first (apt-get purge $p)" ;;
	esac
done
source_file=/etc/apt/sources.list.d/execref-apt-e2e.list
[ ! -e "$source_file" ] || die "$source_file exists: another run is going on, or one was killed (remove it)"

# State for cleanup; each set only once the thing exists.
work=
source_written=
lists_prefix=
user=
installed=
agents=()
cleanup() {
	local status=$?
	set +e
	if [ -n "$installed" ]; then
		echo "apt-e2e: purging the packages installed by this run" >&2
		apt_get purge -y "${packages[@]}" >/dev/null
	fi
	if [ -n "$source_written" ]; then rm -f "$source_file"; fi
	# apt names its lists after the source's URI: this run's directory is
	# in each name, so only its own lists match.
	if [ -n "$lists_prefix" ]; then rm -f /var/lib/apt/lists/"$lists_prefix"*; fi
	if [ -n "$user" ] && ! userdel --remove "$user" 2>/dev/null; then
		echo "apt-e2e: could not remove the user $user (a process left?): userdel --remove $user" >&2
	fi
	for home in "${agents[@]}"; do GNUPGHOME=$home gpgconf --kill gpg-agent 2>/dev/null; done
	if [ -n "$work" ]; then rm -rf "$work"; fi
	if [ "$status" -eq 0 ]; then
		echo "apt-e2e: ok [$((SECONDS - started))s]"
	else
		echo "apt-e2e: failed (exit $status) [$((SECONDS - started))s]" >&2
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 0755: apt's sandbox user _apt and the fresh user read the repository,
# the keyring and the gateway from here; secrets live in 0700 directories.
work=$(mktemp -d /tmp/execref-apt-e2e.XXXXXX)
chmod 0755 "$work"

step "tools: apt-utils, lintian, gnupg"
need=()
command -v apt-ftparchive >/dev/null || need+=(apt-utils)
command -v lintian >/dev/null || need+=(lintian)
command -v gpg >/dev/null || need+=(gnupg)
if [ "${#need[@]}" -gt 0 ]; then
	apt_get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
		{ apt_get update -qq && apt_get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi

step "a fresh user (the gateway runs as it; lintian too, which warns when run as root)"
candidate=execref-e2e-$$
getent passwd "$candidate" >/dev/null && die "user $candidate exists already"
useradd --create-home --shell /bin/sh --user-group "$candidate"
user=$candidate
home=$(getent passwd "$user" | cut -d: -f6)
# as_user CMD...: CMD as the user, from its home, with an environment of
# its own only (env -i), as a service manager would start the gateway.
as_user() {
	(cd "$home" && runuser -u "$user" -- env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 NO_COLOR=1 \
		SOPS_AGE_KEY_FILE="$home/.config/sops/age/keys.txt" "$@")
}

step "a throwaway signing key"
# newkey NAME: a key of its own in $work/gnupg-NAME, expiring tomorrow;
# sets key_home and key_fpr.
newkey() {
	key_home=$work/gnupg-$1
	mkdir -m 0700 "$key_home"
	agents+=("$key_home")
	GNUPGHOME=$key_home gpg --batch --quiet --passphrase '' \
		--quick-gen-key "execref apt e2e $1 <apt-e2e-$1@execref.invalid>" ed25519 sign 1d 2>/dev/null
	key_fpr=$(GNUPGHOME=$key_home gpg --batch --trust-model always --with-colons --list-secret-keys |
		awk -F: '/^fpr/ {print $10; exit}')
}
newkey archive
archive_home=$key_home archive_fpr=$key_fpr

deb_dir=${EXECREF_DEB_DIR:-dist}
if [ "${EXECREF_DIST_FRESH:-}" = 1 ] || [ "$deb_dir" != dist ]; then
	step "packages: those in $deb_dir/, not rebuilt (EXECREF_DIST_FRESH=1 or EXECREF_DEB_DIR)"
else
	step "packages: make package TARGETS=linux_amd64"
	make --no-print-directory package TARGETS=linux_amd64
fi
# The seven packages, one .deb each, for amd64 (or all).
declare -A deb_of=() version_of=()
shopt -s nullglob
for deb in "$deb_dir"/*.deb; do
	# shellcheck disable=SC2016 # dpkg-deb's fields, not the shell's
	IFS=$'\t' read -r p v a < <(dpkg-deb --show --showformat='${Package}\t${Version}\t${Architecture}\n' "$deb")
	case $a in amd64 | all) ;; *) continue ;; esac
	[ -z "${deb_of[$p]:-}" ] || die "two debs for $p in $deb_dir/: ${deb_of[$p]} and $deb"
	deb_of[$p]=$(cd "$(dirname "$deb")" && pwd -P)/$(basename "$deb") version_of[$p]=$v
done
shopt -u nullglob
for p in "${packages[@]}"; do
	[ -n "${deb_of[$p]:-}" ] || die "no amd64 .deb of $p in $deb_dir/ (make package TARGETS=linux_amd64)"
done

step "make apt-repo (into this run's directory, signed by $archive_fpr)"
repo=$work/repo
GNUPGHOME=$archive_home make --no-print-directory apt-repo APT_SIGNING_KEY="$archive_fpr" APT_DEBS="$deb_dir" APT_DIR="$repo"
# Where a user puts it: a keyring file of its own, named by signed-by.
keyring=$work/keyrings/execref-archive-keyring.gpg
install -D -m 0644 "$repo/execref-archive-keyring.gpg" "$keyring"

step "apt accepts the repository with its keyring, and refuses it signed by another key or changed"
scripts/apt-check-repo.sh "$repo" "$keyring" "${packages[@]}" >"$work/candidates"
for p in "${packages[@]}"; do
	grep -qxF "$p ${version_of[$p]}" "$work/candidates" || die "apt's candidate for $p is not ${version_of[$p]}: $(cat "$work/candidates")"
done
newkey rogue
GNUPGHOME=$key_home APT_SIGNING_KEY=$key_fpr scripts/apt-repo.sh "$deb_dir" "$work/rogue" >/dev/null
if out=$(scripts/apt-check-repo.sh "$work/rogue" "$keyring" execref 2>&1); then
	die "apt accepted the repository signed with another key"
fi
grep -q "NO_PUBKEY ${key_fpr: -16}" <<<"$out" || die "apt refused the repository signed with another key, but not for its key: $out"
cp -a "$repo" "$work/tampered"
sed -i 's/^Date: .*/Date: Thu, 01 Jan 1970 00:00:00 UTC/' "$work/tampered/dists/stable/InRelease"
rm "$work/tampered/dists/stable/Release.gpg"
if out=$(scripts/apt-check-repo.sh "$work/tampered" "$keyring" execref 2>&1); then
	die "apt accepted an InRelease changed after signing"
fi
grep -q BADSIG <<<"$out" || die "apt refused the changed InRelease, but not for its signature: $out"
rm -rf "$work/rogue" "$work/tampered"

step "apt-get install execref from deb [signed-by=$keyring] file://$repo stable main"
# What exists before, of every path the packages hold: directories such as
# /usr/bin stay after the purge; everything else must go.
for p in "${packages[@]}"; do
	dpkg-deb --fsys-tarfile "${deb_of[$p]}" | tar -t | sed -e 's|^\./|/|' -e 's|/$||' | grep -v '^\.\?$'
done | sort -u >"$work/paths"
while IFS= read -r path; do
	if [ -e "$path" ] || [ -L "$path" ]; then echo "$path"; fi
done <"$work/paths" >"$work/preexisting"

echo "deb [signed-by=$keyring] file://$repo stable main" >"$source_file"
source_written=1
lists_prefix=$(echo "$repo" | tr / _)_
# Only this source is updated; List-Cleanup=0 keeps the lists of the others.
update_log=$work/update.log
if ! apt_get update -o Dir::Etc::sourcelist="$source_file" -o Dir::Etc::sourceparts=- \
	-o APT::Get::List-Cleanup=0 >"$update_log" 2>&1 ||
	grep -Eq '^(E:|Err:)|NO_PUBKEY|BADSIG|not signed' "$update_log"; then
	cat "$update_log" >&2
	die "apt-get update of the repository failed"
fi
installed=1
apt_get install -y --no-install-recommends execref >"$work/install.log" 2>&1 || {
	cat "$work/install.log" >&2
	die "apt-get install execref failed"
}
for p in "${packages[@]}"; do
	got=$(dpkg-query -W -f='${Version} ${db:Status-Status}' "$p")
	[ "$got" = "${version_of[$p]} installed" ] || die "$p: dpkg says '$got', want '${version_of[$p]} installed'"
done
# Every path dpkg installed, recorded for after the purge.
for p in "${packages[@]}"; do dpkg -L "$p"; done | grep -v '^/\.$' | sort -u >"$work/installed"

# Installed as any tool is: on PATH, with a man page and completions.
for b in "${binaries[@]}"; do
	[ "$(PATH=/usr/bin:/bin command -v "$b")" = "/usr/bin/$b" ] || die "$b is not /usr/bin/$b"
	gzip -dc "/usr/share/man/man1/$b.1.gz" | grep -q '^\.TH ' || die "no man page /usr/share/man/man1/$b.1.gz"
	for f in "/usr/share/bash-completion/completions/$b" "/usr/share/zsh/vendor-completions/_$b" \
		"/usr/share/fish/vendor_completions.d/$b.fish" "/usr/share/doc/$b/copyright"; do
		[ -s "$f" ] || die "$b: no $f"
	done
	bash -c 'source "$1" && complete -p "$2"' _ "/usr/share/bash-completion/completions/$b" "$b" >/dev/null ||
		die "$b: its bash completion does not register"
done
[ -s /usr/share/doc/execref/copyright ] || die "execref: no /usr/share/doc/execref/copyright"
# The resolvers say the packaged version (X.Y.Z, without epoch or suffix).
for b in openclaw-sops-resolver openclaw-vault-resolver openclaw-aws-resolver openclaw-1password-resolver; do
	v=${version_of[$b]#*:}
	v=${v%%[~+-]*}
	"/usr/bin/$b" --version | grep -qF "$v" || die "$b --version does not say $v: $("/usr/bin/$b" --version 2>&1)"
done

step "lintian on each package (fails on any error)"
# Copies the user can read, whatever the checkout's modes.
mkdir -p "$work/lintian"
lintian_debs=()
for p in "${packages[@]}"; do
	install -m 0644 "${deb_of[$p]}" "$work/lintian/"
	lintian_debs+=("$work/lintian/$(basename "${deb_of[$p]}")")
done
if ! as_user lintian --fail-on error --tag-display-limit 0 "${lintian_debs[@]}"; then
	die "lintian found errors (E:) in the packages"
fi

step "conformance: the installed openclaw-resolver-conformance on the suite's reference resolver"
mkdir -p "$work/conformance/reference"
go build -trimpath -o "$work/conformance/reference/resolver" ./conformance/testdata/resolver
cp conformance/testdata/fixtures/reference.json "$work/conformance/reference/fixture.json"
/usr/bin/openclaw-resolver-conformance --fixture "$work/conformance/reference/fixture.json" || die "the reference resolver is not conformant per the installed suite"

step "conformance: /usr/bin/openclaw-sops-resolver with a real age key and sops file"
# The sops and age-keygen a user runs, at the versions the resolver links
# (built from its module's dependencies: no other download).
mkdir -p "$work/tools"
(cd resolvers/sops && go build -trimpath -o "$work/tools/" github.com/getsops/sops/v3/cmd/sops filippo.io/age/cmd/age-keygen)
secrets=$work/sops
mkdir -m 0700 "$secrets"
"$work/tools/age-keygen" -o "$secrets/keys.txt" 2>/dev/null
chmod 0600 "$secrets/keys.txt"
recipient=$("$work/tools/age-keygen" -y "$secrets/keys.txt")
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
api_key=sk-e2e-$(hex 16)
db_url=postgres://app:$(hex 12)@db.internal:5432/app
unicode_pw=pässwörd-密码-🔑-$(hex 4)
pem_body=$(hex 32)
pem=$'-----BEGIN PRIVATE KEY-----\n'$pem_body$'\n-----END PRIVATE KEY-----\n'
chan_token=hash-token-$(hex 8)
prod_key=sk-prod-$(hex 16)
# shown prints an output file into a failure message only after checking
# that it holds no value: a failing run must not be how a value gets out
# (the check after the gateway's run fails the test for the same reason).
shown() {
	local v
	for v in "$api_key" "$db_url" "$unicode_pw" "$pem_body" "$chan_token" "$prod_key"; do
		if grep -qF -- "$v" "$1"; then
			echo "($1 not shown: it holds a value)"
			return
		fi
	done
	cat "$1"
}
# The plaintext goes to sops on stdin, never to a file.
(cd "$secrets" && "$work/tools/sops" encrypt --age "$recipient" --filename-override secrets.yaml \
	>secrets.enc.yaml) <<EOF
openai:
    apiKey: $api_key
database:
    url: $db_url
unicode: "$unicode_pw"
tls:
    key: |
        -----BEGIN PRIVATE KEY-----
        $pem_body
        -----END PRIVATE KEY-----
"chan#ops":
    token: $chan_token
EOF
# A second file, JSON, for ids with a file alias ("prod:openai/apiKey").
(cd "$secrets" && "$work/tools/sops" encrypt --age "$recipient" --filename-override prod.json \
	>prod.enc.json) <<EOF
{"openai": {"apiKey": "$prod_key"}}
EOF
chmod 0600 "$secrets/secrets.enc.yaml" "$secrets/prod.enc.json"
if grep -qF -e "$api_key" -e "$prod_key" "$secrets/secrets.enc.yaml" "$secrets/prod.enc.json"; then
	die "sops left a value in clear"
fi
(umask 077 && cat >"$secrets/fixture.json") <<EOF
{
  "name": "sops",
  "provider": {
    "source": "exec",
    "command": "/usr/bin/openclaw-sops-resolver",
    "args": ["--file", "$secrets/secrets.enc.yaml", "--file", "prod=$secrets/prod.enc.json"],
    "env": {"SOPS_AGE_KEY_FILE": "$secrets/keys.txt"}
  },
  "values": {
    "openai/apiKey": "$api_key",
    "database/url": "$db_url",
    "unicode": "$unicode_pw",
    "tls/key": "-----BEGIN PRIVATE KEY-----\\n$pem_body\\n-----END PRIVATE KEY-----\\n",
    "chan#ops/token": "$chan_token",
    "prod:openai/apiKey": "$prod_key"
  },
  "notFound": ["openai/missing", "nothing/here", "prod:nothing/here"],
  "invalid": ["openai//apiKey"],
  "gatewayEnv": {}
}
EOF
/usr/bin/openclaw-resolver-conformance --fixture "$secrets/fixture.json" --transport exec,agent /usr/bin/openclaw-sops-resolver ||
	die "/usr/bin/openclaw-sops-resolver is not conformant over exec and the agent"
# The packaged binary is the default build, which does not link go-plugin
# (docs/sdk.md, "go-plugin"): the suite refuses plugin for it at once,
# status 64 (usage), in one line that names the tag.
status=0
refusal=$(/usr/bin/openclaw-resolver-conformance --fixture "$secrets/fixture.json" --transport plugin /usr/bin/openclaw-sops-resolver 2>&1) || status=$?
want='--transport plugin: /usr/bin/openclaw-sops-resolver does not serve go-plugin: it was built without -tags execref_plugin'
if [[ $status -ne 64 || $refusal != *"$want"* || $(wc -l <<<"$refusal") -ne 1 ]]; then
	die "the suite over go-plugin against the packaged resolver: status $status, want 64 and one line saying: $want; got: $refusal"
fi

step "a fresh user: openclaw-sops-resolver install, the block in openclaw.json, the real gateway"
paths=$(scripts/install-openclaw.sh "$cache") || die "could not install the real gateway"
node=$(sed -n 's/^EXECREF_NODE=//p' <<<"$paths")
prefix=$(sed -n 's/^EXECREF_OPENCLAW_PREFIX=//p' <<<"$paths")
# The cache may be root's own (a 0700 home, 0700 install directories): the
# user gets a copy it can read. Hard links when the file system allows, so
# only directories, never shared with the cache, have their modes opened.
gateway=$work/gateway
mkdir -p "$gateway"
node_pkg=$(dirname "$(dirname "$node")")
# A failed cp -al (another file system) leaves a partial tree behind:
# remove it, or cp -a would copy into it rather than as it.
copy_tree() { cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2"; cp -a "$1" "$2"; }; }
copy_tree "$node_pkg" "$gateway/node"
copy_tree "$prefix" "$gateway/openclaw"
cp packaging/apt/gateway-digests.mjs packaging/apt/audit-summary.mjs "$gateway/"
find "$gateway" -type d -exec chmod go+rx {} +
unreadable=$(find "$gateway" -type f ! -perm -o+r | head -n 3)
[ -z "$unreadable" ] || die "files of the gateway install others cannot read: $unreadable"
node=$gateway/node/bin/node
cli=$gateway/openclaw/node_modules/openclaw/openclaw.mjs

as_user openclaw-sops-resolver install >"$work/install-block" || die "openclaw-sops-resolver install failed as $user"
copy=$home/.openclaw/bin/openclaw-sops-resolver
[ "$(stat -c '%U %a' "$copy")" = "$user 755" ] || die "install's copy $copy is $(stat -c '%U %a' "$copy"), want $user 755"
cmp -s "$copy" /usr/bin/openclaw-sops-resolver || die "install's copy differs from /usr/bin/openclaw-sops-resolver"
grep -qF "command: \"$copy\"" "$work/install-block" || die "install did not print a block for $copy: $(shown "$work/install-block")"

# The user's age key and encrypted file, 0600 in 0700 directories.
install -d -o "$user" -g "$user" -m 0700 "$home/.config" "$home/.config/sops" "$home/.config/sops/age" "$home/secrets"
install -o "$user" -g "$user" -m 0600 "$secrets/keys.txt" "$home/.config/sops/age/keys.txt"
install -o "$user" -g "$user" -m 0600 "$secrets/secrets.enc.yaml" "$home/secrets/secrets.enc.yaml"

# The printed block, pasted under secrets.providers with the args its note
# asks for, and refs that use it: four values and one missing id (proof
# that the audit runs the resolver rather than skipping it).
block=$(sed "s|^  source: \"exec\",\$|&\n  args: [\"--file\", \"$home/secrets/secrets.enc.yaml\"],|" "$work/install-block")
grep -q '^  args: \["--file"' <<<"$block" || die "could not add args to the printed block: $(shown "$work/install-block")"
config=$home/.openclaw/openclaw.json
{
	printf '{\n  secrets: {\n    providers: {\n%s\n    },\n  },\n' "$block"
	printf '  skills: {\n    entries: {\n'
	printf '      openai: { apiKey: { source: "exec", provider: "sops", id: "openai/apiKey" } },\n'
	printf '      database: { apiKey: { source: "exec", provider: "sops", id: "database/url" } },\n'
	printf '      unicode: { apiKey: { source: "exec", provider: "sops", id: "unicode" } },\n'
	printf '      tls: { apiKey: { source: "exec", provider: "sops", id: "tls/key" } },\n'
	printf '      missing: { apiKey: { source: "exec", provider: "sops", id: "openai/missing" } },\n'
	printf '    },\n  },\n}\n'
} >"$config"
chown "$user:$user" "$config"
chmod 0600 "$config"

# The real CLI's audit reads that file and runs the resolver as the user;
# exit 2 because one ref is missing on purpose.
status=0
as_user "$node" "$cli" secrets audit --allow-exec --json >"$work/audit.json" 2>"$work/audit.err" || status=$?
[ "$status" -eq 2 ] || die "openclaw secrets audit exited $status, want 2 (one ref missing on purpose): $(shown "$work/audit.err")"
want_audit=$'checked 5\nskipped 0\nunresolved skills.entries.missing.apiKey'
got_audit=$("$node" "$gateway/audit-summary.mjs" <"$work/audit.json")
[ "$got_audit" = "$want_audit" ] || die "the gateway's audit as $user:
$got_audit
want:
$want_audit"

# The values themselves, through the gateway's resolver as the user,
# compared by SHA-256.
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
want_digests="sops:openai/apiKey sha256:$(sha "$api_key")
sops:database/url sha256:$(sha "$db_url")
sops:unicode sha256:$(sha "$unicode_pw")
sops:tls/key sha256:$(sha "$pem")
sops:chan#ops/token sha256:$(sha "$chan_token")
sops:openai/missing error SECRET_REF_NOT_FOUND"
got_digests=$(as_user "$node" "$gateway/gateway-digests.mjs" "$gateway/openclaw" "$config" \
	sops:openai/apiKey sops:database/url sops:unicode sops:tls/key 'sops:chan#ops/token' sops:openai/missing) ||
	die "gateway-digests.mjs failed as $user"
[ "$got_digests" = "$want_digests" ] || die "the gateway resolved other values as $user:
$got_digests
want:
$want_digests"

# The installed runner, as the user, on the same block.
as_user openclaw-resolver-run --config --provider sops openai/apiKey >"$work/run.out" 2>&1 ||
	die "openclaw-resolver-run --config --provider sops failed as $user: $(shown "$work/run.out")"
grep -q '^openai/apiKey  *ok ' "$work/run.out" || die "openclaw-resolver-run did not report openai/apiKey ok: $(shown "$work/run.out")"
for v in "$api_key" "$db_url" "$unicode_pw" "$pem_body" "$chan_token"; do
	if grep -qF -- "$v" "$work/audit.json" "$work/audit.err" "$work/run.out" "$work/install-block"; then
		die "a value (${#v} chars) was printed"
	fi
done

step "the agent, started as the installed systemd unit starts it; the real gateway's batches answered by it"
unit=/usr/lib/systemd/user/openclaw-resolver-agent@.service
[ -f "$unit" ] || die "the package did not install $unit"
# The unit's own command line, instance sops (no systemd here: the fresh
# user's environment stands in for its user manager's).
read -r -a agent_cmd <<<"$(sed -n 's/^ExecStart=//p' "$unit" | sed 's/%i/sops/g')"
[ "${agent_cmd[0]}" = /usr/bin/openclaw-resolver-run ] || die "unexpected ExecStart in $unit: ${agent_cmd[*]}"
# The block names no socket yet: refused, with the line to add.
status=0
as_user "${agent_cmd[@]}" >"$work/agent-refusal" 2>&1 || status=$?
[ "$status" -eq 3 ] || die "the agent of a block without a socket exited $status, want 3: $(shown "$work/agent-refusal")"
socket=$(sed -n 's/.*"EXECREF_AGENT": "\([^"]*\)".*/\1/p' "$work/agent-refusal")
[ -n "$socket" ] || die "the refusal names no socket to add: $(shown "$work/agent-refusal")"
sed -i "s|^  args: \[\"--file\".*|&\n  env: { EXECREF_AGENT: \"$socket\" },|" "$config"
grep -qF "EXECREF_AGENT: \"$socket\"" "$config" || die "could not add EXECREF_AGENT to $config"
as_user "${agent_cmd[@]}" --verbose >"$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || die "the agent does not listen on $socket: $(shown "$work/agent.log")"
got_digests=$(as_user "$node" "$gateway/gateway-digests.mjs" "$gateway/openclaw" "$config" \
	sops:openai/apiKey sops:database/url sops:unicode sops:tls/key 'sops:chan#ops/token' sops:openai/missing) ||
	die "gateway-digests.mjs failed as $user with the agent"
[ "$got_digests" = "$want_digests" ] || die "through the agent, the gateway resolved other values as $user:
$got_digests
want:
$want_digests"
# Every batch the gateway sent was answered by the agent: its log counts
# them, and the runner shows the resolver saying so.
answered=$(grep -c 'answered [0-9]* values' "$work/agent.log" || true)
[ "$answered" -ge 1 ] || die "the agent answered no batch of the gateway's: $(shown "$work/agent.log")"
as_user openclaw-resolver-run --config --provider sops --verbose openai/apiKey >"$work/run-agent.out" 2>&1 ||
	die "openclaw-resolver-run with the agent failed as $user: $(shown "$work/run-agent.out")"
grep -qF "answered by the agent on $socket" "$work/run-agent.out" ||
	die "the resolver did not say the agent answered: $(shown "$work/run-agent.out")"
# SIGTERM to the agent itself, as systemd stops it: the runner replaced
# itself with the resolver, under runuser, whose status is the agent's.
resolver_pid=$(pgrep -u "$user" -f -- "openclaw-sops-resolver .* agent\$") ||
	die "no agent process of $user: $(shown "$work/agent.log")"
kill -TERM "$resolver_pid"
status=0
wait "$agent_pid" || status=$?
[ "$status" -eq 0 ] || die "the agent exited $status on SIGTERM, want 0: $(shown "$work/agent.log")"
[ ! -e "$socket" ] || die "the agent left its socket $socket behind"
for v in "$api_key" "$db_url" "$unicode_pw" "$pem_body" "$chan_token"; do
	if grep -qF -- "$v" "$work/agent.log" "$work/agent-refusal" "$work/run-agent.out"; then
		die "a value (${#v} chars) was printed by the agent or the runner"
	fi
done

step "apt-get remove, then purge: nothing the packages installed remains"
apt_get remove -y "${packages[@]}" >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; die "apt-get remove failed"; }
for b in "${binaries[@]}"; do
	[ ! -e "/usr/bin/$b" ] || die "/usr/bin/$b remains after apt-get remove"
done
apt_get purge -y "${packages[@]}" >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; die "apt-get purge failed"; }
installed=
for p in "${packages[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $st in "" | ?n*) ;; *) die "$p is still known to dpkg as '$st' after the purge" ;; esac
done
leftovers=$(while IFS= read -r path; do
	if { [ -e "$path" ] || [ -L "$path" ]; } && ! grep -qxF "$path" "$work/preexisting"; then echo "$path"; fi
done <"$work/installed")
[ -z "$leftovers" ] || die "left behind by the packages:
$leftovers"
# What stays by design: the user's own copy, made by `install` and never
# known to dpkg (the user removes it, or `install` replaces it after an
# upgrade); here it goes with the user.
[ -x "$copy" ] || die "the user's own copy $copy went with the package"
