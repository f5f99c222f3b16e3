// `npm run stability [runs] [--profile seed|gws]`: the full suite against the embedded reference server many
// times in a row; fails if any check's outcome changes between runs (a flaky check cannot be trusted in CI).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConformanceResults } from "../generated/schema-types.js";
import { PACKAGE_ROOT } from "../runner/run.js";

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 10);
const profileAt = args.indexOf("--profile");
const profile = profileAt >= 0 ? args[profileAt + 1] : "seed";
if (!Number.isInteger(runs) || runs < 2 || runs > 100 || (profile !== "seed" && profile !== "gws")) {
  console.error("usage: npm run stability -- [runs 2..100] [--profile seed|gws]");
  process.exit(2);
}

async function once(n: number): Promise<ConformanceResults> {
  const dir = mkdtempSync(join(tmpdir(), "gws-stability-"));
  try {
    const child = spawn(
      process.execPath,
      [join(PACKAGE_ROOT, "bin", "gws-conformance.mjs"), "run", "--profile", profile!, "--report-dir", dir, "--quiet"],
      { cwd: dir, stdio: "ignore" },
    );
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as ConformanceResults;
    console.log(
      `run ${n}/${runs}: exit ${code}, ${results.counts.passed} passed, ${results.counts.failed} failed, ${results.counts.warning} warnings, ${results.counts["cant-tell"]} can't tell, ${results.counts.error} errors, ${(results.durationMs / 1000).toFixed(1)} s`,
    );
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const outcomes = new Map<string, string[]>();
for (let n = 1; n <= runs; n++) {
  const results = await once(n);
  for (const c of results.checks) outcomes.set(c.id, [...(outcomes.get(c.id) ?? []), c.outcome]);
}
const flips = [...outcomes].filter(([, o]) => new Set(o).size > 1 || o.length !== runs);
const failing = [...outcomes].filter(([, o]) => o.some((x) => x !== "passed" && x !== "not-applicable"));
for (const [id, o] of flips) console.log(`FLIP ${id}: ${o.join(", ")}`);
for (const [id, o] of failing) if (!flips.some(([f]) => f === id)) console.log(`NOT PASSING ${id}: ${o[0]}`);
console.log(`${flips.length} flips in ${runs} runs of ${outcomes.size} checks (${profile} profile).`);
process.exitCode = flips.length > 0 || failing.length > 0 ? 1 : 0;
