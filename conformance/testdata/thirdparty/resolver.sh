#!/bin/sh
# A third-party exec SecretRef resolver for OpenClaw, written the way an
# outside author would: POSIX sh, shell builtins only (the gateway gives it
# no PATH), secrets read from secrets.tsv beside this script, one
# "id<TAB>value as a JSON string literal" per line.
#
# Without arguments it is correct. `--bug NAME` turns on one mistake a real
# author could make (see README.md); the differential test
# (conformance/differential_gateway_test.go) runs every variant through the
# conformance suite and through the real gateway.
#
# It reads the request the way a shell can: the gateway writes exactly
# {"protocolVersion":1,"provider":"P","ids":["a","b"]} on one line, without
# a trailing newline, and anything else is refused.

bug=
if [ "$1" = --bug ]; then bug=$2; fi
case $bug in
'' | read-loop | store-in-home | version-2 | lowercase-code | prefix-match | crlf | \
	any-version | accepts-garbage | eval-dedup | errors-only-when-none-resolved | \
	background-child | no-dedup | no-message) ;;
*)
	printf 'resolver.sh: unknown --bug %s\n' "$bug" >&2
	exit 2
	;;
esac

here=${0%/*}
tab=$(printf '\t')
nl='
'

refuse() {
	if [ "$bug" = accepts-garbage ]; then
		# Bug: anything unreadable is "no ids", answered with exit 0.
		printf '%s\n' '{"protocolVersion":1,"values":{},"errors":{}}'
		exit 0
	fi
	printf 'resolver.sh: %s\n' "$1" >&2
	exit 2
}

# The request.
req=
case $bug in
read-loop)
	# Bug: a while-read loop drops a last line that has no newline, and
	# the gateway's request is exactly that line.
	while IFS= read -r line; do req=$req$line; done
	;;
*)
	IFS= read -r req || [ -n "$req" ] || refuse "empty request"
	;;
esac
[ -n "$req" ] || refuse "empty request"
[ ${#req} -le 262144 ] || refuse "request larger than 262144 bytes"

head='{"protocolVersion":1,"provider":"'
if [ "$bug" = any-version ]; then
	# Bug: takes any protocolVersion, even "1" or 2, for 1.
	case $req in
	'{"protocolVersion":'*',"provider":"'*) head=${req%%',"provider":"'*}',"provider":"' ;;
	esac
fi
case $req in
"$head"*'","ids":['*']}') ;;
*) refuse "not a protocol version 1 request" ;;
esac
rest=${req#"$head"}
list=${rest#*'","ids":['}
list=${list%']}'}

valid_id() {
	case $1 in
	'' | [!A-Za-z0-9]* | *[!A-Za-z0-9._:/#-]*) return 1 ;;
	. | .. | ./* | ../* | */. | */.. | */./* | */../*) return 1 ;;
	esac
	[ ${#1} -le 256 ]
}

# The store, as one string: NL id TAB literal NL ...
store_file=$here/secrets.tsv
# Bug: the store kept under $HOME, which the gateway does not set.
[ "$bug" = store-in-home ] && store_file=$HOME/.config/thirdparty/secrets.tsv
[ -r "$store_file" ] || refuse "cannot read $store_file"
store=$nl
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '#'* | '') continue ;; esac
	store=$store$line$nl
done <"$store_file"

code=NOT_FOUND
[ "$bug" = lowercase-code ] && code=not_found # Bug

values=
errors=
seen=$nl
set -f
IFS=,
# shellcheck disable=SC2086 # split on the commas between ids
set -- $list
IFS=' 	
'
for el; do
	case $el in
	'"'*'"')
		id=${el#'"'}
		id=${id%'"'}
		;;
	*) refuse '"ids" must be an array of strings' ;;
	esac
	case $id in *'"'*) refuse '"ids" must be an array of strings' ;; esac
	case $bug in
	eval-dedup)
		# Bug: remembers ids in shell variables named after them.
		if eval "[ -n \"\${seen_$id}\" ]" 2>/dev/null; then continue; fi
		eval "seen_$id=1" 2>/dev/null
		;;
	no-dedup) ;; # Bug: a repeated id is answered twice
	*)
		case $seen in *"$nl$id$nl"*) continue ;; esac
		seen=$seen$id$nl
		;;
	esac
	if ! valid_id "$id"; then
		errors=$errors${errors:+,}'"'$id'":{"code":"INVALID_ID","message":"id outside the gateway'"'"'s id grammar"}'
		continue
	fi
	key="$nl$id$tab"
	[ "$bug" = prefix-match ] && key="$nl$id" # Bug: like grep "^$id"
	case $store in
	*"$key"*)
		v=${store#*"$key"}
		v=${v%%"$nl"*}
		v=${v#*"$tab"}
		values=$values${values:+,}'"'$id'":'$v
		;;
	*)
		message=',"message":"no secret '$id' in secrets.tsv"'
		[ "$bug" = no-message ] && message= # quirk: a code without a message
		errors=$errors${errors:+,}'"'$id'":{"code":"'$code'"'$message'}'
		;;
	esac
done

if [ "$bug" = background-child ]; then
	# Bug: a cache warmer started in the background keeps stdout open.
	/bin/sleep 30 &
fi

version=1
[ "$bug" = version-2 ] && version=2 # Bug: "our" version
eol='\n'
[ "$bug" = crlf ] && eol='\r\n'
if [ "$bug" = errors-only-when-none-resolved ] && [ -z "$values" ] && [ -n "$errors" ]; then
	# Bug: nothing resolved, so only the errors are reported.
	printf '{"protocolVersion":%s,"errors":{%s}}'"$eol" "$version" "$errors"
	exit 0
fi
printf '{"protocolVersion":%s,"values":{%s},"errors":{%s}}'"$eol" "$version" "$values" "$errors"
