// After each step the explorer looks at every channel and holds it to the model, at each expectation's level: the
// HTTP answer, GET /interactions/{id} as the holder, both agents' fields=* lists, and the notifications the catalog
// says the step causes. userData the target accepted reads back unchanged everywhere (FACT-USERDATA).
import { isDeepStrictEqual } from "node:util";
import type { Operation } from "../generated/schema-types.js";
import type { CheckContext, Clause } from "../suite/check.js";
import { interactionOf, type InteractionSeen } from "../suite/interactions.js";
import { AGENTS, copyOf, DELETED, EITHER, ExploreModel, other, type Agent, type Tracked } from "./model.js";
import { NotificationTimeout, type ReceivedNotification } from "../client/notifications.js";

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
export const driftClause = (it: Tracked): Clause =>
  [...it.written.values()].some((v) => v === DELETED) ? "FACT-DELETE-KEYS" : "FACT-USERDATA";

function expectUserData(t: CheckContext, it: Tracked, seen: Record<string, unknown> | undefined, where: string) {
  const drift = userDataDrift(it, seen);
  t.expect(driftClause(it), drift.length === 0, () => `${where}, the userData of ${it.id} ${drift.join("; ")}.`);
}

type Seen = InteractionSeen & { userData?: Record<string, unknown> };

/**
 * Has the hook offer a new interaction to `agent` and awaits its invitation (FACT-NOTIFICATION-852) from `since`:
 * a step of a sequence, or a fence, after which nothing sent before it is still on its way. Returns its id.
 */
export async function invite(t: CheckContext, agent: Agent, since: number, what: string): Promise<string> {
  const id = await t.provision(agent);
  await t.mustReceive(agent, (n) => interactionOf(n.data)?.id === id, {
    since,
    clause: "FACT-NOTIFICATION-852",
    description: `${agent}'s ${what} of ${id}`,
  });
  return id;
}

/** GET /interactions/{id} as `agent`: the interaction, or undefined when the answer has none. */
export async function readIfHeld(t: CheckContext, id: string, agent: Agent): Promise<Seen | undefined> {
  const answer = await t.get(`/api/v2/interactions/${encodeURIComponent(id)}`, agent);
  return (answer.body as { interaction?: Seen } | undefined)?.interaction;
}

/** GET /interactions/{id} as `agent`, which holds it: the interaction (no answer to it breaks FACT-SINGULAR). */
export async function read(t: CheckContext, id: string, agent: Agent): Promise<Seen> {
  const seen = await readIfHeld(t, id, agent);
  if (!seen) t.fail("FACT-SINGULAR", `GET /interactions/${id} as its holder ${agent} finds no interaction.`);
  return seen;
}

/**
 * How the state after a step is judged: as the model has it, at `clause`'s level; or, with `learn`, where the target
 * chooses it (a register's accepted answers, or an operation performed where the catalog does not list it as
 * valid), the same as the first time the question came up.
 */
export interface StateJudgement {
  clause: Clause;
  learn?: string;
}

/** GET /interactions/{id} as its holder: its state is judged as `judge` says, and its userData reads back unchanged. */
export async function observeResource(t: CheckContext, model: ExploreModel, it: Tracked, judge: StateJudgement) {
  if (!it.holder) return;
  const seen = await read(t, it.id, it.holder);
  const { clause, learn } = judge;
  if (learn === undefined)
    t.expect(clause, seen.state === it.state, () => `GET /interactions/${it.id} says ${seen.state}, not ${it.state}.`);
  else if (model.consistent(learn, seen.state) === false)
    t.expect(
      clause,
      false,
      `${it.id} is in ${seen.state} ${learn}, where an earlier one was in ${String(model.learned.get(learn))}.`,
    );
  it.state = seen.state as Tracked["state"];
  expectUserData(t, it, seen.userData, `GET /interactions/${it.id} as ${it.holder}`);
}

/**
 * Both agents' fields=* lists: the holder lists it as the model has it; an agent that let it go no longer does.
 * With `uris` (after its holder changed), both agents' URI lists too (REQ-ME-URIS-1).
 */
export async function observeLists(t: CheckContext, it: Tracked, uris = false) {
  for (const agent of AGENTS) {
    if (uris) await observeUris(t, it, agent);
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

/** `agent`'s GET /me/interactions: its URI is listed while `agent` holds it, and only then (AMB-URI-LIST: `uris`). */
async function observeUris(t: CheckContext, it: Tracked, agent: Agent) {
  const answer = await t.get("/api/v2/me/interactions", agent);
  const uris = (answer.body as { uris?: unknown } | undefined)?.uris;
  if (!Array.isArray(uris)) return; // the list's shape is the lists family's to judge
  const listed = uris.some((u) => typeof u === "string" && u.endsWith(`/interactions/${it.id}`));
  // As in the fields=* list: the holder lists it, one that let it go by `left` no longer does (at that clause's
  // level: AMB-WORKBIN-OPS lets it stay listed), one that never held it never did.
  if (agent === it.holder)
    t.expect("REQ-ME-URIS-1", listed, `${agent}'s GET /me/interactions does not list ${it.id}, which ${agent} holds.`);
  else if (it.heldBy.has(agent) && it.left)
    t.expect(it.left, !listed, `${agent}'s GET /me/interactions still lists ${it.id} after ${agent} let it go.`);
  else if (!it.heldBy.has(agent))
    t.expect("REQ-ME-URIS-1", !listed, `${agent}'s GET /me/interactions lists ${it.id}, which ${agent} never held.`);
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
 * Waits until the notifications since `since` hold every expectation of at least one of `sets` (one set per serial
 * order of a group in flight on `it`; as in the serial waits, one notification may hold several of a set's
 * expectations). An agent's wait ends when its side of some set holds, or when as many notifications about `it` as
 * a set expects have come without one holding; then a fence (an invitation to that agent, which comes after them)
 * proves nothing else is on its way. Returns the index of the set that holds, or breaks the first set's first unmet
 * expectation.
 */
export async function observeSomeNotifications(
  t: CheckContext,
  it: Tracked,
  sets: Expected[][],
  since: Record<Agent, number>,
  group: string,
): Promise<number> {
  const clients = { agent: await t.notifications("agent"), agent2: await t.notifications("agent2") };
  const seen = (a: Agent) => clients[a].received.filter((r) => r.seq >= since[a]);
  const holdsFor = (set: Expected[], a: Agent) => set.every((e) => e.to !== a || seen(a).some(e.match));
  const found = () => sets.findIndex((set) => AGENTS.every((a) => holdsFor(set, a)));
  const fenced = new Set<Agent>();
  const fence = async (agent: Agent) => {
    fenced.add(agent);
    await invite(t, agent, since[agent], "fence invitation");
  };
  for (const agent of AGENTS) {
    const expected = Math.max(...sets.map((set) => set.filter((e) => e.to === agent).length));
    const side = () => sets.some((set) => holdsFor(set, agent));
    const about = () => seen(agent).filter((n) => interactionOf(n.data)?.id === it.id).length;
    if (expected === 0 || side()) continue;
    try {
      await clients[agent].waitFor(() => side() || about() >= expected, {
        since: since[agent],
        within: t.config.timeouts.notificationMs,
      });
    } catch (e) {
      if (!(e instanceof NotificationTimeout)) throw e;
    }
    if (!side()) await fence(agent);
  }
  // Each side held for a different order: whatever was still on its way has come after a fence on both sides.
  if (found() < 0) for (const agent of AGENTS) if (!fenced.has(agent)) await fence(agent);
  const index = found();
  if (index >= 0) return index;
  const unmet = sets[0]!.find((e) => !seen(e.to).some(e.match))!;
  t.expect(
    unmet.clause,
    false,
    `After ${group} at once, the notifications fit no serial order of the group: in the first, ${unmet.description} never came.`,
  );
  return 0;
}

/**
 * After a fence (an invitation to each agent, sent after the sequence), no agent was told about an interaction it
 * never held (FACT-NOTIFICATIONS: each agent receives only what concerns it).
 */
export async function observeRouting(t: CheckContext, model: ExploreModel, since: Record<Agent, number>) {
  for (const agent of AGENTS) {
    await invite(t, agent, since[agent], "fence invitation");
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
