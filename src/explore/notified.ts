// What each agent is told after a step, held to the model: the notifications the catalog says the step causes,
// each with what it must say; a workbin's content after GetWorkbinContent; and after each sequence, that no agent
// was told of an interaction it never held.
import type { Operation } from "../generated/schema-types.js";
import type { ReceivedNotification } from "../client/notifications.js";
import type { CheckContext, Clause } from "../suite/check.js";
import { interactionOf, workbinContentOf } from "../suite/interactions.js";
import { sideBySide } from "../suite/side-by-side.js";
import { AGENTS, copyOf, ExploreModel, other, type Agent, type Tracked } from "./model.js";
import { expectUserData, invite, userDataDrift, type Seen } from "./observe.js";

/** A notification the catalog says a step causes: to whom, what it must say, and the clause its absence breaks. */
export interface Expected {
  to: Agent;
  match: (m: ReceivedNotification) => boolean;
  clause: Clause;
  description: string;
}

/** The notifications a performed `op` causes, each with what it must say about `it` as the step left it. */
export function expectedNotifications(op: Operation, actor: Agent, it: Tracked): Expected[] {
  // A snapshot: `it` goes on changing after this step.
  const after = copyOf(it);
  return op.notifications
    .filter((n) => n.variant !== "created" && n.variant !== "workbin-content") // not about the interaction itself
    .map((n) => {
      const to: Agent = n.to === "actor" ? actor : other(actor);
      return {
        to,
        clause: n.clause as Clause,
        description: `${to}'s ${n.variant} notification about ${after.id} after ${op.operationName}`,
        match: (m: ReceivedNotification) => {
          const seen = interactionOf(m.data);
          if (seen?.id !== after.id) return false;
          if (n.variant === "userdata-change")
            return seen.userData !== undefined && userDataDrift(after, seen.userData).length === 0;
          return n.state === undefined || n.formClause !== undefined || seen.state === n.state;
        },
      };
    });
}

/** The notifications the catalog says a performed `op` causes, each with what it must say, awaited from `since`. */
export async function observeNotifications(
  t: CheckContext,
  op: Operation,
  actor: Agent,
  it: Tracked,
  since: Record<Agent, number>,
) {
  for (const e of expectedNotifications(op, actor, it))
    await t.waitFor(e.to, e.match, { since: since[e.to], clause: e.clause, description: e.description });
}

/**
 * After a GetWorkbinContent `actor` performed: the workbin's content comes to it (REQ-GETWORKBINCONTENT-2) and lists
 * every interaction `actor` placed in that workbin in the sequence, each in the state it is in where an item says one
 * (REQ-GETWORKBINCONTENT-5) and with the userData the sequence wrote (FACT-USERDATA). The workbin is every running
 * check's, so only the sequence's own interactions in it are judged.
 */
export async function observeWorkbinContent(
  t: CheckContext,
  m: ExploreModel,
  op: Operation,
  actor: Agent,
  workbin: unknown,
  since: Record<Agent, number>,
) {
  if (!op.notifications.some((n) => n.variant === "workbin-content")) return;
  const parked = m.parked(actor).filter((i) => i.parked!.workbin === workbin);
  const content = await t.waitFor(
    actor,
    (n) => {
      const c = workbinContentOf(n.data);
      return (
        c !== undefined &&
        (c.workbin === undefined || c.workbin === workbin) &&
        parked.every((p) => c.interactions.some((i) => i.id === p.id))
      );
    },
    {
      since: since[actor],
      clause: "REQ-GETWORKBINCONTENT-2",
      description: `${actor}'s content of workbin ${String(workbin)}${parked.length ? `, listing ${parked.map((p) => p.id).join(" and ")},` : ""} after ${op.operationName}`,
    },
  );
  const items = (content ? workbinContentOf(content.data)!.interactions : []) as Seen[];
  for (const p of parked) {
    const item = items.find((i) => i.id === p.id)!;
    t.expect(
      "REQ-GETWORKBINCONTENT-5",
      item.state === undefined || item.state === p.state,
      () => `Workbin ${String(workbin)}'s content lists ${p.id} in ${item.state}, not ${p.state}.`,
    );
    if (item.userData !== undefined) expectUserData(t, p, item.userData, `In workbin ${String(workbin)}'s content`);
  }
}

/**
 * After a fence (an invitation to each agent, sent after the sequence), no agent was told about an interaction it
 * never held (FACT-NOTIFICATIONS: each agent receives only what concerns it).
 */
export async function observeRouting(t: CheckContext, model: ExploreModel, since: Record<Agent, number>) {
  await sideBySide(AGENTS.map((agent) => invite(t, agent, since[agent], "fence invitation")));
  for (const agent of AGENTS) {
    const client = await t.notifications(agent);
    for (const n of client.receivedSince(since[agent])) {
      const about = model.interactions.find((i) => i.id === interactionOf(n.data)?.id);
      t.expect(
        "FACT-NOTIFICATIONS",
        !about || about.heldBy.has(agent),
        () => `${agent} was notified about ${about!.id}, which it never held: ${JSON.stringify(n.data).slice(0, 200)}.`,
      );
    }
  }
}
