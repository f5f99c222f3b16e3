// Issue 12's warnings through the runner and its artifacts, on crafted check results (no run): a check whose only
// broken expectations are decided warns and the run stays conformant (exit 0); --strict turns it into a failure
// naming the clause (exit 1); a waiver has nothing to waive in a warning; junit.xml passes it with an outcome
// property and its reason on system-out; ctrf.json passes it with rawStatus warning; results.json stays valid.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult, ConformanceResults, ExpectationResult } from "../src/generated/schema-types.js";
import { schemas } from "../src/model/schemas.js";
import { renderReport, reportEvidence } from "../src/report/html.js";
import { verdictText } from "../src/runner/cli.js";
import { ctrfReport } from "../src/runner/ctrf.js";
import { junitXml } from "../src/runner/junit.js";
import { applyStrict, applyWaivers, EXIT, finish, type Base } from "../src/runner/run.js";

const example = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "results-example.json"), "utf8"),
) as ConformanceResults;

const held = (clause: string, level: ExpectationResult["level"]): ExpectationResult => ({
  clause,
  level,
  outcome: "held",
  message: `${clause} holds.`,
});

function check(
  id: string,
  outcome: CheckResult["outcome"],
  expectations: ExpectationResult[] = [],
  reason?: string,
): CheckResult {
  return {
    id,
    title: `the ${id} check`,
    family: "envelope",
    operation: "accept",
    requirements: ["REQ-ACCEPT-8"],
    ambiguities: ["AMB-EXTRA-FIELDS"],
    outcome,
    ...(reason ? { reason } : {}),
    expectations,
    durationMs: 7,
    evidence: { exchanges: [], notifications: [], violations: [], notes: [] },
  };
}

/** accept.envelope warns (an extra member: AMB-EXTRA-FIELDS is decided), accept.success passes. */
function checks(): CheckResult[] {
  return [
    check(
      "accept.envelope",
      "warning",
      [
        held("REQ-ACCEPT-8", "page"),
        {
          clause: "AMB-EXTRA-FIELDS",
          level: "decided",
          outcome: "warned",
          message: "Accept's success body carries extra beyond the members the page prints (status).",
        },
      ],
      "Accept's success body carries extra beyond the members the page prints (status). [decided: AMB-EXTRA-FIELDS]",
    ),
    check("accept.success", "passed", [
      held("REQ-ACCEPT-1", "page"),
      held("FACT-STATES", "facts"),
      held("PROTO-HTTP-ANSWER", "protocol"),
    ]),
  ];
}

const base = (strict = false): Base => ({
  suite: example.suite,
  target: example.target,
  profile: "seed",
  strict,
  startedAt: example.startedAt,
  preflight: example.preflight,
});

/** What the runner does after the checks ran: --strict, the waivers, the verdict. */
function conclude(
  list: CheckResult[],
  { strict = false, waivers = [] as Parameters<typeof applyWaivers>[1] } = {},
): ConformanceResults {
  if (strict) applyStrict(list);
  const statuses = applyWaivers(list, waivers);
  return finish(base(strict), list, statuses, [], new Date(example.startedAt));
}

const valid = (results: ConformanceResults) =>
  expect(schemas().validate("results/results.json", results)).toEqual({ valid: true });

describe("a warning without --strict", () => {
  const results = conclude(checks());

  it("never fails the run: conformant, exit 0, the warning counted", () => {
    expect(results.exitCode).toBe(EXIT.conformant);
    expect(results.verdict).toBe("conformant");
    expect(results.strict).toBe(false);
    expect(results.counts).toMatchObject({ passed: 1, warning: 1, failed: 0 });
    expect(results.summary).toMatch(
      /^Conformant, 1 warning: .*1 check broke only decided expectations \(--strict fails them\)\.$/,
    );
    expect(verdictText(results)).toBe("conformant, 1 warning");
    expect(verdictText({ verdict: "conformant", counts: { ...results.counts, warning: 3 } })).toBe(
      "conformant, 3 warnings",
    );
    expect(verdictText({ verdict: "conformant", counts: { ...results.counts, warning: 0 } })).toBe("conformant");
    valid(results);
  });

  it("keeps every expectation, with its clause, level and outcome, valid against the results schema", () => {
    expect(results.checks[0]!.expectations.map((e) => [e.clause, e.level, e.outcome])).toEqual([
      ["REQ-ACCEPT-8", "page", "held"],
      ["AMB-EXTRA-FIELDS", "decided", "warned"],
    ]);
    const broken = structuredClone(results);
    broken.checks[0]!.expectations[0]!.level = "normative" as never;
    expect(schemas().validate("results/results.json", broken).valid).toBe(false);
    const missing = structuredClone(results) as unknown as { checks: Record<string, unknown>[] };
    delete missing.checks[0]!.expectations;
    expect(schemas().validate("results/results.json", missing).valid).toBe(false);
  });

  it("leaves a waiver of the warning check unused, so the run stays conformant (not with waivers)", () => {
    const waived = conclude(checks(), {
      waivers: [{ check: "accept.envelope", reason: "known", owner: "qa", expires: "2999-01-01" }],
    });
    expect(waived.waivers[0]!.status).toBe("unused");
    expect(waived.checks[0]!.outcome).toBe("warning");
    expect(waived.checks[0]!.waiver).toBeUndefined();
    expect([waived.verdict, waived.exitCode]).toEqual(["conformant", 0]);
  });

  it("with waived failures too: conformant with waivers, and the warnings said", () => {
    const list = [...checks(), check("reject.envelope", "failed", [], "broken")];
    const r = conclude(list, {
      waivers: [{ check: "reject.envelope", reason: "known", owner: "qa", expires: "2999-01-01" }],
    });
    expect([r.verdict, r.exitCode]).toEqual(["conformant-with-waivers", 0]);
    expect(r.summary).toMatch(/^Conformant with waivers, 1 warning: every failure is waived \(1 waived\)/);
    expect(verdictText(r)).toBe("conformant-with-waivers, 1 warning");
  });

  it("does not hide a failure: non-conformant (exit 1), the warnings counted beside", () => {
    const r = conclude([...checks(), check("reject.envelope", "failed", [], "broken")]);
    expect([r.verdict, r.exitCode]).toEqual(["non-conformant", 1]);
    expect(r.summary).toBe("1 check(s) failed; 1 warning.");
    expect(verdictText(r)).toBe("non-conformant");
  });
});

describe("--strict", () => {
  const results = conclude(checks(), { strict: true });
  const envelope = results.checks[0]!;

  it("turns every warning into a failure naming the clause: non-conformant, exit 1", () => {
    expect(envelope.outcome).toBe("failed");
    expect(envelope.reason).toBe(
      "Failed because --strict makes decided expectations normative: AMB-EXTRA-FIELDS did not hold. Accept's success body carries extra beyond the members the page prints (status). [decided: AMB-EXTRA-FIELDS]",
    );
    expect(envelope.expectations.find((e) => e.clause === "AMB-EXTRA-FIELDS")).toMatchObject({
      level: "decided",
      outcome: "failed",
    });
    expect(results.checks[1]!.outcome).toBe("passed");
    expect([results.verdict, results.exitCode, results.strict]).toEqual(["non-conformant", EXIT.nonConformant, true]);
    expect(results.counts).toMatchObject({ failed: 1, warning: 0, passed: 1 });
    expect(results.summary).toBe("1 check(s) failed (1 only because --strict makes decided expectations normative).");
    valid(results);
  });

  it("leaves a run without warnings as it was", () => {
    const r = conclude([checks()[1]!], { strict: true });
    expect([r.verdict, r.exitCode, r.summary]).toEqual(["conformant", 0, "Every applicable check passed (1)."]);
  });

  it("lets a waiver waive the failure it made", () => {
    const r = conclude(checks(), {
      strict: true,
      waivers: [
        { check: "accept.envelope", reason: "register choice we disagree with", owner: "qa", expires: "2999-01-01" },
      ],
    });
    expect(r.waivers[0]!.status).toBe("applied");
    expect([r.verdict, r.exitCode]).toEqual(["conformant-with-waivers", 0]);
  });
});

describe("junit.xml", () => {
  const results = conclude([...checks(), check("reject.envelope", "failed", [], "broken <body>")]);
  const xml = junitXml(results);

  it("passes a warning: no failure, error or skipped, its outcome a property and its reason on system-out", () => {
    const testcase = /<testcase [^>]*name="accept\.envelope — [^"]*"[^>]*>([\s\S]*?)<\/testcase>/.exec(xml)![1]!;
    expect(testcase).toContain('<properties><property name="outcome" value="warning"/></properties>');
    expect(testcase).toContain(
      "<system-out>warning: Accept&apos;s success body carries extra beyond the members the page prints (status). [decided: AMB-EXTRA-FIELDS]</system-out>",
    );
    expect(testcase).not.toMatch(/<failure|<error|<skipped/);
    // Properties come before system-out, as the JUnit schema orders them.
    expect(testcase.indexOf("<properties>")).toBeLessThan(testcase.indexOf("<system-out>"));
  });

  it("leaves the counts as if the warning passed", () => {
    expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="1" errors="0" skipped="0"/);
    expect(xml).toMatch(/<testsuite name="envelope" tests="3" failures="1" errors="0" skipped="0"/);
  });

  it("fails it under --strict", () => {
    const strict = junitXml(conclude(checks(), { strict: true }));
    expect(strict).toMatch(
      /<failure message="Failed because --strict makes decided expectations normative: AMB-EXTRA-FIELDS/,
    );
    expect(strict).not.toContain("system-out");
  });
});

describe("ctrf.json", () => {
  const results = conclude(checks());
  const report = ctrfReport(results);
  const test = report.results.tests.find((t) => t.testId === "accept.envelope")!;

  it("passes a warning, with rawStatus warning and its reason as the message, valid against the CTRF schema", () => {
    expect(test).toMatchObject({ status: "passed", rawStatus: "warning", message: results.checks[0]!.reason });
    expect(report.results.summary).toMatchObject({ tests: 2, passed: 2, failed: 0 });
    expect(schemas().validate("results/ctrf.json", report)).toEqual({ valid: true });
  });

  it("fails it under --strict", () => {
    const strict = ctrfReport(conclude(checks(), { strict: true }));
    expect(strict.results.tests[0]).toMatchObject({ status: "failed", rawStatus: "failed" });
    expect(strict.results.tests[0]!.message).toMatch(/^Failed because --strict .*AMB-EXTRA-FIELDS/);
  });
});

describe("the HTML report", () => {
  it("says the warnings in the verdict, counts, filters and matrix, lists the expectations with their levels", () => {
    const results = conclude(checks());
    const html = renderReport(results);
    expect(html).toContain('<h1 id="verdict">Conformant, 1 warning</h1>');
    expect(html).toContain('<li class="o-warning"><b>1</b> warning</li>');
    expect(html).toContain('<input type="checkbox" name="outcome" value="warning" checked> warning (1)');
    expect(html).toMatch(/<td class="cell o-warning"><a [^>]*>warning 1\/2<\/a><\/td>/);
    expect(html).toMatch(/<details class="check o-warning" id="check-accept\.envelope"/);
    // The legend: the four levels, only decided ones warn, --strict makes them fail.
    const legend = /<aside id="levels"[\s\S]*?<\/aside>/.exec(html)![0];
    for (const level of ["page", "facts", "protocol", "decided"])
      expect(legend).toContain(`<span class="lvl lvl-${level}">${level}</span>`);
    expect(legend).toMatch(/Only <b>decided<\/b> expectations warn instead of failing/);
    expect(legend).toContain("--strict");
    // Coverage by level: FACT-* and PROTO-* too.
    expect(html).toMatch(/<table class="coverage" data-level="facts">[\s\S]*?id="req-FACT-STATES"/);
    expect(html).toMatch(/<table class="coverage" data-level="protocol">[\s\S]*?id="req-PROTO-HTTP-ANSWER"/);
    // Its evidence: the expectations table, level badges, the clause's quote or the register entry's title.
    const body = reportEvidence(html)[0]!;
    const table = /<table class="expectations">[\s\S]*?<\/table>/.exec(body)![0];
    expect(table).toContain('<span class="lvl lvl-page">page</span>');
    expect(table).toContain('<span class="lvl lvl-decided">decided</span>');
    expect(table).toMatch(
      /<tr class="e-warned"><td><span class="lvl lvl-decided">decided<\/span><\/td><td><a href="#amb-AMB-EXTRA-FIELDS" title="[^"]+"><code>AMB-EXTRA-FIELDS<\/code><\/a><\/td><td class="eo">warned<\/td>/,
    );
    expect(table).toMatch(/<a href="#req-REQ-ACCEPT-8" title="“[^"]+”"><code>REQ-ACCEPT-8<\/code>/);
    // The register lists the decided clauses the expectations name.
    expect(html).toContain('<tr id="amb-AMB-EXTRA-FIELDS">');
  });

  it("colours a cell by its worst outcome: failed, error, can't tell, warning, waived, passed, not applicable", () => {
    const order = ["failed", "error", "cant-tell", "warning", "waived", "passed", "not-applicable"] as const;
    for (let i = 0; i < order.length; i++) {
      const list = order.slice(i).map((o, k) => ({ ...check(`x.c${k}`, o), operation: "reject" }));
      const html = renderReport({ ...conclude([]), checks: list });
      expect(/<tr data-operation="reject">.*?<td class="cell o-([a-z-]+)"/.exec(html)![1], order[i]).toBe(order[i]);
    }
  });

  it("says --strict in the legend and beside the profile", () => {
    const html = renderReport(conclude(checks(), { strict: true }));
    expect(html).toContain("This run: <b>--strict</b>");
    expect(html).toContain("<dd>seed (--strict)</dd>");
    expect(html).toContain('<h1 id="verdict">Non-conformant</h1>');
  });
});
