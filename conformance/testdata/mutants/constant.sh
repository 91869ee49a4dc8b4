#!/bin/sh
# constant.sh: a non-Go mutant for the conformance suite. It reads the whole
# request with shell builtins only (the gateway gives it no PATH, so no cat)
# and answers no id at all, whatever was asked: every requested id is then
# absent from the response, which the gateway fails as "response missing id".
while IFS= read -r line || [ -n "$line" ]; do :; done
printf '%s\n' '{"protocolVersion":1,"values":{}}'
