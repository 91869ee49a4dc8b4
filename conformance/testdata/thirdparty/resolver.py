#!/usr/bin/env python3
"""A third-party exec SecretRef resolver for OpenClaw, written the way an
outside author would: Python 3, standard library only, secrets read from
secrets.json beside this script.

Without arguments it is correct. `--bug NAME` turns on one mistake a real
author could make (see README.md); the differential test
(conformance/differential_gateway_test.go) runs every variant through the
conformance suite and through the real gateway.

The gateway runs this with an empty environment (no PATH, no HOME), so the
installed copy's first line names the interpreter by absolute path.
"""

import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_REQUEST = 262144  # the gateway never sends more (maxBatchBytes)
ID_GRAMMAR = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}")
PROTOCOL_VERSION = 1
BUGS = {"stdin-64k", "strip-scheme", "crash-on-colon", "trim-values", "null-for-missing",
        "sleep-on-missing", "pid-in-message", "needs-home", "value-on-stderr", "version-float",
        "pretty", "bom", "exit1-when-all-failed", "per-id-latency", "ascii-escapes",
        "omit-empty-errors", "extra-members"}


def refuse(message):
    sys.stderr.write("resolver.py: %s\n" % message)
    sys.exit(2)


def valid_id(secret_id):
    if not ID_GRAMMAR.fullmatch(secret_id):
        return False
    return all(seg not in (".", "..") for seg in secret_id.split("/"))


def read_request(bug):
    if bug == "stdin-64k":
        # Bug: one read(2) of at most 64 KiB, as if a pipe delivered the
        # whole request at once. Large batches arrive cut.
        raw = os.read(0, 65536)
    else:
        raw = sys.stdin.buffer.read(MAX_REQUEST + 1)
        if len(raw) > MAX_REQUEST:
            refuse("request larger than %d bytes" % MAX_REQUEST)
    try:
        req = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        refuse("stdin is not a JSON request: %s" % err.__class__.__name__)
    if not isinstance(req, dict):
        refuse("the request is not a JSON object")
    version = req.get("protocolVersion")
    if type(version) is not int or version != 1:
        refuse("unsupported protocolVersion %r" % (version,))
    ids = req.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        refuse('"ids" must be an array of strings')
    if not isinstance(req.get("provider"), str):
        refuse('"provider" must be a string')
    return ids


def lookup(store, secret_id, bug):
    """Returns (value, None) or (None, error)."""
    if bug == "per-id-latency":
        time.sleep(0.015)  # Bug: one sequential backend round trip per id
    key = secret_id
    if bug == "strip-scheme":
        # Bug: drops a "scheme:" prefix such as "vault:" -- and with it
        # the "x:" and "db:" that are part of the ids.
        key = re.sub(r"^[a-z]+:", "", key)
    if bug == "crash-on-colon" and ":" in key:
        # Bug: "section:key" ids are looked up in a nested section, which
        # a flat store does not have: an uncaught KeyError.
        section, rest = key.split(":", 1)
        return store[section][rest], None
    if key in store:
        value = store[key]
        if bug == "trim-values":
            value = value.strip()  # Bug: "clean up" values
        return value, None
    if bug == "null-for-missing":
        return store.get(key), None  # Bug: None is sent as null, a value
    if bug == "sleep-on-missing":
        time.sleep(6)  # Bug: backs off before giving up on a missing id
    message = "no secret %r in secrets.json" % secret_id
    if bug == "pid-in-message":
        message = "[pid %d] %s" % (os.getpid(), message)
    return None, {"code": "NOT_FOUND", "message": message}


def main(argv):
    bug = argv[argv.index("--bug") + 1] if "--bug" in argv else ""
    if bug and bug not in BUGS:
        refuse("unknown --bug %r" % bug)
    if bug == "needs-home":
        # Bug: a cache directory under $HOME, which the gateway does not set.
        cache = os.path.join(os.environ["HOME"], ".cache", "thirdparty-resolver")
        os.makedirs(cache, exist_ok=True)
    ids = read_request(bug)
    with open(os.path.join(HERE, "secrets.json"), encoding="utf-8") as f:
        store = json.load(f)

    values, errors, seen = {}, {}, set()
    for secret_id in ids:
        if secret_id in seen:
            continue
        seen.add(secret_id)
        if not valid_id(secret_id):
            errors[secret_id] = {"code": "INVALID_ID", "message": "id outside the gateway's id grammar"}
            continue
        value, error = lookup(store, secret_id, bug)
        if error is not None:
            errors[secret_id] = error
            continue
        values[secret_id] = value
        if bug == "value-on-stderr":
            sys.stderr.write("debug: %s = %r\n" % (secret_id, value))  # Bug: logs the value

    version = 1.0 if bug == "version-float" else PROTOCOL_VERSION  # Bug: a float
    response = {"protocolVersion": version, "values": values, "errors": errors}
    if bug == "omit-empty-errors" and not errors:
        del response["errors"]  # quirk: no "errors" member when there are none
    if bug == "extra-members":
        response["resolver"] = {"name": "thirdparty", "version": "0.3.1"}  # quirk: metadata
    text = json.dumps(response,
                      ensure_ascii=(bug == "ascii-escapes"),  # quirk: json.dumps' default, \uXXXX
                      indent=2 if bug == "pretty" else None) + "\n"
    # Bug "bom": utf-8-sig writes a byte order mark first.
    sys.stdout.buffer.write(text.encode("utf-8-sig" if bug == "bom" else "utf-8"))
    sys.stdout.flush()
    if bug == "exit1-when-all-failed" and errors and not values:
        return 1  # Bug: "nothing resolved" made a failure of the whole run
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
