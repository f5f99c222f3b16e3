// The verdict of a run: exit codes, --strict and the waivers applied to the checks, and finish(), which turns the
// checks into the verdict, its exit code and one sentence why.
import type { CheckResult, ConformanceResults } from "../generated/schema-types.js";
import type { PreflightStep } from "./preflight.js";
import { isExpired, todayUtc, type loadWaivers, type WaiverStatus } from "./waivers.js";

export const EXIT = { conformant: 0, nonConformant: 1, usage: 2, preflight: 3, waivers: 4, internal: 5 } as const;

/** The decided clauses a warning check broke, in the order it broke them. */
export function warnedClauses(check: CheckResult): string[] {
  return [...new Set(check.expectations.filter((e) => e.outcome === "warned").map((e) => e.clause))];
}

/**
 * --strict: decided expectations are normative, so every check that only warned fails, its reason saying so and
 * naming the clauses, and its warned expectations count as failed. Runs before the waivers, which may waive it.
 */
export function applyStrict(checks: CheckResult[]): void {
  for (const c of checks) {
    if (c.outcome !== "warning") continue;
    const clauses = warnedClauses(c);
    const named = clauses.length > 0 ? clauses.join(", ") : "a decided clause";
    c.outcome = "failed";
    c.reason = `Failed because --strict makes decided expectations normative: ${named} did not hold.${c.reason ? ` ${c.reason}` : ""}`;
    c.expectations = c.expectations.map((e) => (e.outcome === "warned" ? { ...e, outcome: "failed" } : e));
  }
}

/**
 * Applies each waiver to the check it names: a failure is waived; a check that passes makes it stale; one that
 * only warns (without --strict: nothing to waive) or did not run leaves it unused.
 */
export function applyWaivers(checks: CheckResult[], waivers: ReturnType<typeof loadWaivers>): WaiverStatus[] {
  const today = todayUtc();
  return waivers.map((w) => {
    const check = checks.find((c) => c.id === w.check);
    let status: WaiverStatus["status"];
    if (isExpired(w, today)) status = "expired";
    else if (!check) status = "unused";
    else if (check.outcome === "failed") status = "applied";
    else if (check.outcome === "passed") status = "stale";
    // A warning fails nothing to waive (with --strict it is a failure by now, and waived like one).
    else status = "unused";
    const result = { ...w, status };
    if (check && (status === "applied" || status === "expired" || status === "stale")) {
      check.waiver = result;
      if (status === "applied") check.outcome = "waived";
    }
    return result;
  });
}

export type Base = Pick<ConformanceResults, "suite" | "target" | "profile" | "strict" | "startedAt"> & {
  preflight: PreflightStep[];
};

/** A failed check whose only broken expectations are decided: it failed because of --strict. */
const failedOnlyByStrict = (c: CheckResult) => {
  const broken = c.expectations.filter((e) => e.outcome !== "held");
  return c.outcome === "failed" && broken.length > 0 && broken.every((e) => e.level === "decided");
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The verdict, its exit code and one sentence why, from the checks (after --strict and the waivers). */
export function finish(
  base: Base,
  checks: CheckResult[],
  waivers: WaiverStatus[],
  problems: string[],
  startedAt: Date,
  preflightFailure?: string,
): ConformanceResults {
  const counts = { passed: 0, failed: 0, warning: 0, "not-applicable": 0, "cant-tell": 0, waived: 0, error: 0 };
  for (const c of checks) counts[c.outcome]++;
  const rotten = waivers.filter((w) => w.status === "expired" || w.status === "stale");
  let verdict: ConformanceResults["verdict"];
  let exitCode: number;
  let summary: string;
  if (preflightFailure) {
    [verdict, exitCode, summary] = ["could-not-run", EXIT.preflight, preflightFailure];
  } else if (counts.error > 0 || problems.length > 0) {
    [verdict, exitCode, summary] = [
      "could-not-run",
      EXIT.internal,
      `The suite itself failed in ${counts.error} check(s)${problems.length ? ` and ${problems.length} file(s)` : ""}; the verdict cannot be trusted.`,
    ];
  } else if (checks.length === 0) {
    [verdict, exitCode, summary] = ["could-not-run", EXIT.usage, "No check ran: --only matched none."];
  } else if (counts.failed > 0) {
    const strictly = base.strict ? checks.filter(failedOnlyByStrict).length : 0;
    [verdict, exitCode, summary] = [
      "non-conformant",
      EXIT.nonConformant,
      `${counts.failed} check(s) failed${strictly ? ` (${strictly} only because --strict makes decided expectations normative)` : ""}${counts.warning ? `; ${plural(counts.warning, "warning")}` : ""}.`,
    ];
  } else if (counts["cant-tell"] > 0) {
    [verdict, exitCode, summary] = [
      "could-not-run",
      EXIT.preflight,
      `${counts["cant-tell"]} check(s) could not reach their preconditions (see each check).`,
    ];
  } else if (rotten.length > 0) {
    [verdict, exitCode, summary] = [
      "non-conformant",
      EXIT.waivers,
      `Waivers must be removed or renewed: ${rotten.map((w) => `${w.check} (${w.status})`).join(", ")}.`,
    ];
  } else if (counts.waived > 0) {
    [verdict, exitCode, summary] = [
      "conformant-with-waivers",
      EXIT.conformant,
      `Every check passed or is waived (${counts.waived} waived).`,
    ];
  } else {
    [verdict, exitCode, summary] = ["conformant", EXIT.conformant, `Every applicable check passed (${counts.passed}).`];
  }
  // Warnings never fail a run: only decided expectations (the register's choices) did not hold.
  if (exitCode === EXIT.conformant && counts.warning > 0) {
    const why =
      verdict === "conformant"
        ? `every applicable check met its normative expectations (${counts.passed} passed)`
        : `every failure is waived (${counts.waived} waived)`;
    summary = `${verdict === "conformant" ? "Conformant" : "Conformant with waivers"}, ${plural(counts.warning, "warning")}: ${why}; ${plural(counts.warning, "check")} broke only decided expectations (--strict fails them).`;
  }
  return {
    ...base,
    durationMs: Date.now() - startedAt.getTime(),
    verdict,
    exitCode,
    summary,
    counts,
    checks,
    waivers,
    problems,
  };
}
