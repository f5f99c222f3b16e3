// `gws-conformance load`: N agents drive full interaction lifecycles at once (offered by the provisioning hook,
// Accept, AttachUserData, Complete), each agent with its own CometD client. Afterwards every interaction is
// checked: each expected notification arrived exactly once, to its agent only, in state order, and the REST
// state matched the last notification. A fence (one more invitation per agent, delivered in order after
// everything else) proves that nothing late is still on its way. Bounded by time and by count; stops by itself.
import { basicAuth } from "../client/basic-auth.js";
import { NotificationClient, type ReceivedNotification } from "../client/notifications.js";
import { specModel } from "../model/catalog.js";
import { requestBody } from "../model/requests.js";
import type { Account } from "../runner/config.js";
import { interactionOf } from "../suite/interactions.js";
import type { TargetConfig } from "../suite/run-context.js";
import { distribution, inParallel, type Distribution } from "./stats.js";

/** Lifecycles one agent runs at most, so its client's kept messages (20 000) always hold the whole run. */
export const MAX_LIFECYCLES_PER_AGENT = 4_000;
/** How many agents connect to CometD at once. */
const CONNECT_WIDTH = 25;
/**
 * Requests in flight at once, across all agents; the others queue in order, as in a browser's connection pool.
 * Hundreds of simultaneous connections make any server's scheduling unfair (some requests starve for seconds
 * while others cycle), which would be reported as timeouts of a server that is merely saturated.
 */
const IN_FLIGHT = 32;
/** Violations listed in full (all are counted). */
const LISTED = 200;

export type ViolationKind =
  "missing" | "duplicate" | "unexpected" | "out-of-order" | "misrouted" | "rest-mismatch" | "refused" | "fence";

export interface LoadViolation {
  kind: ViolationKind;
  agent: string;
  interaction?: string;
  message: string;
  /** What the agent's client received about the interaction, in arrival order (ms since the run started). */
  received?: { at: number; agent: string; state?: string; notificationType?: string }[];
}

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

export interface Answer {
  status: number;
  body: unknown;
  error?: string;
  answeredAt: number;
}

/** One agent's HTTP session: Basic auth, its JSESSIONID and CSRF token when the target uses them. */
export class AgentSession {
  private cookie?: string;
  private csrf?: string;
  readonly httpMs: number[] = [];

  constructor(
    readonly account: Account,
    private readonly config: TargetConfig,
  ) {}

  async send(method: "GET" | "POST", path: string, body?: unknown): Promise<Answer> {
    if (this.config.features.csrf && method !== "GET" && !this.csrf) await this.send("GET", "/api/v2/me/interactions");
    const headers: Record<string, string> = { Authorization: basicAuth(this.account.username, this.account.password) };
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== "GET") headers["X-CSRF-TOKEN"] = this.csrf;
    const answer = await request(this.config, method, `${this.config.target.baseUrl}${path}`, headers, body);
    this.httpMs.push(answer.ms);
    const session = answer.setCookie.map((c) => c.split(";")[0]!).find((c) => c.startsWith("JSESSIONID="));
    if (session) this.cookie = session;
    if (answer.csrf) this.csrf = answer.csrf;
    return answer;
  }
}

/** A first-in, first-out limit on concurrent requests. */
class Gate {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(width: number) {
    this.free = width;
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
const gate = new Gate(IN_FLIGHT);

/** One request; its timeout counts from when it is sent, not from when it queued at the gate. */
function request(
  config: TargetConfig,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer & { ms: number; setCookie: string[]; csrf?: string }> {
  return gate.run(() => send(config, method, url, headers, body));
}

async function send(
  config: TargetConfig,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer & { ms: number; setCookie: string[]; csrf?: string }> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(config.timeouts.requestMs),
    });
    const text = await res.text();
    const answeredAt = performance.now();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return {
      status: res.status,
      body: parsed,
      answeredAt,
      ms: answeredAt - started,
      setCookie: res.headers.getSetCookie(),
      csrf: res.headers.get("x-csrf-token") ?? undefined,
    };
  } catch (e) {
    const err = e as Error;
    const answeredAt = performance.now();
    const error =
      err.name === "TimeoutError"
        ? `no answer within ${config.timeouts.requestMs} ms`
        : ((err.cause as Error | undefined)?.message ?? err.message);
    return { status: 0, body: undefined, error, answeredAt, ms: answeredAt - started, setCookie: [] };
  }
}

/** Matches a message about interaction `id` in `state`. */
export const inState = (id: string, state: string) => (m: ReceivedNotification) => {
  const i = interactionOf(m.data);
  return i?.id === id && i.state === state;
};

/** Asks the provisioning hook to offer a new interaction to `username`; `id` is absent when it refused. */
export async function offer(
  config: TargetConfig,
  username: string,
  tag: string,
): Promise<{ id?: string; answer: Answer }> {
  const hook = config.provisioning!;
  const answer = await request(
    config,
    "POST",
    hook.url,
    { ...hook.headers },
    { agent: username, mediaType: "email", userData: { ConformanceLoad: tag } },
  );
  const id = (answer.body as { id?: unknown } | undefined)?.id;
  return { id: answer.status >= 200 && answer.status < 300 && typeof id === "string" ? id : undefined, answer };
}

/** Removes an interaction through the hook (its optional DELETE). */
const withdraw = (config: TargetConfig, id: string) =>
  request(config, "DELETE", `${config.provisioning!.url}/${encodeURIComponent(id)}`, {
    ...config.provisioning!.headers,
  });

/** A lifecycle step: the operation sent with its body (none for the hook's invitation) and the state its notification carries. */
interface Step {
  operation?: string;
  body?: Record<string, unknown>;
  state: string;
}

/** The lifecycle, each request body built once and each notification's state taken from the catalog. */
function lifecycle(config: TargetConfig, marker: string): Step[] {
  const model = specModel();
  const resources = {
    queue: config.resources.queues[0]!,
    workbin: config.resources.workbins[0]!,
    target: { id: "", uri: "" },
    marker,
  };
  const step = (operation: string): Step => {
    const op = model.operation(operation);
    return {
      operation,
      body: requestBody(op, config.profile, resources),
      state: op.notifications[0]?.state ?? op.outcome.state ?? "Processing",
    };
  };
  return [{ state: "Invited" }, ...["Accept", "AttachUserData", "Complete"].map(step)];
}

interface Lifecycle {
  id: string;
  agent: string;
  /** Steps whose request succeeded (1: offered, not yet accepted); only their notifications are expected. */
  performed: number;
  /** The next step's request got no answer: the target may or may not have done it. */
  uncertain?: boolean;
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
        if (step.operation === "AttachUserData") {
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

/** Every interaction's messages against the lifecycle: exactly once each, in state order, to its agent only. */
function judge(
  lifecycles: Lifecycle[],
  accounts: Account[],
  clients: NotificationClient[],
  steps: Step[],
  started: number,
): LoadViolation[] {
  const owner = new Map(lifecycles.map((l) => [l.id, l.agent]));
  const seen = new Map<
    string,
    { agent: string; n: ReceivedNotification; state?: string; notificationType?: string }[]
  >();
  clients.forEach((client, i) => {
    for (const n of client.received) {
      const interaction = interactionOf(n.data);
      if (!interaction || !owner.has(interaction.id)) continue;
      const list = seen.get(interaction.id) ?? [];
      list.push({
        agent: accounts[i]!.username,
        n,
        state: interaction.state,
        notificationType: interaction.notificationType,
      });
      seen.set(interaction.id, list);
    }
  });
  const violations: LoadViolation[] = [];
  for (const { id, agent, performed, uncertain } of lifecycles) {
    const expected = steps.slice(0, performed).map((s) => s.state);
    const all = (seen.get(id) ?? []).sort((a, b) => a.n.receivedAt - b.n.receivedAt);
    const received = all.map((m) => ({
      at: Math.round(m.n.receivedAt - started),
      agent: m.agent,
      state: m.state,
      notificationType: m.notificationType,
    }));
    const violation = (kind: ViolationKind, message: string) =>
      violations.push({ kind, agent, interaction: id, message, received });
    const elsewhere = all.filter((m) => m.agent !== agent);
    if (elsewhere.length > 0)
      violation(
        "misrouted",
        `${elsewhere.length} message(s) about ${agent}'s ${id} reached ${[...new Set(elsewhere.map((m) => m.agent))].join(", ")}.`,
      );
    const states = all.filter((m) => m.agent === agent).map((m) => m.state ?? "(no state)");
    if (states.join() === expected.join()) continue;
    // A request that got no answer may still have been done: its notification is allowed, once, last.
    if (uncertain && states.join() === [...expected, steps[performed]!.state].join()) continue;
    const count = (list: string[], s: string) => list.filter((x) => x === s).length;
    const problems: [ViolationKind, string][] = [];
    for (const s of new Set([...expected, ...states])) {
      const want = count(expected, s);
      const got = count(states, s);
      if (got < want) problems.push(["missing", `${want - got} ${s} notification(s) never arrived`]);
      else if (got > want && want > 0)
        problems.push(["duplicate", `the ${s} notification arrived ${got} times instead of ${want}`]);
      else if (got > want)
        problems.push(["unexpected", `${got} ${s} notification(s) that the lifecycle does not cause arrived`]);
    }
    if (problems.length === 0) problems.push(["out-of-order", "the notifications arrived out of state order"]);
    for (const [kind, text] of problems)
      violation(
        kind,
        `${id} of ${agent}: ${text} (expected ${expected.join(" → ")}, got ${states.join(" → ") || "nothing"}).`,
      );
  }
  return violations;
}
