// report/ctrf.json: every run writes it, it is valid against the vendored CTRF schema, each check is one CTRF
// test whose status follows the documented mapping, and its summary counts what results.json counts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult, ConformanceResults, CtrfReport } from "../src/generated/schema-types.js";
import { schemas } from "../src/model/schemas.js";
import { CTRF_STATUS, ctrfReport } from "../src/runner/ctrf.js";
import { runAgainst } from "./support/conformance.js";

const OUTCOMES = Object.keys(CTRF_STATUS) as CheckResult["outcome"][];

function resultsWithEveryOutcome(): ConformanceResults {
  const example = JSON.parse(
    readFileSync(join(import.meta.dirname, "fixtures", "results-example.json"), "utf8"),
  ) as ConformanceResults;
  const template = example.checks.find((c) => c.outcome === "passed")!;
  const waiver = {
    check: "x.waived",
    reason: "known bug",
    owner: "qa@example.com",
    expires: "2999-01-31",
    status: "applied" as const,
  };
  const checks = OUTCOMES.map((outcome) => ({
    ...template,
    id: `x.${outcome}`,
    outcome,
    ...(outcome === "passed" ? {} : { reason: `why ${outcome}` }),
    ...(outcome === "waived" ? { waiver } : {}),
  }));
  return { ...example, checks };
}

describe("the CTRF mapping", () => {
  const results = resultsWithEveryOutcome();
  const report = ctrfReport(results);
  const test = (id: string) => report.results.tests.find((t) => t.testId === id)!;

  it("is valid against schemas/results/ctrf.json", () => {
    expect(schemas().validate("results/ctrf.json", report)).toEqual({ valid: true });
  });

  it("maps each outcome as documented, keeping the outcome as rawStatus", () => {
    expect(Object.fromEntries(OUTCOMES.map((o) => [o, test(`x.${o}`).status]))).toEqual({
      passed: "passed",
      warning: "passed",
      failed: "failed",
      error: "failed",
      "cant-tell": "other",
      "not-applicable": "skipped",
      waived: "skipped",
    });
    for (const o of OUTCOMES) expect(test(`x.${o}`).rawStatus).toBe(o);
  });

  it("says why a check did not pass, and who waived it until when", () => {
    expect(test("x.failed").message).toBe("why failed");
    expect(test("x.passed").message).toBeUndefined();
    expect(test("x.warning").message).toBe("why warning");
    expect(test("x.waived").message).toBe("waived until 2999-01-31 by qa@example.com: known bug");
  });

  it("is rejected by the schema when a status is not CTRF's, so the validation can fail", () => {
    const broken = structuredClone(report) as unknown as { results: { tests: { status: string }[] } };
    broken.results.tests[0]!.status = "error";
    expect(schemas().validate("results/ctrf.json", broken).valid).toBe(false);
  });
});

describe("gws-conformance run", () => {
  it("writes report/ctrf.json, valid, one test per check, with the counts of results.json", async () => {
    // The seed suite against a gws server: the envelope checks fail, the others pass, CSRF is not applicable.
    const run = await runAgainst({ profile: "gws", suiteProfile: "seed" }, ["--only", "accept.*,permissions.csrf"]);
    expect(run.exitCode, run.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(run.reportDir, "ctrf.json"), "utf8")) as CtrfReport;
    expect(schemas().validate("results/ctrf.json", report)).toEqual({ valid: true });
    const results = run.results!;
    const c = results.counts;
    expect(report.results.summary).toMatchObject({
      tests: results.checks.length,
      passed: c.passed + c.warning,
      failed: c.failed + c.error,
      skipped: c["not-applicable"] + c.waived,
      other: c["cant-tell"],
      pending: 0,
      start: Date.parse(results.startedAt),
      stop: Date.parse(results.startedAt) + results.durationMs,
    });
    expect(c.failed).toBeGreaterThan(0);
    expect(c["not-applicable"]).toBeGreaterThan(0);
    expect(report.results.tests.map((t) => [t.testId, t.status])).toEqual(
      results.checks.map((k) => [k.id, CTRF_STATUS[k.outcome]]),
    );
    expect(report.results.tool).toEqual({ name: "gws-conformance", version: results.suite.version });
    expect(report.results.tests.find((t) => t.testId === "accept.envelope")!.message).toBe(
      run.check("accept.envelope").reason,
    );
  });
});
