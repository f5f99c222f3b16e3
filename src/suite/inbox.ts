// What the agents' notification clients receive, as a check sees it: its position in each stream, waits that end
// on the event or the deadline, absences proven against a fence, and at the end the check's own messages kept as
// evidence and each accepted operation's latency to its first notification.
import type { NotificationVariant } from "../generated/schema-types.js";
import {
  NotificationTimeout,
  UnexpectedNotification,
  type NotificationClient,
  type ReceivedNotification,
} from "../client/notifications.js";
import type { AccountRole } from "../runner/config.js";
import { agentNotifications, connectedAgents } from "./agents.js";
import { CantTell, type Clause, type Normative } from "./clause.js";
import type { Evidence } from "./evidence.js";
import type { Expectations } from "./expect.js";
import { interactionOf, type InteractionSeen } from "./interactions.js";
import type { TargetConfig } from "./run-context.js";
import type { Operated } from "./session.js";

type Matcher = (i: InteractionSeen, n: ReceivedNotification) => boolean;

const MAX_NOTIFICATION_EVIDENCE = 100;

/** Each message's data as JSON, written once: every check that ends while it is kept searches it for its ids. */
const texts = new WeakMap<ReceivedNotification, string>();
function textOf(m: ReceivedNotification): string {
  let text = texts.get(m);
  if (text === undefined) texts.set(m, (text = JSON.stringify(m.data) ?? ""));
  return text;
}

export interface InboxDeps {
  config: TargetConfig;
  evidence: Evidence;
  expectations: Expectations;
  /** performance.now() of the check's start, for the messages' relative times. */
  started: number;
  /** Whether what each agent received about the check's interactions is kept as evidence when it ends. */
  record: boolean;
  note(text: string): void;
  expectVariant(variant: NotificationVariant, data: unknown, what: string, clause: Clause): boolean;
}

export class Inbox {
  private readonly cursors = new Map<AccountRole, number>();

  constructor(private readonly deps: InboxDeps) {}

  async start(): Promise<void> {
    for (const [role, client] of await connectedAgents()) this.cursors.set(role, client.cursor());
  }

  /** The position in `role`'s notification stream now: waits with `since` only see what arrives after it. */
  async mark(role: AccountRole = "agent"): Promise<number> {
    return (await this.notifications(role)).cursor();
  }

  async notifications(role: AccountRole): Promise<NotificationClient> {
    try {
      return await agentNotifications(role);
    } catch (e) {
      throw new CantTell(`The ${role} account could not subscribe to notifications: ${(e as Error).message}`);
    }
  }

  /**
   * Waits for `role`'s first notification (seq >= since) that `match`es. Not arriving breaks `clause`: a
   * failure, or for a decided clause a warning and undefined.
   */
  async waitFor(
    role: AccountRole,
    match: (n: ReceivedNotification) => boolean,
    opts: { since: number; clause: Clause; description: string; within?: number },
  ): Promise<ReceivedNotification | undefined> {
    const client = await this.notifications(role);
    try {
      const within = opts.within ?? this.deps.config.timeouts.notificationMs;
      return await client.waitFor(match, { since: opts.since, within, description: opts.description });
    } catch (e) {
      if (!(e instanceof NotificationTimeout)) throw e;
      this.deps.expectations.expect(opts.clause, false, e.message);
      return undefined;
    }
  }

  /** waitFor() for a clause that is normative: it returns the notification or fails. */
  async mustReceive(
    role: AccountRole,
    match: (n: ReceivedNotification) => boolean,
    opts: { since: number; clause: Normative; description: string; within?: number },
  ): Promise<ReceivedNotification> {
    return (await this.waitFor(role, match, opts))!;
  }

  /**
   * Waits for `role`'s first notification (after `since`) about interaction `id` that satisfies `match`, and
   * checks it against the profile's schemas for `variant` (`variantClause`, default `clause`).
   */
  async expectNotification(
    role: AccountRole,
    id: string,
    opts: {
      since: number;
      clause: Normative;
      variant?: NotificationVariant;
      variantClause?: Clause;
      match?: Matcher;
      description: string;
      within?: number;
    },
  ): Promise<{ interaction: InteractionSeen; notification: ReceivedNotification }> {
    const about = (m: ReceivedNotification) => {
      const i = interactionOf(m.data);
      return i?.id === id && (opts.match?.(i, m) ?? true);
    };
    const n = await this.mustReceive(role, about, { ...opts, description: `${opts.description} (interaction ${id})` });
    if (opts.variant) {
      this.deps.expectVariant(opts.variant, n.data, `the ${opts.description}`, opts.variantClause ?? opts.clause);
    }
    return { interaction: interactionOf(n.data)!, notification: n };
  }

  /**
   * Proves `role` received no `match` message before the `fence` one (an event the check caused after
   * everything it judges). A match breaks `clause`; a fence that never comes means the hook broke: can't tell.
   */
  async expectNoneBefore(
    role: AccountRole,
    match: (n: ReceivedNotification) => boolean,
    fence: (n: ReceivedNotification) => boolean,
    opts: { since: number; clause: Clause; description: string },
  ): Promise<void> {
    const client = await this.notifications(role);
    const within = this.deps.config.timeouts.notificationMs;
    try {
      await client.expectNothingBefore(match, fence, { since: opts.since, within, description: opts.description });
      this.deps.expectations.expect(opts.clause, true, "");
    } catch (e) {
      if (e instanceof UnexpectedNotification) this.deps.expectations.expect(opts.clause, false, e.message);
      else if (e instanceof NotificationTimeout)
        throw new CantTell(`The fence invitation never reached ${role}, so no absence can be proven: ${e.message}`);
      else throw e;
    }
  }

  /**
   * At the check's end: keeps as evidence what each agent received about the check's own interactions (`ours`),
   * and returns, per accepted operation, ms from sending it to the first notification about its interaction.
   */
  async finish(ours: string[], operated: Operated[]): Promise<{ operation: string; ms: number }[]> {
    const agents = await connectedAgents();
    if (this.deps.record) this.keep(agents, ours);
    // What came before the check started cannot be about its operations.
    return latencies(
      agents.map(([role, client]) => client.receivedSince(this.cursors.get(role) ?? 0)),
      operated,
    );
  }

  /** Keeps, as evidence, what each agent received during the check about the check's own interactions. */
  private keep(agents: [AccountRole, NotificationClient][], ours: string[]): void {
    for (const [role, client] of agents) {
      const since = this.cursors.get(role) ?? 0;
      // Only messages about this check's own interactions: checks run concurrently.
      const mine = (m: ReceivedNotification) => {
        const text = textOf(m);
        return ours.some((id) => text.includes(id));
      };
      const got = ours.length === 0 ? [] : client.receivedSince(since).filter(mine);
      // Bounded, so a server that floods notifications cannot bloat the results.
      for (const n of got.slice(0, MAX_NOTIFICATION_EVIDENCE)) {
        const at = Math.round(n.receivedAt - this.deps.started);
        this.deps.evidence.notifications.push({ agent: role, channel: n.channel, data: n.data, at });
      }
      if (got.length > MAX_NOTIFICATION_EVIDENCE) {
        const kept = MAX_NOTIFICATION_EVIDENCE;
        this.deps.note(
          `${role} received ${got.length} messages during this check; the first ${kept} are kept as evidence.`,
        );
      }
    }
  }
}

/** Per accepted operation, ms from sending it to the first notification about its interaction, any agent. */
function latencies(agents: ReceivedNotification[][], operated: Operated[]): { operation: string; ms: number }[] {
  const samples: { operation: string; ms: number }[] = [];
  for (const op of operated) {
    const first = agents
      .map((received) => received.find((n) => n.receivedAt > op.at && interactionOf(n.data)?.id === op.id)?.receivedAt)
      .filter((at): at is number => at !== undefined);
    if (first.length) samples.push({ operation: op.operation, ms: Math.round((Math.min(...first) - op.at) * 10) / 10 });
  }
  return samples;
}
