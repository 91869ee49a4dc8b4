// Parses .env files with the dotenv package the gateway uses, keeping what
// the gateway keeps (portable variable names), and prints one JSON line
// per file for TestDotEnvDifferentialGateway:
//
//   node dotenv_parse.mjs NPM_PREFIX FILE...
//
// {"file": F, "entries": [[KEY, VALUE]...]} in the order the gateway
// applies them; lone surrogates cannot occur (the file is decoded as
// UTF-8).
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [prefix, ...files] = process.argv.slice(2);
const require = createRequire(path.join(prefix, "node_modules", "openclaw", "package.json"));
const dotenv = require("dotenv");

for (const file of files) {
  const entries = [];
  for (const [rawKey, value] of Object.entries(dotenv.parse(fs.readFileSync(file)))) {
    const key = rawKey.trim();
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) entries.push([key, value]);
  }
  process.stdout.write(JSON.stringify({ file: path.basename(file), entries }) + "\n");
}
