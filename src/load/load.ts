// `gws-conformance load`: N agents drive full interaction lifecycles at once (offered by the provisioning hook,
// Accept, AttachUserData, Complete), each agent with its own CometD client. Afterwards every interaction is
// checked: each expected notification arrived exactly once, to its agent only, in state order, and the REST
// state matched the last notification. A fence (one more invitation per agent, delivered in order after
// everything else) proves that nothing late is still on its way. Bounded by time and by count; stops by itself.
import type { NotificationClient } from "../client/notifications.js";
import type { Account } from "../runner/config.js";
import type { TargetConfig } from "../suite/run-context.js";
import { connectAgent, driveLifecycles, fence, newRunId, type Tally } from "./agent.js";
import { AgentSession } from "./http.js";
import { judge, type LoadViolation, type ViolationKind } from "./judge.js";
import { lifecycle, type Lifecycle } from "./lifecycle.js";
import { distribution, inParallel, type Distribution } from "./stats.js";

export { AgentSession, offer, type Answer } from "./http.js";
export type { LoadViolation, ViolationKind } from "./judge.js";
export { inState } from "./lifecycle.js";

/** Lifecycles one agent runs at most, so its client's kept messages (20 000) always hold the whole run. */
export const MAX_LIFECYCLES_PER_AGENT = 4_000;
/** How many agents connect to CometD at once. */
const CONNECT_WIDTH = 25;
/** Violations listed in full (all are counted). */
const LISTED = 200;

export interface LoadReport {
  target: string;
  profile: TargetConfig["profile"];
  agents: number;
  durationMs: number;
  lifecycles: number;
  operations: number;
  notifications: number;
  throughput: { lifecyclesPerSecond: number; operationsPerSecond: number };
  /** From an operation's (or the hook's) HTTP answer to its notification's arrival; 0 when it came first. */
  notificationLatencyMs: Distribution & { beforeAnswer: number };
  httpMs: Distribution;
  violationCount: number;
  byKind: Partial<Record<ViolationKind, number>>;
  violations: LoadViolation[];
}

/** The load cannot start (accounts, hook, CometD); the message says why in one sentence. */
export class LoadCannotStart extends Error {
  override name = "LoadCannotStart";
}

export interface LoadOptions {
  config: TargetConfig;
  /** Agents to drive: agent, agent2, then accounts.agentPool in order. */
  agents: number;
  durationMs: number;
  log?: (line: string) => void;
  /** Lifecycles per agent at most (default and ceiling MAX_LIFECYCLES_PER_AGENT). */
  maxPerAgent?: number;
}

/** The Agent accounts a configuration gives, in the order load takes them. */
export function agentAccounts(config: TargetConfig): Account[] {
  return [config.accounts.agent, config.accounts.agent2, ...(config.accounts.agentPool ?? [])].filter(
    (a): a is Account => a !== undefined,
  );
}

/** Drives the agents, then checks every interaction; never throws for the target's faults (they are violations). */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const { config } = options;
  const log = options.log ?? (() => {});
  const accounts = agentAccounts(config).slice(0, options.agents);
  if (accounts.length < options.agents)
    throw new LoadCannotStart(
      `--agents ${options.agents} needs ${options.agents} Agent accounts; the configuration gives ${accounts.length} (agent, agent2 and accounts.agentPool).`,
    );
  const maxPerAgent = Math.min(options.maxPerAgent ?? MAX_LIFECYCLES_PER_AGENT, MAX_LIFECYCLES_PER_AGENT);
  const hook = config.provisioning;
  if (!hook) throw new LoadCannotStart("Load needs the provisioning hook (provisioning.url) to offer interactions.");

  log(`Connecting ${accounts.length} agents to ${config.target.notificationsUrl} ...`);
  const connected = await inParallel(accounts, CONNECT_WIDTH, (a) =>
    connectAgent(config, a).then(
      (client) => ({ client }),
      (error: unknown) => ({ error: error as Error }),
    ),
  );
  const failed = connected.find((c) => "error" in c);
  if (failed) {
    await Promise.all(connected.map((c) => ("client" in c ? c.client.disconnect() : undefined)));
    throw new LoadCannotStart(
      `${connected.filter((c) => "error" in c).length} of ${accounts.length} agents could not connect to CometD, e.g.: ${(failed as { error: Error }).error.message}`,
    );
  }
  const clients = connected.map((c) => (c as { client: NotificationClient }).client);
  const sessions = accounts.map((a) => new AgentSession(a, config));
  const runId = newRunId();
  const steps = lifecycle(config, runId);
  const started = performance.now();
  const deadline = started + options.durationMs;
  const lifecycles: Lifecycle[] = [];
  const violations: LoadViolation[] = [];
  const latencies: number[] = [];
  let beforeAnswer = 0;
  let operations = 0;
  const tally: Tally = {
    operation: () => operations++,
    latency: (ms, early) => {
      latencies.push(ms);
      if (early) beforeAnswer++;
    },
    lifecycle: (record) => lifecycles.push(record),
    violation: (v) => violations.push(v),
  };

  const progress = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    log(
      `  ${s.toFixed(0)} s: ${lifecycles.length} lifecycles, ${operations} requests, ${violations.length} violations so far`,
    );
  }, 5_000);
  progress.unref();
  try {
    log(
      `Driving ${accounts.length} agents for ${(options.durationMs / 1000).toFixed(0)} s (at most ${maxPerAgent} lifecycles each) ...`,
    );
    await Promise.all(
      sessions.map((session, i) =>
        driveLifecycles({
          config,
          session,
          client: clients[i]!,
          steps,
          runId,
          first: 0,
          count: maxPerAgent,
          deadline,
          tally,
        }),
      ),
    );
  } finally {
    clearInterval(progress);
  }
  const durationMs = performance.now() - started;

  log("Fencing: one last invitation per agent ...");
  await inParallel(sessions, CONNECT_WIDTH, async (session, i) => {
    const late = await fence(config, session, clients[i]!, runId);
    if (late) violations.push(late);
  });

  violations.push(...judge(lifecycles, accounts, clients, steps, started));
  await Promise.all(clients.map((c) => c.disconnect()));

  const byKind: LoadReport["byKind"] = {};
  for (const v of violations) byKind[v.kind] = (byKind[v.kind] ?? 0) + 1;
  const seconds = durationMs / 1000;
  return {
    target: config.target.baseUrl,
    profile: config.profile,
    agents: accounts.length,
    durationMs: Math.round(durationMs),
    lifecycles: lifecycles.length,
    operations,
    notifications: clients.reduce((n, c) => n + c.received.length, 0),
    throughput: {
      lifecyclesPerSecond: round(lifecycles.length / seconds),
      operationsPerSecond: round(operations / seconds),
    },
    notificationLatencyMs: { ...distribution(latencies), beforeAnswer },
    httpMs: distribution(sessions.flatMap((s) => s.httpMs)),
    violationCount: violations.length,
    byKind,
    violations: violations.slice(0, LISTED),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
