// After each step the explorer looks at every channel and holds it to the model, at each expectation's level: the
// HTTP answer, GET /interactions/{id} as the holder, both agents' fields=* lists, and the notifications the catalog
// says the step causes. userData the target accepted reads back unchanged everywhere (FACT-USERDATA).
import { isDeepStrictEqual } from "node:util";
import type { Operation } from "../generated/schema-types.js";
import type { CheckContext, Clause } from "../suite/check.js";
import { interactionOf, type InteractionSeen } from "../suite/interactions.js";
import { AGENTS, DELETED, EITHER, ExploreModel, other, type Agent, type Tracked } from "./model.js";

const shown = (v: unknown) => (v === DELETED ? "(deleted)" : JSON.stringify(v)?.slice(0, 120));

/** The keys whose value `seen` does not show as the sequence wrote it; [] when it reads back unchanged. */
export function userDataDrift(it: Tracked, seen: Record<string, unknown> | undefined): string[] {
  const drift: string[] = [];
  for (const [key, value] of it.written) {
    if (value === EITHER) continue;
    const has = seen !== undefined && Object.prototype.hasOwnProperty.call(seen, key);
    if (value === DELETED ? has : !has || !isDeepStrictEqual(seen[key], value))
      drift.push(`${JSON.stringify(key)}: wrote ${shown(value)}, reads ${has ? shown(seen![key]) : "(absent)"}`);
  }
  return drift;
}

/** The clause a key's drift breaks: a deleted key still there is Delete's, any other Attach's and Update's. */
const driftClause = (it: Tracked): Clause =>
  [...it.written.values()].some((v) => v === DELETED) ? "FACT-DELETE-KEYS" : "FACT-USERDATA";

function expectUserData(t: CheckContext, it: Tracked, seen: Record<string, unknown> | undefined, where: string) {
  const drift = userDataDrift(it, seen);
  t.expect(driftClause(it), drift.length === 0, () => `${where}, the userData of ${it.id} ${drift.join("; ")}.`);
}

/** GET /interactions/{id} as its holder: its state is the model's, and its userData reads back unchanged. */
export async function observeResource(t: CheckContext, model: ExploreModel, it: Tracked, stateClause: Clause) {
  if (!it.holder) return;
  const answer = await t.get(`/api/v2/interactions/${encodeURIComponent(it.id)}`, it.holder);
  const seen = (answer.body as { interaction?: InteractionSeen & { userData?: Record<string, unknown> } })?.interaction;
  if (!seen)
    t.fail("FACT-SINGULAR", `GET /interactions/${it.id} as its holder ${it.holder} answered HTTP ${answer.status}.`);
  if (ExploreModel.normative(stateClause))
    t.expect(stateClause, seen.state === it.state, `GET /interactions/${it.id} says ${seen.state}, not ${it.state}.`);
  else if (model.consistent(`state after ${stateClause}`, seen.state) === false)
    t.expect(
      stateClause,
      false,
      `${it.id} is in ${seen.state}, where an earlier one was in ${String(model.learned.get(`state after ${stateClause}`))}.`,
    );
  it.state = seen.state as Tracked["state"];
  expectUserData(t, it, seen.userData, `GET /interactions/${it.id} as ${it.holder}`);
}

/** Both agents' fields=* lists: the holder lists it as the model has it; an agent that let it go no longer does. */
export async function observeLists(t: CheckContext, it: Tracked) {
  for (const agent of AGENTS) {
    const answer = await t.get("/api/v2/me/interactions?fields=*", agent);
    const items = (answer.body as { interactions?: unknown[] } | undefined)?.interactions ?? [];
    const listed = items.map((i) => interactionOf(i) ?? (i as InteractionSeen)).find((i) => i?.id === it.id);
    if (agent === it.holder) {
      if (!listed) t.fail("REQ-ME-FULL-1", `${agent}'s fields=* list has no ${it.id}, which ${agent} holds.`);
      t.expect(
        "REQ-ME-FULL-2",
        listed.state === it.state,
        `${agent}'s list has ${it.id} in ${listed.state}, not ${it.state}.`,
      );
      expectUserData(t, it, listed.userData, `In ${agent}'s fields=* list`);
    } else if (it.heldBy.has(agent) && it.left) {
      t.expect(it.left, !listed, `${it.id} is still on ${agent}'s fields=* list after ${agent} let it go.`);
    } else if (!it.heldBy.has(agent)) {
      t.expect("REQ-ME-FULL-1", !listed, `${agent}'s fields=* list has ${it.id}, which ${agent} never held.`);
    }
  }
}

/** The notifications the catalog says a performed `op` causes, each with what it must say, awaited from `since`. */
export async function observeNotifications(
  t: CheckContext,
  op: Operation,
  actor: Agent,
  it: Tracked,
  since: Record<Agent, number>,
) {
  for (const n of op.notifications) {
    if (n.variant === "created" || n.variant === "workbin-content") continue; // not the interaction itself
    const to: Agent = n.to === "actor" ? actor : other(actor);
    const got = await t.waitFor(
      to,
      (m) => {
        const seen = interactionOf(m.data);
        if (seen?.id !== it.id) return false;
        if (n.variant === "userdata-change")
          return seen.userData !== undefined && userDataDrift(it, seen.userData).length === 0;
        return n.state === undefined || n.formClause !== undefined || seen.state === n.state;
      },
      {
        since: since[to],
        clause: n.clause as Clause,
        description: `${to}'s ${n.variant} notification about ${it.id} after ${op.operationName}`,
      },
    );
    if (got && n.variant === "userdata-change")
      expectUserData(t, it, interactionOf(got.data)?.userData, `In ${to}'s notification`);
  }
}

/**
 * After a fence (an invitation to each agent, sent after the sequence), no agent was told about an interaction it
 * never held (FACT-NOTIFICATIONS: each agent receives only what concerns it).
 */
export async function observeRouting(t: CheckContext, model: ExploreModel, since: Record<Agent, number>) {
  for (const agent of AGENTS) {
    const fence = await t.provision(agent);
    await t.mustReceive(agent, (n) => interactionOf(n.data)?.id === fence, {
      since: since[agent],
      clause: "FACT-NOTIFICATION-852",
      description: `${agent}'s fence invitation`,
    });
    const client = await t.notifications(agent);
    for (const n of client.received.filter((r) => r.seq >= since[agent])) {
      const about = model.interactions.find((i) => i.id === interactionOf(n.data)?.id);
      t.expect(
        "FACT-NOTIFICATIONS",
        !about || about.heldBy.has(agent),
        () => `${agent} was notified about ${about!.id}, which it never held: ${JSON.stringify(n.data).slice(0, 200)}.`,
      );
    }
  }
}
