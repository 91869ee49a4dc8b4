// Parses files with the json5 package the gateway uses, as the gateway
// reads openclaw.json (fs.readFileSync(path, "utf-8"), then JSON5.parse),
// and prints one JSON line per file, for TestJSON5DifferentialGateway:
//
//   node json5_parse.mjs NPM_PREFIX FILE...
//
// {"file": F, "value": V} or {"file": F, "error": MESSAGE}, where V encodes
// the result without loss: {"o": [[key, V]...]} for an object, keys in
// Object.keys order; {"a": [V...]}; {"s": string}, lone surrogates made
// U+FFFD as Node does when it hands a string to a child process; {"n":
// String(number)}, "-0" for negative zero; {"b": bool}; null.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [prefix, ...files] = process.argv.slice(2);
const require = createRequire(path.join(prefix, "node_modules", "json5", "package.json"));
const JSON5 = require("json5");

function encode(v) {
  if (v === null) return null;
  if (Array.isArray(v)) return { a: v.map(encode) };
  switch (typeof v) {
    case "object":
      return { o: Object.keys(v).map((k) => [k.toWellFormed(), encode(v[k])]) };
    case "string":
      return { s: v.toWellFormed() };
    case "number":
      return { n: Object.is(v, -0) ? "-0" : String(v) };
    case "boolean":
      return { b: v };
  }
  throw new Error(`unexpected ${typeof v}`);
}

for (const file of files) {
  const text = fs.readFileSync(file, "utf-8");
  let line;
  try {
    line = { file: path.basename(file), value: encode(JSON5.parse(text)) };
  } catch (err) {
    line = { file: path.basename(file), error: String(err.message) };
  }
  process.stdout.write(JSON.stringify(line) + "\n");
}
