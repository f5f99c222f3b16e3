// `gws-conformance load`: N agents drive full interaction lifecycles at once (offered by the provisioning hook,
// Accept, AttachUserData, Complete), each agent with its own CometD client. Afterwards every interaction is
// checked: each expected notification arrived exactly once, to its agent only, in state order, and the REST
// state matched the last notification. A fence (one more invitation per agent, delivered in order after
// everything else) proves that nothing late is still on its way. Bounded by time and by count; stops by itself.
import { Op } from "../generated/vocabulary.js";
import { NotificationClient } from "../client/notifications.js";
import type { Account } from "../runner/config.js";
import { interactionOf } from "../suite/interactions.js";
import type { TargetConfig } from "../suite/run-context.js";
import { AgentSession, offer, withdraw } from "./http.js";
import { judge, type LoadViolation, type ViolationKind } from "./judge.js";
import { inState, lifecycle, type Lifecycle } from "./lifecycle.js";
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
    NotificationClient.connect({
      url: config.target.notificationsUrl,
      username: a.username,
      password: a.password,
      handshakeTimeoutMs: config.timeouts.requestMs,
      label: a.username,
    }).then(
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
  const runId = `load-${Date.now().toString(36)}`;
  const steps = lifecycle(config, runId);
  const started = performance.now();
  const deadline = started + options.durationMs;
  const lifecycles: Lifecycle[] = [];
  const violations: LoadViolation[] = [];
  const latencies: number[] = [];
  let beforeAnswer = 0;
  let operations = 0;

  /** Waits for the step's notification; a missing one is judged at the end, from everything received. */
  const awaitNotification = async (
    client: NotificationClient,
    id: string,
    state: string,
    since: number,
    answeredAt: number,
  ) => {
    const n = await client
      .waitFor(inState(id, state), { since, within: config.timeouts.notificationMs })
      .catch(() => undefined);
    if (!n) return;
    if (n.receivedAt < answeredAt) beforeAnswer++;
    latencies.push(Math.max(0, n.receivedAt - answeredAt));
  };

  const drive = async (index: number) => {
    const session = sessions[index]!;
    const client = clients[index]!;
    const who = session.account.username;
    for (let n = 0; n < maxPerAgent && performance.now() < deadline; n++) {
      let since = client.cursor();
      const { id, answer } = await offer(config, who, `${runId}-${who}-${n}`);
      operations++;
      if (!id) {
        violations.push({
          kind: "refused",
          agent: who,
          message: `The provisioning hook answered ${answer.status || answer.error} for ${who}.`,
        });
        return;
      }
      const record: Lifecycle = { id, agent: who, performed: 1 };
      lifecycles.push(record);
      await awaitNotification(client, id, steps[0]!.state, since, answer.answeredAt);
      for (const step of steps.slice(1)) {
        since = client.cursor();
        const reply = await session.send("POST", `/api/v2/me/interactions/${encodeURIComponent(id)}`, step.body);
        operations++;
        if (reply.status !== 200) {
          record.uncertain = reply.status === 0;
          violations.push({
            kind: "refused",
            agent: who,
            interaction: id,
            message: `${step.operation} on ${id} answered ${reply.status || reply.error}; the lifecycle stopped there.`,
          });
          return;
        }
        record.performed++;
        await awaitNotification(client, id, step.state, since, reply.answeredAt);
        if (step.operation === Op.AttachUserData) {
          // REST must agree with the last notification.
          const rest = await session.send("GET", `/api/v2/interactions/${encodeURIComponent(id)}`);
          operations++;
          const state = (rest.body as { interaction?: { state?: unknown } } | undefined)?.interaction?.state;
          if (state !== step.state)
            violations.push({
              kind: "rest-mismatch",
              agent: who,
              interaction: id,
              message: `GET /api/v2/interactions/${id} says ${rest.status === 200 ? `state ${String(state)}` : `HTTP ${rest.status || rest.error}`} after the ${step.state} notification.`,
            });
        }
      }
    }
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
    await Promise.all(sessions.map((_, i) => drive(i)));
  } finally {
    clearInterval(progress);
  }
  const durationMs = performance.now() - started;

  // The fence: one more invitation per agent. CometD delivers a session's messages in order, so once it is
  // there, every earlier message (a late duplicate too) has arrived.
  log("Fencing: one last invitation per agent ...");
  await inParallel(sessions, CONNECT_WIDTH, async (session, i) => {
    const client = clients[i]!;
    const since = client.cursor();
    const { id } = await offer(config, session.account.username, `${runId}-fence`);
    const fenced =
      id &&
      (await client
        .waitFor((m) => interactionOf(m.data)?.id === id, { since, within: config.timeouts.notificationMs })
        .catch(() => undefined));
    if (!fenced)
      violations.push({
        kind: "fence",
        agent: session.account.username,
        interaction: id,
        message: `The fence invitation${id ? ` ${id}` : ""} never reached ${session.account.username}; later messages cannot be ruled out.`,
      });
    if (id) await withdraw(config, id);
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
