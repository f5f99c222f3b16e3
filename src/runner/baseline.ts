// `gws-conformance run --baseline old/results.json`: what changed since a previous run (the last release, say),
// check by check. A team gating an upgrade asks "did anything that worked break?", not "is anything red?": with
// a baseline the exit code is 1 only when a check regressed; the verdict and the counts stay what they are.
import { readFileSync } from "node:fs";
import type { BaselineDiff, CheckResult, ConformanceResults, OutcomeChange } from "../generated/schema-types.js";
import { schemas } from "../model/schemas.js";
import { EXIT } from "./verdict.js";

export const BASELINE_FILE = "baseline-diff.json";

/** Outcomes that fail a run (failed, error) or leave it unknown (cant-tell). */
const BAD = new Set<CheckResult["outcome"]>(["failed", "error", "cant-tell"]);
export const isBad = (outcome: CheckResult["outcome"]) => BAD.has(outcome);

export class BaselineError extends Error {}

/** The baseline results, or a BaselineError saying in one sentence why `path` cannot be one. */
export function loadBaseline(path: string): ConformanceResults {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(
      `The baseline ${path} ${code === "ENOENT" ? "does not exist" : `cannot be read (${code})`}.`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BaselineError(`The baseline ${path} is not JSON; give the results.json of an earlier run.`);
  }
  const valid = schemas().validate("results/results.json", data);
  if (!valid.valid) {
    const first = valid.violations[0]!;
    throw new BaselineError(
      `The baseline ${path} is not a gws-conformance results.json (${first.pointer} ${first.message}).`,
    );
  }
  return data as ConformanceResults;
}

/** Each check of `now` against the check with the same id in `was`. */
export function diffBaseline(file: string, was: ConformanceResults, now: CheckResult[]): BaselineDiff {
  const before = new Map(was.checks.map((c) => [c.id, c]));
  const ids = new Set(now.map((c) => c.id));
  const diff: BaselineDiff = {
    file,
    startedAt: was.startedAt,
    suiteVersion: was.suite.version,
    profile: was.profile,
    regressed: [],
    fixed: [],
    changed: [],
    new: [],
    removed: was.checks.filter((c) => !ids.has(c.id)).map((c) => ({ id: c.id, was: c.outcome })),
    stillBad: 0,
    unchanged: 0,
  };
  for (const c of [...now].sort((a, b) => a.id.localeCompare(b.id))) {
    const old = before.get(c.id);
    const change: OutcomeChange = {
      id: c.id,
      ...(old ? { was: old.outcome } : {}),
      now: c.outcome,
      ...(c.reason ? { reason: c.reason } : {}),
    };
    if (!old) diff.new.push(change);
    else if (old.outcome === c.outcome) {
      diff.unchanged++;
      if (isBad(c.outcome)) diff.stillBad++;
    } else if (!isBad(old.outcome) && isBad(c.outcome)) diff.regressed.push(change);
    else if (isBad(old.outcome) && !isBad(c.outcome)) diff.fixed.push(change);
    else diff.changed.push(change);
  }
  return diff;
}

const n = (count: number, what: string) => `${count} ${what}${count === 1 ? "" : "s"}`;

/** One sentence: what changed since the baseline. */
export function baselineSummary(d: BaselineDiff): string {
  const parts = [
    `${n(d.regressed.length, "regression")}`,
    `${d.fixed.length} fixed`,
    `${d.new.length} new`,
    ...(d.removed.length ? [`${d.removed.length} removed`] : []),
    ...(d.changed.length ? [`${d.changed.length} otherwise changed`] : []),
    `${d.stillBad} still failing`,
  ];
  return `Since the baseline of ${d.startedAt.slice(0, 10)} (${d.suiteVersion}): ${parts.join(", ")}.`;
}

/**
 * The run's results with the baseline's diff: its summary after the run's, and, where the run's own exit code is
 * the verdict's (0 or 1), exit 1 exactly when something regressed. Exit codes 2 to 5 (the run could not be
 * trusted, or waivers rotted) are kept.
 */
export function withBaseline(results: ConformanceResults, diff: BaselineDiff): ConformanceResults {
  const verdictExit = results.exitCode === EXIT.conformant || results.exitCode === EXIT.nonConformant;
  const exitCode = verdictExit ? (diff.regressed.length > 0 ? EXIT.nonConformant : EXIT.conformant) : results.exitCode;
  return { ...results, exitCode, summary: `${results.summary} ${baselineSummary(diff)}`, baseline: diff };
}
