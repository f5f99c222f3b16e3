// The Common Test Report Format (https://ctrf.io) for CI dashboards: one CTRF test per check, built from the
// results as written (so already redacted), valid against schemas/results/ctrf.json.
import type { CheckResult, ConformanceResults, CtrfReport } from "../generated/schema-types.js";
import { waiverText } from "./junit.js";

type CtrfTest = CtrfReport["results"]["tests"][number];
type CtrfStatus = CtrfTest["status"];
type CtrfLabels = NonNullable<CtrfTest["labels"]>;

/** The CTRF version this file follows (the vendored schema's). */
export const CTRF_SPEC_VERSION = "0.0.0";

/**
 * CTRF knows passed, failed, skipped, pending and other; `rawStatus` keeps the check's own outcome. A warning
 * (only decided expectations broke; the run stays conformant) is passed, its reason the message. An error
 * (the suite broke) is failed so dashboards show red, as the run does (exit 5); can't tell has no verdict either
 * way, so other; not applicable and waived are skipped, as in junit.xml.
 */
export const CTRF_STATUS: Record<CheckResult["outcome"], CtrfStatus> = {
  passed: "passed",
  warning: "passed",
  failed: "failed",
  error: "failed",
  "cant-tell": "other",
  "not-applicable": "skipped",
  waived: "skipped",
};

/** The catalog operation and the requirement and ambiguity ids a check cites (CTRF labels: no empty lists). */
function labelsOf(c: CheckResult): CtrfLabels {
  const labels: CtrfLabels = c.operation ? { operation: c.operation } : {};
  for (const [key, [first, ...rest]] of [
    ["requirements", c.requirements],
    ["ambiguities", c.ambiguities],
  ] as const) {
    if (first !== undefined) labels[key] = [first, ...rest];
  }
  return labels;
}

function ctrfTest(c: CheckResult): CtrfTest {
  const message = c.outcome === "waived" && c.waiver ? waiverText(c.waiver) : c.reason;
  const labels = labelsOf(c);
  return {
    testId: c.id,
    name: `${c.id} — ${c.title}`,
    status: CTRF_STATUS[c.outcome],
    rawStatus: c.outcome,
    duration: c.durationMs,
    suite: [c.family],
    ...(message ? { message } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  };
}

export function ctrfReport(results: ConformanceResults): CtrfReport {
  const tests = results.checks.map(ctrfTest);
  const count = (status: CtrfStatus) => tests.filter((t) => t.status === status).length;
  const start = Date.parse(results.startedAt);
  const stop = start + results.durationMs;
  const tool = { name: results.suite.name, version: results.suite.version };
  return {
    reportFormat: "CTRF",
    specVersion: CTRF_SPEC_VERSION,
    timestamp: new Date(stop).toISOString(),
    generatedBy: `${tool.name} ${tool.version}`,
    results: {
      tool,
      summary: {
        tests: tests.length,
        passed: count("passed"),
        failed: count("failed"),
        skipped: count("skipped"),
        pending: count("pending"),
        other: count("other"),
        suites: new Set(results.checks.map((c) => c.family)).size,
        start,
        stop,
        duration: results.durationMs,
      },
      tests,
      environment: {
        reportName: `gws-conformance (${results.profile}) ${results.target.baseUrl}`,
        testEnvironment: results.target.baseUrl,
      },
      extra: {
        verdict: results.verdict,
        exitCode: results.exitCode,
        summary: results.summary,
        profile: results.profile,
        target: results.target,
      },
    },
  };
}

export function ctrfJson(results: ConformanceResults): string {
  return `${JSON.stringify(ctrfReport(results), null, 2)}\n`;
}
