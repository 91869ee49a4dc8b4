// audit-summary.mjs reads the report of `openclaw secrets audit --json` on
// stdin and prints what the apt end-to-end test (scripts/apt-e2e.sh)
// asserts, one fact a line, sorted:
//
//   checked N         refs the audit resolved
//   skipped N         exec refs it skipped (not run)
//   unresolved PATH   one per ref it could not resolve (REF_UNRESOLVED)
//
// The report holds no values; neither does this.
async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const report = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const lines = [
    `checked ${report.resolution?.refsChecked}`,
    `skipped ${report.resolution?.skippedExecRefs}`,
    ...(report.findings ?? []).filter((f) => f.code === "REF_UNRESOLVED").map((f) => `unresolved ${f.jsonPath}`),
  ];
  console.log(lines.sort().join("\n"));
}

main().catch((err) => {
  process.stderr.write(`audit-summary.mjs: not an audit report: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
