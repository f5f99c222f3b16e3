// One agent's part of a load run, shared by `gws-conformance load` (every agent in one process) and the Artillery
// engine (one agent per virtual user): connect its CometD client, drive lifecycles back to back, and fence.
import { NotificationClient } from "../client/notifications.js";
import { Op } from "../generated/vocabulary.js";
import type { Account } from "../runner/config.js";
import { interactionOf } from "../suite/interactions.js";
import type { TargetConfig } from "../suite/run-context.js";
import { type AgentSession, offer, withdraw } from "./http.js";
import type { LoadViolation } from "./judge.js";
import { inState, type Lifecycle, type Step } from "./lifecycle.js";

/** Where an agent's figures go as they happen: arrays for `load`, Artillery metrics for the engine. */
export interface Tally {
  operation(): void;
  /** A notification arrived `ms` after its HTTP answer (0 and `early` when it came first). */
  latency(ms: number, early: boolean): void;
  lifecycle(record: Lifecycle): void;
  violation(v: LoadViolation): void;
}

/** The userData tag of an agent's nth interaction of a run; the judge reads the agent back to spot a misroute. */
export const loadTag = (runId: string, agent: string, n: number | "fence") =>
  `${runId}/${encodeURIComponent(agent)}/${n}`;

/** The agent a load tag names, or undefined when the value is no load tag. */
export function taggedAgent(tag: unknown): string | undefined {
  const m = typeof tag === "string" ? /^load-[a-z0-9]+\/([^/]+)\/(\d+|fence)$/.exec(tag) : null;
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** A new run's id, unique enough across the processes and machines of one distributed run. */
export const newRunId = () => `load-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Connects the agent's own CometD client (its own cookie jar); throws when the handshake fails. */
export const connectAgent = (config: TargetConfig, account: Account) =>
  NotificationClient.connect({
    url: config.target.notificationsUrl,
    username: account.username,
    password: account.password,
    handshakeTimeoutMs: config.timeouts.requestMs,
    label: account.username,
  });

export interface DriveOptions {
  config: TargetConfig;
  session: AgentSession;
  client: NotificationClient;
  steps: Step[];
  runId: string;
  /** The index of the agent's first lifecycle in this run (tags stay unique across flow steps). */
  first: number;
  count: number;
  deadline: number;
  tally: Tally;
}

/** Drives up to `count` lifecycles until the deadline; a refused step is a violation and ends the agent's drive. */
export async function driveLifecycles(o: DriveOptions): Promise<number> {
  const { config, session, client, steps, tally } = o;
  const who = session.account.username;
  // A missing notification is judged at the end, from everything received; here only its latency counts.
  const awaitNotification = async (id: string, state: string, since: number, answeredAt: number) => {
    const n = await client
      .waitFor(inState(id, state), { since, within: config.timeouts.notificationMs })
      .catch(() => undefined);
    if (n) tally.latency(Math.max(0, n.receivedAt - answeredAt), n.receivedAt < answeredAt);
  };
  let done = 0;
  for (; done < o.count && performance.now() < o.deadline; done++) {
    let since = client.cursor();
    const { id, answer } = await offer(config, who, loadTag(o.runId, who, o.first + done));
    tally.operation();
    if (!id) {
      tally.violation({
        kind: "refused",
        agent: who,
        message: `The provisioning hook answered ${answer.status || answer.error} for ${who}.`,
      });
      return done;
    }
    const record: Lifecycle = { id, agent: who, performed: 1 };
    tally.lifecycle(record);
    await awaitNotification(id, steps[0]!.state, since, answer.answeredAt);
    for (const step of steps.slice(1)) {
      since = client.cursor();
      const reply = await session.send("POST", `/api/v2/me/interactions/${encodeURIComponent(id)}`, step.body);
      tally.operation();
      if (reply.status !== 200) {
        record.uncertain = reply.status === 0;
        tally.violation({
          kind: "refused",
          agent: who,
          interaction: id,
          message: `${step.operation} on ${id} answered ${reply.status || reply.error}; the lifecycle stopped there.`,
        });
        return done + 1;
      }
      record.performed++;
      await awaitNotification(id, step.state, since, reply.answeredAt);
      if (step.operation === Op.AttachUserData) {
        // REST must agree with the last notification.
        const rest = await session.send("GET", `/api/v2/interactions/${encodeURIComponent(id)}`);
        tally.operation();
        const state = (rest.body as { interaction?: { state?: unknown } } | undefined)?.interaction?.state;
        if (state !== step.state)
          tally.violation({
            kind: "rest-mismatch",
            agent: who,
            interaction: id,
            message: `GET /api/v2/interactions/${id} says ${rest.status === 200 ? `state ${String(state)}` : `HTTP ${rest.status || rest.error}`} after the ${step.state} notification.`,
          });
      }
    }
  }
  return done;
}

/**
 * The fence: one more invitation to the agent. CometD delivers a session's messages in order, so once it is
 * there, every earlier message (a late duplicate too) has arrived. Undefined when it came.
 */
export async function fence(
  config: TargetConfig,
  session: AgentSession,
  client: NotificationClient,
  runId: string,
): Promise<LoadViolation | undefined> {
  const who = session.account.username;
  const since = client.cursor();
  const { id } = await offer(config, who, loadTag(runId, who, "fence"));
  const fenced =
    id &&
    (await client
      .waitFor((m) => interactionOf(m.data)?.id === id, { since, within: config.timeouts.notificationMs })
      .catch(() => undefined));
  if (id) await withdraw(config, id);
  if (fenced) return undefined;
  return {
    kind: "fence",
    agent: who,
    interaction: id,
    message: `The fence invitation${id ? ` ${id}` : ""} never reached ${who}; later messages cannot be ruled out.`,
  };
}
