// The load's violations, and the judgement after the run: every interaction's messages against its lifecycle.
import type { NotificationClient, ReceivedNotification } from "../client/notifications.js";
import type { Account } from "../runner/config.js";
import { interactionOf } from "../suite/interactions.js";
import { taggedAgent } from "./agent.js";
import type { Lifecycle, Step } from "./lifecycle.js";

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

/** Every interaction's messages against the lifecycle: exactly once each, in state order, to its agent only. */
export function judge(
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
  const violations: LoadViolation[] = [...foreign(owner, accounts, clients, started)];
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

/**
 * Messages about interactions the judge did not see offered (another process's or virtual user's, or a fence)
 * whose load tag names another agent: misrouted, one violation per interaction and receiving agent. A target
 * that does not carry the hook's userData onto the interaction shows no tag, and nothing is claimed.
 */
function foreign(
  owner: Map<string, string>,
  accounts: Account[],
  clients: NotificationClient[],
  started: number,
): LoadViolation[] {
  const found = new Map<string, LoadViolation>();
  clients.forEach((client, i) => {
    const receiver = accounts[i]!.username;
    for (const n of client.received) {
      const interaction = interactionOf(n.data);
      if (!interaction || owner.has(interaction.id)) continue;
      const agent = taggedAgent(interaction.userData?.ConformanceLoad);
      if (agent === undefined || agent === receiver) continue;
      const key = `${interaction.id} ${receiver}`;
      const violation = found.get(key) ?? {
        kind: "misrouted" as const,
        agent,
        interaction: interaction.id,
        message: `A message about ${agent}'s ${interaction.id} reached ${receiver}.`,
        received: [],
      };
      violation.received!.push({
        at: Math.round(n.receivedAt - started),
        agent: receiver,
        state: interaction.state,
        notificationType: interaction.notificationType,
      });
      found.set(key, violation);
    }
  });
  return [...found.values()];
}
