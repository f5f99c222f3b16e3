// `npm run mutation`: the suite against the unmutated reference server and against every mutant, in both
// profiles, with a kill matrix (mutant x the checks that caught it) and the score. Fails on any failure of the
// unmutated server and on any surviving mutant.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { ConformanceResults } from "../generated/schema-types.js";
import { PROFILES, type Profile } from "../model/catalog.js";
import { MUTANTS } from "../reference/mutants.js";
import { startReferenceServer } from "../reference/server.js";
import { configForServer } from "../reference/target-config.js";
import { PACKAGE_ROOT } from "../runner/run.js";

interface Job {
  profile: Profile;
  mutant?: string;
}
interface JobResult extends Job {
  exitCode: number | null;
  failed: string[];
  other: string[];
  checks: number;
  seconds: number;
  problem?: string;
}

const RUN_LIMIT_MS = 240_000;

async function runJob(job: Job): Promise<JobResult> {
  const started = performance.now();
  const server = await startReferenceServer({ profile: job.profile, mutant: job.mutant });
  const dir = mkdtempSync(join(tmpdir(), "gws-mutation-"));
  try {
    const config = join(dir, "config.json");
    writeFileSync(config, JSON.stringify(configForServer(server)));
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, "bin", "gws-conformance.mjs"), "run", "--config", config, "--report-dir", join(dir, "report"), "--quiet"], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
    const exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearTimeout(timer);
    let results: ConformanceResults | undefined;
    try {
      results = JSON.parse(readFileSync(join(dir, "report", "results.json"), "utf8")) as ConformanceResults;
    } catch {
      results = undefined;
    }
    const checks = results?.checks ?? [];
    return {
      ...job,
      exitCode,
      checks: checks.length,
      failed: checks.filter((c) => c.outcome === "failed").map((c) => c.id),
      other: checks.filter((c) => c.outcome === "error" || c.outcome === "cant-tell").map((c) => `${c.id} (${c.outcome})`),
      seconds: (performance.now() - started) / 1000,
      problem: results ? undefined : `no results (exit ${exitCode}): ${stderr.trim().split("\n").slice(-3).join(" ")}`,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>, done: (r: R, n: number) => void): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let finished = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const r = await fn(item);
        results.push(r);
        done(r, ++finished);
      }
    }),
  );
  return results;
}

const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const jobs: Job[] = PROFILES.flatMap((profile) => [
  { profile },
  ...MUTANTS.filter((m) => !m.killedByLoad && (!m.profiles || m.profiles.includes(profile)) && (only.length === 0 || only.includes(m.name))).map((m) => ({ profile, mutant: m.name })),
]);
const width = Math.max(1, Math.min(2, availableParallelism()));
console.log(`Mutation testing: ${jobs.length - PROFILES.length} mutant runs and ${PROFILES.length} unmutated runs, ${width} at a time.`);
const started = performance.now();
const results = await pool(jobs, width, runJob, (r, n) => {
  const verdict = !r.mutant ? (r.failed.length === 0 && !r.problem ? "clean" : "FAILURES") : r.failed.length > 0 ? "killed" : "SURVIVED";
  console.log(`[${n}/${jobs.length}] ${r.profile.padEnd(4)} ${(r.mutant ?? "(unmutated)").padEnd(36)} ${verdict.padEnd(8)} ${r.failed.length} failed of ${r.checks} in ${r.seconds.toFixed(1)} s${r.problem ? ` — ${r.problem}` : ""}`);
});

const baseline = results.filter((r) => !r.mutant);
const mutants = results.filter((r) => r.mutant).sort((a, b) => a.mutant!.localeCompare(b.mutant!) || a.profile.localeCompare(b.profile));
const survivors = mutants.filter((r) => r.failed.length === 0);
const dirty = baseline.filter((r) => r.failed.length > 0 || r.other.length > 0 || r.problem);
const killed = mutants.length - survivors.length;
const score = mutants.length === 0 ? 0 : (100 * killed) / mutants.length;

const lines = [
  "# Mutation testing",
  "",
  `${killed} of ${mutants.length} mutant runs killed (${score.toFixed(1)}%) over ${new Set(mutants.map((m) => m.mutant)).size} mutants in ${PROFILES.join(" and ")}; unmutated server: ${baseline.map((b) => `${b.profile} ${b.failed.length} failed of ${b.checks}`).join(", ")}. ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  "",
  "| mutant | profile | family | killed by |",
  "| --- | --- | --- | --- |",
  ...mutants.map((r) => {
    const m = MUTANTS.find((x) => x.name === r.mutant)!;
    const by = r.failed.length ? `${r.failed.slice(0, 6).join(", ")}${r.failed.length > 6 ? ` and ${r.failed.length - 6} more` : ""}` : "**SURVIVED**";
    return `| ${r.mutant} | ${r.profile} | ${m.family} | ${by} |`;
  }),
  "",
  ...MUTANTS.filter((m) => m.killedByLoad).map((m) => `Not run here: ${m.name} (${m.description}) shows only under load; ${m.killedByLoad} runs \`gws-conformance load\` against it.`),
];
mkdirSync(join(PACKAGE_ROOT, "report"), { recursive: true });
writeFileSync(join(PACKAGE_ROOT, "report", "mutation.md"), `${lines.join("\n")}\n`);
writeFileSync(join(PACKAGE_ROOT, "report", "mutation.json"), `${JSON.stringify({ score, killed, total: mutants.length, baseline, mutants }, null, 2)}\n`);
console.log(`\n${lines.slice(2).join("\n")}\n`);
for (const d of dirty) console.log(`The unmutated server (${d.profile}) did not pass cleanly: ${[...d.failed, ...d.other, d.problem ?? ""].filter(Boolean).join(", ")}`);
for (const s of survivors) console.log(`Surviving mutant (${s.profile}): ${s.mutant} — add the check that catches it.`);
console.log(`Mutation score ${score.toFixed(1)}% (${killed}/${mutants.length}); written to report/mutation.md.`);
process.exitCode = dirty.length > 0 || survivors.length > 0 ? 1 : 0;
