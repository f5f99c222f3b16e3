// `npm run mutation`: the suite against the unmutated reference server, against every conforming variant (each
// another valid reading of the spec) and against every mutant, in both profiles, with a kill matrix (mutant x the
// checks that caught it) and the score. Fails on any failure, can't tell or error of the unmutated server or of a
// variant, and on any surviving mutant. A mutant that breaks only a decided expectation is killed by a warning.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { ConformanceResults } from "../generated/schema-types.js";
import { PROFILES, type Profile } from "../model/catalog.js";
import { MUTANTS } from "../reference/mutants.js";
import { VARIANTS } from "../reference/variants.js";
import { startReferenceServer } from "../reference/server.js";
import { configForServer } from "../reference/target-config.js";
import { PACKAGE_ROOT } from "../runner/run.js";

interface Job {
  profile: Profile;
  mutant?: string;
  variant?: string;
}
interface JobResult extends Job {
  exitCode: number | null;
  failed: string[];
  warnings: string[];
  other: string[];
  checks: number;
  seconds: number;
  problem?: string;
}

const RUN_LIMIT_MS = 240_000;

async function runJob(job: Job): Promise<JobResult> {
  const started = performance.now();
  const server = await startReferenceServer({
    profile: job.profile,
    mutant: job.mutant,
    variants: job.variant ? [job.variant] : undefined,
  });
  const dir = mkdtempSync(join(tmpdir(), "gws-mutation-"));
  try {
    const config = join(dir, "config.json");
    writeFileSync(config, JSON.stringify(configForServer(server)));
    const child = spawn(
      process.execPath,
      [
        join(PACKAGE_ROOT, "bin", "gws-conformance.mjs"),
        "run",
        "--config",
        config,
        "--report-dir",
        join(dir, "report"),
        "--quiet",
      ],
      {
        cwd: dir,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
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
      warnings: checks.filter((c) => c.outcome === "warning").map((c) => c.id),
      other: checks
        .filter((c) => c.outcome === "error" || c.outcome === "cant-tell")
        .map((c) => `${c.id} (${c.outcome})`),
      seconds: (performance.now() - started) / 1000,
      problem: results ? undefined : `no results (exit ${exitCode}): ${stderr.trim().split("\n").slice(-3).join(" ")}`,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pool<T, R>(
  items: T[],
  width: number,
  fn: (item: T) => Promise<R>,
  done: (r: R, n: number) => void,
): Promise<R[]> {
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
const wanted = (name: string) => only.length === 0 || only.includes(name);
const applies = (profiles: readonly Profile[] | undefined, profile: Profile) => !profiles || profiles.includes(profile);
const jobs: Job[] = PROFILES.flatMap((profile) => [
  { profile },
  ...VARIANTS.filter((v) => applies(v.profiles, profile) && wanted(v.name)).map((v) => ({ profile, variant: v.name })),
  ...MUTANTS.filter((m) => !m.killedByLoad && applies(m.profiles, profile) && wanted(m.name)).map((m) => ({
    profile,
    mutant: m.name,
  })),
]);
/** A mutant is killed by a failure, or, where the rule it breaks is only decided in that profile, by a warning. */
const killed = (r: JobResult) =>
  r.failed.length > 0 ||
  (MUTANTS.find((m) => m.name === r.mutant)!.decided?.includes(r.profile) === true && r.warnings.length > 0);
const clean = (r: JobResult) => r.failed.length === 0 && r.other.length === 0 && !r.problem;
const width = Math.max(1, Math.min(2, availableParallelism()));
const variantJobs = jobs.filter((j) => j.variant).length;
console.log(
  `Mutation testing: ${jobs.length - PROFILES.length - variantJobs} mutant runs, ${variantJobs} conforming-variant runs and ${PROFILES.length} unmutated runs, ${width} at a time.`,
);
const started = performance.now();
const results = await pool(jobs, width, runJob, (r, n) => {
  const verdict = r.mutant ? (killed(r) ? "killed" : "SURVIVED") : clean(r) ? "clean" : "FAILURES";
  const name = r.mutant ?? (r.variant ? `variant ${r.variant}` : "(unmutated)");
  console.log(
    `[${n}/${jobs.length}] ${r.profile.padEnd(4)} ${name.padEnd(44)} ${verdict.padEnd(8)} ${r.failed.length} failed, ${r.warnings.length} warnings of ${r.checks} in ${r.seconds.toFixed(1)} s${r.problem ? ` — ${r.problem}` : ""}`,
  );
});

const byName = (a: JobResult, b: JobResult) =>
  (a.mutant ?? a.variant ?? "").localeCompare(b.mutant ?? b.variant ?? "") || a.profile.localeCompare(b.profile);
const baseline = results.filter((r) => !r.mutant && !r.variant);
const variants = results.filter((r) => r.variant).sort(byName);
const mutants = results.filter((r) => r.mutant).sort(byName);
const survivors = mutants.filter((r) => !killed(r));
// The reference server is the register's own reading: not even a warning. A variant may warn, never fail.
const dirty = [...baseline.filter((r) => !clean(r) || r.warnings.length > 0), ...variants.filter((r) => !clean(r))];
const killedCount = mutants.length - survivors.length;
const score = mutants.length === 0 ? 0 : (100 * killedCount) / mutants.length;

const list = (ids: string[]) =>
  ids.length ? `${ids.slice(0, 6).join(", ")}${ids.length > 6 ? ` and ${ids.length - 6} more` : ""}` : "";
const lines = [
  "# Mutation testing",
  "",
  `${killedCount} of ${mutants.length} mutant runs killed (${score.toFixed(1)}%) over ${new Set(mutants.map((m) => m.mutant)).size} mutants in ${PROFILES.join(" and ")}; ` +
    `unmutated server: ${baseline.map((b) => `${b.profile} ${b.failed.length} failed, ${b.warnings.length} warnings of ${b.checks}`).join(", ")}; ` +
    `${variants.length} conforming-variant runs: ${variants.filter(clean).length} with no failure, can't tell or error. ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  "",
  "## Conforming variants",
  "",
  "Each is another valid reading of the spec (`gws-reference-server --variant NAME`, schemas/ambiguities.json `answers`): it must pass; a warning shows a decided expectation meeting its other answer.",
  "",
  "| variant | profile | register | failed, can't tell, error | warnings |",
  "| --- | --- | --- | --- | --- |",
  ...variants.map((r) => {
    const v = VARIANTS.find((x) => x.name === r.variant)!;
    const bad = [...r.failed, ...r.other, ...(r.problem ? [r.problem] : [])];
    return `| ${r.variant} | ${r.profile} | ${v.register} | ${bad.length ? `**${list(bad)}**` : "none"} | ${list(r.warnings) || "none"} |`;
  }),
  "",
  "## Mutants",
  "",
  "| mutant | profile | family | killed by |",
  "| --- | --- | --- | --- |",
  ...mutants.map((r) => {
    const m = MUTANTS.find((x) => x.name === r.mutant)!;
    const by = r.failed.length
      ? list(r.failed)
      : killed(r)
        ? `warnings (decided in ${r.profile}): ${list(r.warnings)}`
        : "**SURVIVED**";
    return `| ${r.mutant} | ${r.profile} | ${m.family} | ${by} |`;
  }),
  "",
  ...MUTANTS.filter((m) => m.killedByLoad).map(
    (m) =>
      `Not run here: ${m.name} (${m.description}) shows only under load; ${m.killedByLoad} runs \`gws-conformance load\` against it.`,
  ),
];
mkdirSync(join(PACKAGE_ROOT, "report"), { recursive: true });
writeFileSync(join(PACKAGE_ROOT, "report", "mutation.md"), `${lines.join("\n")}\n`);
writeFileSync(
  join(PACKAGE_ROOT, "report", "mutation.json"),
  `${JSON.stringify({ score, killed: killedCount, total: mutants.length, baseline, variants, mutants }, null, 2)}\n`,
);
console.log(`\n${lines.slice(2).join("\n")}\n`);
for (const d of dirty) {
  const what = d.variant ? `The conforming variant ${d.variant}` : "The unmutated server";
  console.log(
    `${what} (${d.profile}) did not pass cleanly: ${[...d.failed, ...d.other, ...(d.variant ? [] : d.warnings.map((w) => `${w} (warning)`)), d.problem ?? ""].filter(Boolean).join(", ")}`,
  );
}
for (const s of survivors) console.log(`Surviving mutant (${s.profile}): ${s.mutant} — add the check that catches it.`);
console.log(`Mutation score ${score.toFixed(1)}% (${killedCount}/${mutants.length}); written to report/mutation.md.`);
process.exitCode = dirty.length > 0 || survivors.length > 0 ? 1 : 0;
