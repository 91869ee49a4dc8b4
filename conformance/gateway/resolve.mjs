// resolve.mjs runs the real OpenClaw gateway's resolveSecretRefValues (from
// the installed openclaw package's "openclaw/plugin-sdk/secret-ref-runtime")
// over exec SecretRefs and reports one outcome per ref.
//
//   node resolve.mjs --prefix=PREFIX < {"providers":{NAME:{...}},"refs":[{"provider","id"}]}
//   stdout: {"results":[{"provider","id","value"?,"error"?:{"code","message"}}]}
//
// PREFIX is the npm prefix openclaw is installed under (PREFIX/node_modules/
// openclaw). The process environment is the gateway's: resolveSecretRefValues
// reads passEnv values from process.env, as the gateway does.
//
// resolveSecretRefValues stops at the first failing ref and throws it, so a
// ref's own outcome is found by narrowing: the whole batch first (one process
// per provider, providers concurrently, exactly as the gateway batches); if it
// throws, each provider's refs as one batch; if that throws, each ref alone.
// A ref's error is then the very error the gateway raises for it.
//
// Nothing here writes a value anywhere but stdout.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const SPECIFIER = "openclaw/plugin-sdk/secret-ref-runtime";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function describe(err) {
  if (err instanceof Error) {
    const code = typeof err.code === "string" && err.code !== "" ? err.code : err.name || "Error";
    return { code, message: err.message };
  }
  return { code: "Error", message: String(err) };
}

// refKey is the gateway's own map key (secretRefKey over a trimmed id).
const refKey = (ref) => `exec:${ref.provider}:${ref.id.trim()}`;

async function main() {
  // The last argument, whether this runs as a file or from --eval.
  const arg = process.argv.at(-1) ?? "";
  const prefix = arg.startsWith("--prefix=") ? arg.slice("--prefix=".length) : "";
  if (!prefix) throw new Error("usage: node resolve.mjs --prefix=OPENCLAW_PREFIX < request.json");
  // Resolve through the package's "exports", as a plugin importing the
  // specifier would; this script itself lives outside the prefix.
  const require = createRequire(path.join(path.resolve(prefix), "node_modules", "_execref_resolve.cjs"));
  const runtime = await import(pathToFileURL(require.resolve(SPECIFIER)).href);
  if (typeof runtime.resolveSecretRefValues !== "function") {
    throw new Error(`${SPECIFIER} does not export resolveSecretRefValues`);
  }

  const request = JSON.parse(await readStdin());
  const config = { secrets: { providers: request.providers ?? {} } };
  const refs = (request.refs ?? []).map((r) => ({ source: "exec", provider: r.provider, id: r.id }));

  const outcomes = new Map(); // refKey -> {value} | {error}
  const attempt = async (batch) => {
    try {
      const resolved = await runtime.resolveSecretRefValues(batch, { config });
      for (const ref of batch) {
        const key = refKey(ref);
        outcomes.set(key, resolved.has(key) ? { value: resolved.get(key) } : {
          error: { code: "SECRET_REF_PROVIDER_CONTRACT", message: `no result for ${key}` },
        });
      }
      return true;
    } catch (err) {
      if (batch.length === 1) outcomes.set(refKey(batch[0]), { error: describe(err) });
      return false;
    }
  };

  if (refs.length > 0 && !(await attempt(refs))) {
    const byProvider = new Map();
    for (const ref of refs) {
      if (!byProvider.has(ref.provider)) byProvider.set(ref.provider, []);
      byProvider.get(ref.provider).push(ref);
    }
    for (const group of byProvider.values()) {
      if (group.length > 1 && (await attempt(group))) continue;
      for (const ref of group) {
        if (!outcomes.has(refKey(ref))) await attempt([ref]);
      }
    }
  }

  const results = refs.map((ref) => {
    const o = outcomes.get(refKey(ref)) ?? { error: { code: "Error", message: "not attempted" } };
    return { provider: ref.provider, id: ref.id, ...o };
  });
  await new Promise((resolve, reject) =>
    process.stdout.write(JSON.stringify({ results }), (err) => (err ? reject(err) : resolve())),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    // Never the value: only this script's own failure (bad request, missing
    // package), whose message names paths and specifiers.
    process.stderr.write(`resolve.mjs: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
