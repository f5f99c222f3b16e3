// JUnit XML for CI systems: one testsuite per check family, one testcase per check. A warning (only decided
// expectations broke) passes, as the run does: its outcome is a property and its reason goes to system-out.
import type { CheckResult, ConformanceResults, WaiverStatus } from "../generated/schema-types.js";

const escape = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!)
    // XML 1.0 forbids most control characters, even escaped: matching them is the point.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");

/** Why a waived check does not fail the run, in one line (junit.xml and ctrf.json say it alike). */
export function waiverText(w: WaiverStatus): string {
  return `waived until ${w.expires} by ${w.owner}: ${w.reason}`;
}

function testcase(c: CheckResult): string {
  const attrs = `classname="gws-conformance.${escape(c.family)}" name="${escape(`${c.id} — ${c.title}`)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
  const reason = escape(c.reason ?? "");
  switch (c.outcome) {
    case "passed":
      return `    <testcase ${attrs}/>`;
    case "warning":
      return `    <testcase ${attrs}>\n      <properties><property name="outcome" value="warning"/></properties>\n      <system-out>warning: ${reason}</system-out>\n    </testcase>`;
    case "failed":
      return `    <testcase ${attrs}>\n      <failure message="${reason}" type="non-conformant">${reason}</failure>\n    </testcase>`;
    case "error":
      return `    <testcase ${attrs}>\n      <error message="${reason}" type="suite-error">${reason}</error>\n    </testcase>`;
    case "cant-tell":
      return `    <testcase ${attrs}>\n      <error message="can't tell: ${reason}" type="cant-tell">${reason}</error>\n    </testcase>`;
    case "not-applicable":
      return `    <testcase ${attrs}>\n      <skipped message="not applicable: ${reason}"/>\n    </testcase>`;
    case "waived":
      return `    <testcase ${attrs}>\n      <skipped message="${c.waiver ? escape(waiverText(c.waiver)) : "waived"}"/>\n    </testcase>`;
  }
}

export function junitXml(results: ConformanceResults): string {
  const families = [...new Set(results.checks.map((c) => c.family))];
  const suites = families.map((family) => {
    const cases = results.checks.filter((c) => c.family === family);
    const count = (o: string[]) => cases.filter((c) => o.includes(c.outcome)).length;
    const time = cases.reduce((s, c) => s + c.durationMs, 0) / 1000;
    return [
      `  <testsuite name="${escape(family)}" tests="${cases.length}" failures="${count(["failed"])}" errors="${count(["error", "cant-tell"])}" skipped="${count(["not-applicable", "waived"])}" time="${time.toFixed(3)}">`,
      ...cases.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  const total = results.checks.length;
  const n = (o: string[]) => results.checks.filter((c) => o.includes(c.outcome)).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gws-conformance (${results.profile}) ${escape(results.target.baseUrl)}" tests="${total}" failures="${n(["failed"])}" errors="${n(["error", "cant-tell"])}" skipped="${n(["not-applicable", "waived"])}" time="${(results.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
