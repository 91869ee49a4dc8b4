#!/bin/sh
# placeholder.sh: answers the id "a" with the gateway's redaction
# placeholder, which the gateway refuses (SECRET_REF_REDACTED_VALUE). A
# fixture that expected this value would rate it conformant, so the suite
# refuses such a fixture.
while IFS= read -r line || [ -n "$line" ]; do :; done
printf '%s\n' '{"protocolVersion":1,"values":{"a":"__OPENCLAW_REDACTED__"}}'
