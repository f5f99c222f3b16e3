// The bench's latency figure: the full run against a reference server made remote by a delay proxy (HTTP, the
// hook and the CometD long polls all through it), at a given round-trip time and --concurrency, against the run's
// critical-path floor: its fixed cost on loopback plus its longest check's chain of round trips.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConformanceResults } from "../generated/schema-types.js";
import { startReferenceServer } from "../reference/server.js";
import { configForServer } from "../reference/target-config.js";
import { runConformance } from "../runner/run.js";
import { startDelayProxy } from "./delay-proxy.js";

export interface RemoteRun {
  rttMs: number;
  concurrency: number;
  wallMs: number;
  checks: number;
  /** Checks that did not pass (not applicable aside): a slow link must not change a verdict. */
  flipped: string[];
  /** The run's own phases (ms): before the suites, vitest start-up, the checks, the files. */
  timing: { setupMs: number; startupMs: number; checksMs: number; finishMs: number };
  /** The check with the most HTTP exchanges, and how many: its chain of round trips. */
  longestChain: { check: string; exchanges: number };
  /** The checks' durations summed: the run's work, which concurrency overlaps. */
  sumOfChecksMs: number;
  connections: number;
}

/** The most HTTP exchanges any check makes, one after another: the chain no concurrency can shorten. */
export function longestChain(results: ConformanceResults): { check: string; exchanges: number } {
  let best = { check: "", exchanges: 0 };
  for (const c of results.checks)
    if (c.evidence.exchanges.length > best.exchanges) best = { check: c.id, exchanges: c.evidence.exchanges.length };
  return best;
}

/**
 * The floor at `rttMs`: the loopback run's fixed cost (setup and preflight, vitest start-up, writing files) and its
 * longest check at loopback speed, plus that check's chain of exchanges, one round trip each.
 */
export function criticalPathFloorMs(loopback: RemoteRun, rttMs: number): number {
  const t = loopback.timing;
  return t.setupMs + t.startupMs + t.finishMs + loopback.longestChain.exchanges * rttMs;
}

export async function remoteRun(rttMs: number, concurrency: number): Promise<RemoteRun> {
  const server = await startReferenceServer({ profile: "gws" });
  const proxy = await startDelayProxy(Number(new URL(server.url).port), rttMs / 2);
  try {
    const dir = mkdtempSync(join(tmpdir(), "gws-bench-remote-"));
    // Every URL the suite is given (API, notifications, hook, agent URIs) goes through the proxy.
    const config = configForServer(server, "gws", { requestMs: 5000, notificationMs: 3000 });
    const remote = JSON.parse(JSON.stringify(config).split(server.url).join(proxy.url)) as typeof config;
    writeFileSync(join(dir, "config.json"), JSON.stringify(remote), { mode: 0o600 });
    const started = performance.now();
    const run = await runConformance({ config: join(dir, "config.json"), concurrency, reportDir: join(dir, "report") });
    const wallMs = Math.round(performance.now() - started);
    const results = run.results;
    if (!results || !run.timing) throw new Error(`The run through the proxy did not finish (exit ${run.exitCode}).`);
    return {
      rttMs,
      concurrency,
      wallMs,
      checks: results.checks.length,
      flipped: results.checks
        .filter((c) => c.outcome !== "passed" && c.outcome !== "not-applicable")
        .map((c) => `${c.id} (${c.outcome}: ${c.reason ?? ""})`),
      timing: run.timing,
      longestChain: longestChain(results),
      sumOfChecksMs: results.checks.reduce((n, c) => n + c.durationMs, 0),
      connections: proxy.connections(),
    };
  } finally {
    await proxy.close();
    await server.close();
  }
}
