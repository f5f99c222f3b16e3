// Notification latency per operation (issue 13), measured on every run: each check records, for every operation
// the target accepted, the time from sending it to the first notification about its interaction that any agent
// received (src/suite/check.ts, on the suite's clock). Informative only: timeouts.notificationMs, the bound every
// wait already enforces, stays the only pass/fail.
import type { CheckResult, NotificationLatency } from "../generated/schema-types.js";

/** The nearest-rank percentile `p` (0..100) of ascending `sorted`. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** p50, p95 and max per operation, by operation name, with the bound the waits enforce. */
export function notificationLatency(checks: CheckResult[], boundMs: number): NotificationLatency {
  const samples = new Map<string, number[]>();
  for (const { operation, ms } of checks.flatMap((c) => c.latencies ?? []))
    samples.set(operation, [...(samples.get(operation) ?? []), ms]);
  const operations = [...samples]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        operation,
        count: sorted.length,
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        maxMs: sorted[sorted.length - 1]!,
      };
    });
  return { boundMs, operations };
}
