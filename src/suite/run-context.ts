// The resolved run configuration, handed by the runner to the suites' vitest workers through a private file
// (it holds credentials, so it is never logged; the runner deletes it after the run).
import { readFileSync } from "node:fs";
import type { RunConfig } from "../runner/config.js";

export const CONTEXT_ENV = "GWS_CONFORMANCE_CONTEXT";

/** A RunConfig whose target is known (the runner has started the embedded server when there was none). */
export type TargetConfig = RunConfig & { target: NonNullable<RunConfig["target"]> };

let cached: TargetConfig | undefined;

export function runContext(): TargetConfig {
  if (cached) return cached;
  const file = process.env[CONTEXT_ENV];
  if (!file)
    throw new Error(
      `The suites run under the gws-conformance runner, which sets ${CONTEXT_ENV}; run "npx gws-conformance run".`,
    );
  cached = forWorker(JSON.parse(readFileSync(file, "utf8")) as TargetConfig, Number(process.env.VITEST_POOL_ID ?? "1"));
  return cached;
}

/**
 * The configuration as vitest worker `worker` (1, 2, ...) sees it: worker 1 uses agent and agent2, worker k the
 * (k-1)th pair of accounts.agentPool, so parallel suite files never share an agent's interactions or messages.
 */
export function forWorker(config: TargetConfig, worker: number): TargetConfig {
  if (worker <= 1) return config;
  const pool = config.accounts.agentPool ?? [];
  const [agent, agent2] = pool.slice(2 * (worker - 2), 2 * (worker - 1));
  if (!agent || !agent2)
    throw new Error(
      `Worker ${worker} has no agents of its own: accounts.agentPool holds ${pool.length} account(s), enough for ${workersFor(pool.length)} worker(s).`,
    );
  return { ...config, accounts: { ...config.accounts, agent, agent2 } };
}

/** How many parallel workers a pool of `poolSize` agent accounts allows (two agents each, plus agent and agent2). */
export const workersFor = (poolSize: number) => 1 + Math.floor(poolSize / 2);
