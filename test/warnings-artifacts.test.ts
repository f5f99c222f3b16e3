// Issue 12's warnings in the artifacts, on crafted check results (no run): junit.xml passes a warning with an
// outcome property and its reason on system-out; ctrf.json passes it with rawStatus warning; the HTML report says
// it in its verdict, counts, filters, matrix and legend, and lists the expectations with their levels.
import { describe, expect, it } from "vitest";
import { schemas } from "../src/model/schemas.js";
import { renderReport, reportEvidence } from "../src/report/html.js";
import { ctrfReport } from "../src/runner/ctrf.js";
import { junitXml } from "../src/runner/junit.js";
import { check, checks, conclude } from "./support/warnings.js";

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
