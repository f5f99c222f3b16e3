// Notification latency per operation (issue 13): each check's samples, aggregated per operation; measured on the
// reference server, and a slow server shows in it.
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../src/generated/schema-types.js";
import { notificationLatency } from "../src/runner/latency.js";
import { runAgainst } from "./support/conformance.js";

const checkWith = (latencies: { operation: string; ms: number }[]) => ({ latencies }) as unknown as CheckResult;

describe("notification latency", () => {
  it("gives p50, p95 and max per operation over every check's samples, by nearest rank", () => {
    const checks = [
      checkWith([
        { operation: "Accept", ms: 2 },
        { operation: "Complete", ms: 55 },
      ]),
      checkWith([]),
      checkWith([
        { operation: "Accept", ms: 30 },
        { operation: "Accept", ms: 4.5 },
      ]),
    ];
    expect(notificationLatency(checks, 3000)).toEqual({
      boundMs: 3000,
      operations: [
        { operation: "Accept", count: 3, p50Ms: 4.5, p95Ms: 30, maxMs: 30 },
        { operation: "Complete", count: 1, p50Ms: 55, p95Ms: 55, maxMs: 55 },
      ],
    });
  });

  it("measures on the reference server: every operation the checks perform, each sample within the bound", async () => {
    const run = await runAgainst({ profile: "gws" }, ["--only", "accept.*,complete.*,attach-user-data.*", "--quiet"]);
    const ops = run.results!.latency!.operations;
    expect(ops.map((o) => o.operation)).toEqual(expect.arrayContaining(["Accept", "Complete", "AttachUserData"]));
    for (const o of ops) expect(o.maxMs, o.operation).toBeLessThan(run.results!.latency!.boundMs);
    const samples = run.results!.checks.flatMap((c) => c.latencies ?? []);
    expect(samples.length).toBe(ops.reduce((n, o) => n + o.count, 0));
  }, 60_000);

  it("shows a server whose notifications come 300 ms late in every operation's p50", async () => {
    const late = {
      configure: (_app: unknown, engine: { deliver: (user: string, data: unknown) => void }) => {
        const deliver = engine.deliver;
        engine.deliver = (user, data) => void setTimeout(() => deliver(user, data), 300);
      },
    };
    const run = await runAgainst({ profile: "seed", ...late } as Parameters<typeof runAgainst>[0], [
      "--only",
      "accept.notifies-actor,complete.notifies-actor,attach-user-data.notifies-actor",
      "--quiet",
    ]);
    const ops = run.results!.latency!.operations;
    expect(ops.map((o) => o.operation)).toEqual(expect.arrayContaining(["Accept", "Complete", "AttachUserData"]));
    for (const o of ops) expect(o.p50Ms, o.operation).toBeGreaterThanOrEqual(250);
  }, 60_000);
});
