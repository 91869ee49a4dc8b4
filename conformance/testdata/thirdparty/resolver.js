#!/usr/bin/env node
// A third-party exec SecretRef resolver for OpenClaw, written the way an
// outside author would: Node, standard library only, secrets read from
// secrets.json beside this script.
//
// Without arguments it is correct. `--bug NAME` turns on one mistake a real
// author could make (see README.md); the differential test
// (conformance/differential_gateway_test.go) runs every variant through the
// conformance suite and through the real gateway.
//
// The gateway runs this with an empty environment (no PATH), so the
// installed copy's first line names node by absolute path.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const MAX_REQUEST = 262144; // the gateway never sends more (maxBatchBytes)
const ID_GRAMMAR = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;
const BUGS = new Set([
  "cut-at-hash", "stdout-log", "exit1-on-missing", "version-string", "drop-last",
  "mask-sensitive", "max-100", "json-decode-values", "extra-ids", "keeps-running",
  "plain-single", "errors-as-strings", "no-id-validation", "mangle-unicode",
  "omit-empty-members", "pinned-provider", "values-array", "no-newline", "stderr-chatter",
]);

const argv = process.argv.slice(2);
const bug = argv.includes("--bug") ? argv[argv.indexOf("--bug") + 1] : "";

function refuse(message) {
  process.stderr.write(`resolver.js: ${message}\n`);
  process.exit(2);
}

function validId(id) {
  return ID_GRAMMAR.test(id) && id.split("/").every((seg) => seg !== "." && seg !== "..");
}

async function readRequest() {
  const chunks = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += chunk.length;
    if (size > MAX_REQUEST) refuse(`request larger than ${MAX_REQUEST} bytes`);
    chunks.push(chunk);
  }
  let req;
  try {
    req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    refuse("stdin is not a JSON request");
  }
  if (req === null || typeof req !== "object" || Array.isArray(req)) refuse("the request is not a JSON object");
  if (req.protocolVersion !== 1) refuse(`unsupported protocolVersion ${JSON.stringify(req.protocolVersion)}`);
  if (!Array.isArray(req.ids) || !req.ids.every((id) => typeof id === "string")) refuse('"ids" must be an array of strings');
  if (typeof req.provider !== "string") refuse('"provider" must be a string');
  return req;
}

async function main() {
  if (bug && !BUGS.has(bug)) refuse(`unknown --bug ${JSON.stringify(bug)}`);
  if (bug === "keeps-running") {
    // Bug: a token refresher that is never stopped keeps node alive after
    // the answer is written.
    setInterval(() => {}, 60_000);
  }
  const req = await readRequest();
  if (bug === "pinned-provider" && req.provider !== "thirdparty") {
    // Bug: insists on the provider alias of its own documentation.
    refuse(`this resolver serves the provider "thirdparty", not ${JSON.stringify(req.provider)}`);
  }
  const ids = [...new Set(req.ids)];
  if (bug === "max-100" && ids.length > 100) refuse(`too many ids (${ids.length}), at most 100`); // Bug
  const store = JSON.parse(fs.readFileSync(path.join(__dirname, "secrets.json"), "utf8"));

  if (bug === "plain-single" && ids.length === 1 && Object.hasOwn(store, ids[0])) {
    // Bug: the legacy jsonOnly:false answer, a bare value, for one id.
    process.stdout.write(store[ids[0]]);
    return;
  }

  const values = bug === "values-array" ? [] : {}; // Bug: an array, whose string keys JSON.stringify drops
  const errors = {};
  if (bug === "stderr-chatter") process.stderr.write(`thirdparty resolver 0.3.1: ${ids.length} ids for ${req.provider}\n`); // quirk
  const n = bug === "drop-last" ? ids.length - 1 : ids.length; // Bug: off by one
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (bug !== "no-id-validation" && !validId(id)) {
      errors[id] = { code: "INVALID_ID", message: "id outside the gateway's id grammar" };
      continue;
    }
    const key = bug === "cut-at-hash" ? id.split("#")[0] : id; // Bug: "#..." taken for a fragment
    if (!Object.hasOwn(store, key)) {
      errors[id] = bug === "errors-as-strings" ? "NOT_FOUND" : { code: "NOT_FOUND", message: `no secret "${id}" in secrets.json` };
      continue;
    }
    let value = store[key];
    if (bug === "mask-sensitive" && /key|token|password|secret/i.test(id)) {
      value = "__OPENCLAW_REDACTED__"; // Bug: the "safe to log" serializer also writes the answer
    }
    if (bug === "json-decode-values") {
      try {
        value = JSON.parse(value); // Bug: "values that look like JSON are JSON"
      } catch {
        // a plain string stays a string
      }
    }
    values[id] = value;
  }
  if (bug === "extra-ids") Object.assign(values, store, values); // Bug: prefetches the whole store

  let response = { protocolVersion: 1, values, errors };
  if (bug === "version-string") response.protocolVersion = "1"; // Bug
  if (bug === "omit-empty-members") {
    // Bug: leaves out empty members, "values" included.
    response = { protocolVersion: 1 };
    if (Object.keys(values).length > 0) response.values = values;
    if (Object.keys(errors).length > 0) response.errors = errors;
  }
  if (bug === "stdout-log") console.log(`resolving ${ids.length} ids for ${req.provider}`); // Bug: a log on stdout
  // Bug "mangle-unicode": latin1 keeps only the low byte of each character.
  const eol = bug === "no-newline" ? "" : "\n"; // quirk: no newline at the end
  process.stdout.write(JSON.stringify(response) + eol, bug === "mangle-unicode" ? "latin1" : "utf8");
  if (bug === "exit1-on-missing" && Object.keys(errors).length > 0) process.exitCode = 1; // Bug
}

main().catch((err) => refuse(`internal error: ${err && err.message}`));
