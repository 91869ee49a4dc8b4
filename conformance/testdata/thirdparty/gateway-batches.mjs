// gateway-batches.mjs resolves batches of exec SecretRefs through the real
// OpenClaw gateway code, one gateway call per batch, and reports every ref's
// outcome. The differential test (conformance/differential_gateway_test.go)
// drives it.
//
//   node gateway-batches.mjs --prefix=PREFIX < {"concurrency":N,"batches":[{"name","providers":{NAME:{...}},"refs":[{"provider","id"}]}]}
//   stdout: {"batches":[{"name","results":[{"provider","id","value"?,"error"?:{"code","message","scope"}}]}]}
//
// PREFIX is the npm prefix openclaw is installed under. Each batch is one
// call of resolveSecretRefValuesSettledByProvider: the function the gateway
// itself uses to prepare its runtime config (runtime-owner-assignments),
// one resolver process per provider, providers concurrently, and every
// ref's own error collected ("continue" mode) instead of the first one
// thrown. The public resolveSecretRefValues (which conformance/gateway's
// resolve.mjs calls) is the same code in "stop" mode: it throws the first
// error, so finding each ref's outcome there needs one resolver run per
// ref, too slow for 512-id batches and for resolvers that hang. The
// package does not export the settled function; it is imported from the
// chunk that re-exports it by name, and that chunk's resolveSecretRefValues
// must be the very function the public entry point exports.
//
// Batches run concurrently, at most N at a time. Nothing here writes a
// value anywhere but stdout.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const PUBLIC = "openclaw/plugin-sdk/secret-ref-runtime";
const SETTLED = "resolveSecretRefValuesSettledByProvider";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

// loadGateway returns the settled resolver, checked to belong to the same
// module instance as the public entry point's resolveSecretRefValues.
async function loadGateway(prefix) {
  const require = createRequire(path.join(path.resolve(prefix), "node_modules", "_execref_batches.cjs"));
  const publicPath = require.resolve(PUBLIC);
  const runtime = await import(pathToFileURL(publicPath).href);
  if (typeof runtime.resolveSecretRefValues !== "function") throw new Error(`${PUBLIC} does not export resolveSecretRefValues`);
  const dist = path.dirname(path.dirname(publicPath));
  const exporting = new RegExp(`export \\{(?:[^}]*,)?\\s*${SETTLED}\\s*[,}]`);
  for (const name of fs.readdirSync(dist).filter((n) => /^resolve-.*\.mjs$/.test(n)).sort()) {
    const file = path.join(dist, name);
    if (!exporting.test(fs.readFileSync(file, "utf8"))) continue;
    const mod = await import(pathToFileURL(file).href);
    if (typeof mod[SETTLED] === "function" && mod.resolveSecretRefValues === runtime.resolveSecretRefValues) {
      return mod[SETTLED];
    }
  }
  throw new Error(`no chunk under ${dist} exports ${SETTLED} beside the public resolveSecretRefValues`);
}

function describe(err) {
  if (err instanceof Error) {
    const code = typeof err.code === "string" && err.code !== "" ? err.code : err.name || "Error";
    return { code, message: err.message, scope: typeof err.scope === "string" ? err.scope : "" };
  }
  return { code: "Error", message: String(err), scope: "" };
}

const refKey = (ref) => `exec:${ref.provider}:${ref.id.trim()}`;

async function resolveBatch(settled, batch) {
  const config = { secrets: { providers: batch.providers ?? {} } };
  const refs = (batch.refs ?? []).map((r) => ({ source: "exec", provider: r.provider, id: r.id }));
  const outcomes = new Map();
  try {
    const { resolved, failures } = await settled(refs, { config });
    for (const { error } of failures) {
      for (const ref of refs) {
        if (error?.provider !== ref.provider) continue;
        // A ref error names its id; a provider error fails every ref of it.
        if (error.scope === "ref" && error.refId !== ref.id.trim()) continue;
        if (!outcomes.has(refKey(ref))) outcomes.set(refKey(ref), { error: describe(error) });
      }
    }
    for (const ref of refs) {
      if (outcomes.has(refKey(ref))) continue;
      outcomes.set(refKey(ref), resolved.has(refKey(ref)) ? { value: resolved.get(refKey(ref)) } : {
        error: { code: "NO_OUTCOME", message: `the gateway reported nothing for ${refKey(ref)}`, scope: "" },
      });
    }
  } catch (err) {
    // The whole call failed (a ref the grammar refuses, too many refs).
    for (const ref of refs) outcomes.set(refKey(ref), { error: describe(err) });
  }
  return { name: batch.name, results: refs.map((ref) => ({ provider: ref.provider, id: ref.id, ...outcomes.get(refKey(ref)) })) };
}

async function main() {
  const arg = process.argv.at(-1) ?? "";
  const prefix = arg.startsWith("--prefix=") ? arg.slice("--prefix=".length) : "";
  if (!prefix) throw new Error("usage: node gateway-batches.mjs --prefix=OPENCLAW_PREFIX < batches.json");
  const settled = await loadGateway(prefix);
  const request = JSON.parse(await readStdin());
  const batches = request.batches ?? [];
  const out = new Array(batches.length);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const i = next++;
      out[i] = await resolveBatch(settled, batches[i]);
    }
  };
  const n = Math.max(1, Math.min(request.concurrency ?? 1, batches.length));
  await Promise.all(Array.from({ length: n }, worker));
  await new Promise((resolve, reject) =>
    process.stdout.write(JSON.stringify({ batches: out }), (err) => (err ? reject(err) : resolve())),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`gateway-batches.mjs: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
