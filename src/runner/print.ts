// What `gws-conformance run` (and `explore`) print when a run ends: the checks that did not pass, what changed since a
// baseline, the verdict and the counts, and where the report is.
import type { BaselineDiff, CheckResult, ConformanceResults } from "../generated/schema-types.js";
import type { RunOutcome } from "./run.js";

/** Every check that did not pass, one line each with its reason (already redacted in the results). */
function notPassed(checks: CheckResult[]): void {
  const listed = checks.filter((c) => c.outcome !== "passed");
  if (listed.length === 0) return;
  console.log("Checks that did not pass:");
  for (const c of listed) console.log(`  ${c.outcome.padEnd(14)} ${c.id} — ${c.reason ?? ""}`);
}

/** What changed since the baseline, one line per check that regressed, was fixed or is new. */
function changes(d: BaselineDiff): void {
  const lines = [
    ...d.regressed.map((c) => `  regressed  ${c.id}: ${c.was} → ${c.now}${c.reason ? ` — ${c.reason}` : ""}`),
    ...d.fixed.map((c) => `  fixed      ${c.id}: ${c.was} → ${c.now}`),
    ...d.new.map((c) => `  new        ${c.id}: ${c.now}`),
    ...d.removed.map((c) => `  removed    ${c.id} (was ${c.was})`),
  ];
  if (lines.length > 0) console.log([`Changes since the baseline ${d.file}:`, ...lines].join("\n"));
}

/** The verdict as the CLI prints it: a conformant run with warnings says how many ("conformant, 3 warnings"). */
export function verdictText(r: Pick<ConformanceResults, "verdict" | "counts">): string {
  const n = r.counts.warning;
  const conformant = r.verdict === "conformant" || r.verdict === "conformant-with-waivers";
  return conformant && n > 0 ? `${r.verdict}, ${n} ${n === 1 ? "warning" : "warnings"}` : r.verdict;
}

/** Prints a finished run (or its error) and returns its exit code. */
export function printOutcome(outcome: RunOutcome, opts: { quiet?: boolean; reportDir: string }): number {
  if (outcome.error) {
    console.error(`gws-conformance: ${outcome.error}`);
    return outcome.exitCode;
  }
  const r = outcome.results!;
  const c = r.counts;
  if (!opts.quiet) notPassed(r.checks);
  if (!opts.quiet && r.baseline) changes(r.baseline);
  console.log(
    [
      `Verdict: ${verdictText(r)} (${r.profile} profile${r.strict ? ", --strict" : ""}, ${r.target.baseUrl}${r.target.embedded ? ", embedded reference server" : ""})`,
      `  ${r.summary}`,
      `  ${c.passed} passed, ${c.failed} failed, ${c.warning} ${c.warning === 1 ? "warning" : "warnings"}, ${c.waived} waived, ${c["not-applicable"]} not applicable, ${c["cant-tell"]} can't tell, ${c.error} errors in ${(r.durationMs / 1000).toFixed(1)} s`,
      `  Report: ${opts.reportDir}/index.html (also results.json, junit.xml, ctrf.json, provenance.json${r.baseline ? " and baseline-diff.json" : ""})`,
    ].join("\n"),
  );
  return outcome.exitCode;
}
