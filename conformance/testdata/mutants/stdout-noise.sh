#!/bin/sh
# stdout-noise.sh: a non-Go mutant for the conformance suite. Like
# constant.sh, but it first prints a log line on stdout, so stdout is not
# one JSON object and the gateway reports "returned invalid JSON".
printf '%s\n' 'starting resolver'
while IFS= read -r line || [ -n "$line" ]; do :; done
printf '%s\n' '{"protocolVersion":1,"values":{}}'
