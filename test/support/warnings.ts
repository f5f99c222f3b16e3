// Crafted check results for issue 12's warning tests (no run): accept.envelope only warns (a decided clause broke),
// accept.success passes; `conclude` does what the runner does after the checks ran (--strict, waivers, verdict).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { CheckResult, ConformanceResults, ExpectationResult } from "../../src/generated/schema-types.js";
import { schemas } from "../../src/model/schemas.js";
import { applyStrict, applyWaivers, finish, type Base } from "../../src/runner/run.js";

const example = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "fixtures", "results-example.json"), "utf8"),
) as ConformanceResults;

const held = (clause: string, level: ExpectationResult["level"]): ExpectationResult => ({
  clause,
  level,
  outcome: "held",
  message: `${clause} holds.`,
});

export function check(
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
export function checks(): CheckResult[] {
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
export function conclude(
  list: CheckResult[],
  { strict = false, waivers = [] as Parameters<typeof applyWaivers>[1] } = {},
): ConformanceResults {
  if (strict) applyStrict(list);
  const statuses = applyWaivers(list, waivers);
  return finish(base(strict), list, statuses, [], new Date(example.startedAt));
}

export const valid = (results: ConformanceResults) =>
  expect(schemas().validate("results/results.json", results)).toEqual({ valid: true });
