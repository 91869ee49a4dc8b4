// gateway-digests.mjs resolves exec SecretRefs with the real OpenClaw
// gateway's resolveSecretRefValues (the installed openclaw package's
// "openclaw/plugin-sdk/secret-ref-runtime"), given a whole openclaw.json as
// its config, read with the package's own JSON5, and prints one line per
// ref: "PROVIDER:ID sha256:HEX" of the value, or "PROVIDER:ID error CODE".
// It never prints a value: the apt end-to-end test (scripts/apt-e2e.sh)
// compares the digests with those of the values it encrypted.
//
//   node gateway-digests.mjs OPENCLAW_PREFIX OPENCLAW_JSON PROVIDER:ID...
//
// The process environment is the gateway's: passEnv values come from it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const SPECIFIER = "openclaw/plugin-sdk/secret-ref-runtime";

async function main() {
  const [prefix, configPath, ...specs] = process.argv.slice(2);
  if (!prefix || !configPath || specs.length === 0) {
    throw new Error("usage: node gateway-digests.mjs OPENCLAW_PREFIX OPENCLAW_JSON PROVIDER:ID...");
  }
  // Resolved through the package's "exports", as a plugin would.
  const require = createRequire(path.join(path.resolve(prefix), "node_modules", "_execref_digests.cjs"));
  const JSON5 = require("json5");
  const runtime = await import(pathToFileURL(require.resolve(SPECIFIER)).href);
  const config = JSON5.parse(readFileSync(configPath, "utf8"));

  for (const spec of specs) {
    const colon = spec.indexOf(":");
    const ref = { source: "exec", provider: spec.slice(0, colon), id: spec.slice(colon + 1) };
    // One ref at a time: resolveSecretRefValues throws the first failure
    // of a batch, and each ref's own outcome is wanted.
    try {
      const resolved = await runtime.resolveSecretRefValues([ref], { config });
      const value = resolved.get(`exec:${ref.provider}:${ref.id}`);
      if (typeof value !== "string") {
        console.log(`${spec} error NO_RESULT`);
        continue;
      }
      console.log(`${spec} sha256:${createHash("sha256").update(value, "utf8").digest("hex")}`);
    } catch (err) {
      const code = typeof err?.code === "string" && err.code !== "" ? err.code : err?.name || "Error";
      console.log(`${spec} error ${code}`);
    }
  }
}

main().catch((err) => {
  // Only this script's own failure (usage, a missing package or file).
  process.stderr.write(`gateway-digests.mjs: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
