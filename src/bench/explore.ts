// The explorer's figures (issue 23), `npm run bench:explore`: commands per second against the reference server on
// loopback and through a delay proxy at 50 ms RTT; and, per mutant that only exploration finds (data, sequence,
// concurrency), over seeds 1..N of the default budget, how long the search took to its first counterexample and how
// many steps the shrunk one has (medians). Writes bench/explore.json and bench/EXPLORE.md.
//   npm run bench:explore -- [--seeds 10] [--profile seed|gws] [--mutants a,b]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ConformanceResults } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { MUTANTS } from "../reference/mutants.js";
import { startReferenceServer } from "../reference/server.js";
import { configForServer } from "../reference/target-config.js";
import { DEFAULT_EXPLORE } from "../runner/config.js";
import { PACKAGE_ROOT, runConformance } from "../runner/run.js";
import { startDelayProxy } from "./delay-proxy.js";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "10" },
    profile: { type: "string", default: "seed" },
    mutants: { type: "string" },
  },
});
const seeds = Number(values.seeds);
const profile = values.profile as Profile;
if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100)
  throw new Error("--seeds must be a whole number from 1 to 100.");
if (profile !== "seed" && profile !== "gws") throw new Error("--profile must be seed or gws.");
const FAMILIES = new Set(["data", "sequence", "concurrency"]);
const mutants = values.mutants
  ? values.mutants.split(",").map((n) => MUTANTS.find((m) => m.name === n) ?? fail(`There is no mutant named ${n}.`))
  : MUTANTS.filter((m) => FAMILIES.has(m.family));

function fail(message: string): never {
  throw new Error(message);
}

interface Search {
  outcome: string;
  commands: number;
  seconds: number;
  rate: number;
  firstFailure?: number;
  steps?: number;
}

/** One default run of explore.sequences only, with `seed`, against `mutant` (or none), maybe `rttMs` away. */
async function search(seed: number, mutant?: string, rttMs = 0): Promise<Search> {
  const server = await startReferenceServer({ profile, mutant });
  const proxy = rttMs > 0 ? await startDelayProxy(Number(new URL(server.url).port), rttMs / 2) : undefined;
  const dir = mkdtempSync(join(tmpdir(), "gws-bench-explore-"));
  try {
    const config = configForServer(server, profile, { requestMs: 5000, notificationMs: 3000 });
    const target = proxy ? JSON.parse(JSON.stringify(config).split(server.url).join(proxy.url)) : config;
    writeFileSync(join(dir, "config.json"), JSON.stringify({ ...target, explore: { ...DEFAULT_EXPLORE, seed } }), {
      mode: 0o600,
    });
    const run = await runConformance({
      config: join(dir, "config.json"),
      only: ["explore.sequences"],
      reportDir: join(dir, "report"),
    });
    const check = (run.results as ConformanceResults | undefined)?.checks.find((c) => c.id === "explore.sequences");
    if (!check) throw new Error(`explore.sequences did not run (exit ${run.exitCode}).`);
    const notes = check.evidence.notes.join("\n");
    const number = (re: RegExp) => (re.exec(notes) ? Number(re.exec(notes)![1]) : undefined);
    return {
      outcome: check.outcome,
      commands: number(/, (\d+) commands/) ?? 0,
      seconds: number(/ in ([\d.]+) s \(/) ?? 0,
      rate: number(/\((\d+) commands\/s\)/) ?? 0,
      firstFailure: number(/first counterexample after ([\d.]+) s/),
      steps: number(/Shrunk to (\d+) steps/),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await proxy?.close();
    await server.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

console.log(
  `Explorer bench (${profile} profile): speed on loopback and at 50 ms RTT, then ${mutants.length} mutants × ${seeds} seeds.`,
);
const loopback = await search(DEFAULT_EXPLORE.seed);
console.log(
  `  loopback: ${loopback.commands} commands in ${loopback.seconds} s, ${loopback.rate} commands/s (${loopback.outcome})`,
);
const remote = await search(DEFAULT_EXPLORE.seed, undefined, 50);
console.log(
  `  50 ms RTT: ${remote.commands} commands in ${remote.seconds} s, ${remote.rate} commands/s (${remote.outcome})`,
);

const rows: {
  mutant: string;
  family: string;
  killed: number;
  firstFailure: number;
  steps: number;
  maxSteps: number;
}[] = [];
for (const m of mutants) {
  const runs: Search[] = [];
  for (let seed = 1; seed <= seeds; seed++) runs.push(await search(seed, m.name));
  const killed = runs.filter((r) => r.outcome === "failed" || r.outcome === "warning");
  // A run that only warned (a decided answer broken) has no counterexample to shrink.
  const steps = killed.flatMap((r) => (r.steps === undefined ? [] : [r.steps]));
  const row = {
    mutant: m.name,
    family: m.family,
    killed: killed.length,
    firstFailure: median(killed.map((r) => r.firstFailure ?? NaN)),
    steps: median(steps),
    maxSteps: Math.max(...steps),
  };
  rows.push(row);
  console.log(
    `  ${m.name}: found with ${row.killed}/${seeds} seeds; median ${row.firstFailure.toFixed(1)} s to the first counterexample, shrunk to ${row.steps} steps (at most ${row.maxSteps}).`,
  );
}

const dir = join(PACKAGE_ROOT, "bench");
mkdirSync(dir, { recursive: true });
const figures = { profile, seeds, budget: DEFAULT_EXPLORE, loopback, remote50: remote, mutants: rows };
writeFileSync(join(dir, "explore.json"), `${JSON.stringify(figures, null, 2)}\n`);
writeFileSync(
  join(dir, "EXPLORE.md"),
  [
    "# The explorer's figures",
    "",
    `Written by \`npm run bench:explore\` (${profile} profile, the default explore budget: ${DEFAULT_EXPLORE.sequences} sequences of up to ${DEFAULT_EXPLORE.steps} commands, ${DEFAULT_EXPLORE.seconds} s; 2-core machine).`,
    "",
    "| target | commands | seconds | commands/s |",
    "| --- | --- | --- | --- |",
    `| reference server, loopback | ${loopback.commands} | ${loopback.seconds} | ${loopback.rate} |`,
    `| reference server through a delay proxy, 50 ms RTT | ${remote.commands} | ${remote.seconds} | ${remote.rate} |`,
    "",
    `Per mutant of the data, sequence and concurrency families, over seeds 1 to ${seeds}: how many seeds found it within the default budget (a failure, or only a warning where just a decided answer broke), the median time from the start of the search to its first counterexample (before shrinking), and the median and largest length of the shrunk counterexample of those that failed (its first step, the invitation every sequence starts with, included).`,
    "",
    "| mutant | family | found (seeds) | time to first counterexample (median) | shrunk steps (median) | shrunk steps (max) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.mutant} | ${r.family} | ${r.killed}/${seeds} | ${r.firstFailure.toFixed(1)} s | ${r.steps} | ${r.maxSteps} |`,
    ),
    "",
  ].join("\n"),
);
console.log("Written to bench/explore.json and bench/EXPLORE.md.");
// The mutants' runs leave vitest's failing exit code behind; what this bench gives is the figures it wrote.
process.exit(0);
