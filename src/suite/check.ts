// check(): one named conformance check, as a vitest test whose stable id, citations, outcome, expectations and
// evidence travel to the runner's reporter in the test's meta. Checks read like the spec sentence they verify;
// every expectation names its clause, whose level decides whether breaking it fails or warns (levels.ts).
import { afterAll, beforeAll, test } from "vitest";
import type { CheckFamily } from "../generated/schema-types.js";
import type { ExpectationRecord } from "../model/levels.js";
import { HandshakeFailed, NotificationTimeout, UnexpectedNotification } from "../client/notifications.js";
import type { AccountRole, Features } from "../runner/config.js";
import { agentNotifications, disconnectAgents } from "./agents.js";
import { CheckContext } from "./context.js";
import { emptyEvidence, type Evidence } from "./evidence.js";
import { ConformanceFailure } from "./expect.js";
import { redact } from "./redaction.js";
import { runContext, type TargetConfig } from "./run-context.js";

export { ConformanceFailure, CheckContext };
export { CantTell, type Clause, type Decided, type Normative, type RefusalRule } from "./clause.js";

/** "warning": only decided expectations (the register's choices) did not hold; see src/model/levels.ts. */
export type Outcome = "passed" | "failed" | "warning" | "not-applicable" | "cant-tell" | "error";

export interface CheckSpec {
  /** Stable id, e.g. "accept.success"; reports and waivers refer to it. */
  id: string;
  title: string;
  family: CheckFamily;
  /** The catalog operation or endpoint it is about, for the report's matrix. */
  operation?: string;
  /** The clauses (REQ-*, FACT-*, PROTO-*) it verifies. */
  requirements: string[];
  /** The ambiguity entries its expectations depend on. */
  ambiguities?: string[];
  needs?: { accounts?: AccountRole[]; features?: (keyof Features)[] };
}

export interface CheckRecord {
  spec: CheckSpec;
  outcome: Outcome;
  reason?: string;
  evidence: Evidence;
  /** Every expectation the check asserted, with its clause and level, in the order asserted. */
  expectations: ExpectationRecord[];
  /** Per accepted operation, ms from sending it to the first notification about its interaction (issue 13). */
  latencies?: { operation: string; ms: number }[];
}

declare module "vitest" {
  interface TaskMeta {
    gws?: CheckRecord;
  }
}

function classify(error: unknown): Outcome {
  const name = (error as Error)?.name;
  if (name === "CantTell" || error instanceof HandshakeFailed) return "cant-tell";
  if (
    name === "AssertionError" ||
    error instanceof ConformanceFailure ||
    error instanceof NotificationTimeout ||
    error instanceof UnexpectedNotification
  ) {
    return "failed";
  }
  return "error";
}

/** The reasons a check cannot apply to this configuration, if any. */
function notApplicable(spec: CheckSpec, config: TargetConfig): string | undefined {
  for (const role of spec.needs?.accounts ?? []) {
    if (!config.accounts[role]) return `needs the ${role} account, and accounts.${role} is not configured.`;
  }
  for (const feature of spec.needs?.features ?? []) {
    if (!config.features[feature]) return `needs the ${feature} feature, and features.${feature} is false.`;
  }
  return undefined;
}

/** Declares the suite file's use of the target: agents connect before the first check and leave after the last. */
export function useTarget(roles: AccountRole[] = ["agent", "agent2"]): void {
  beforeAll(async () => {
    const config = runContext();
    // Only configured accounts; a refused handshake surfaces in the checks that need it, as "can't tell".
    await Promise.allSettled(roles.filter((r) => config.accounts[r]).map((r) => agentNotifications(r)));
  });
  afterAll(() => disconnectAgents());
}

/** `timeoutMs`: for a check that works to a budget of its own (the explorer); default 20 request timeouts. */
export function check(spec: CheckSpec, body: (t: CheckContext) => Promise<void>, timeoutMs?: number): void {
  test(
    `${spec.id} — ${spec.title}`,
    async (ctx) => {
      const config = runContext();
      const record: CheckRecord = { spec, outcome: "passed", evidence: emptyEvidence(), expectations: [] };
      // The record leaves the worker redacted, once: when the check has ended, or when vitest ended it (a timeout).
      // Its exchanges and reason are kept unredacted until then, so each string is searched for secrets once.
      ctx.onTestFinished(() => void (ctx.task.meta.gws = redact().value(record)));
      const reason = notApplicable(spec, config);
      if (reason) {
        record.outcome = "not-applicable";
        record.reason = reason;
        ctx.skip(reason);
        return;
      }
      const t = new CheckContext(config, record.evidence, ctx);
      await t.start();
      try {
        await body(t);
        const warnings = t.expectations.warnings;
        if (warnings.length > 0) {
          record.outcome = "warning";
          record.reason =
            warnings.length === 1 ? warnings[0]! : `${warnings[0]} (and ${warnings.length - 1} more warnings)`;
        }
      } catch (e) {
        record.outcome = classify(e);
        record.reason = (e as Error)?.message ?? String(e);
        throw e;
      } finally {
        await t.finish();
        record.expectations = t.expectations.records;
        record.latencies = t.latencies;
      }
    },
    timeoutMs ?? 20 * runContext().timeouts.requestMs,
  );
}
