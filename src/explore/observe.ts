// After each step the explorer looks at every channel and holds it to the model, at each expectation's level: the
// HTTP answer, GET /interactions/{id} as the holder and the agents' lists the step can change (what each agent is
// told: notified.ts). userData the target accepted reads back unchanged everywhere (FACT-USERDATA).
import { isDeepStrictEqual } from "node:util";
import type { CheckContext, Clause } from "../suite/check.js";
import { interactionOf, type InteractionSeen } from "../suite/interactions.js";
import { AGENTS, DELETED, Either, ExploreModel, type Agent, type Tracked } from "./model.js";
import { sideBySide } from "../suite/side-by-side.js";

const shown = (v: unknown): string =>
  v === DELETED
    ? "(deleted)"
    : v instanceof Either
      ? `one of ${v.values.map(shown).join(", ")}`
      : String(JSON.stringify(v)?.slice(0, 120));

/** Whether `seen` has `key` (of its own: a key named like an Object method is still only data). */
const holds = (seen: Record<string, unknown> | undefined, key: string): seen is Record<string, unknown> =>
  seen !== undefined && Object.prototype.hasOwnProperty.call(seen, key);

/** Whether `seen` shows `key` as `value` (DELETED: absent; Either: as one of its values). */
function readsAs(seen: Record<string, unknown> | undefined, key: string, value: unknown): boolean {
  if (value instanceof Either) return value.values.some((v) => readsAs(seen, key, v));
  return value === DELETED ? !holds(seen, key) : holds(seen, key) && isDeepStrictEqual(seen[key], value);
}

/** The keys whose value `seen` does not show as the sequence wrote it; [] when it reads back unchanged. */
export function userDataDrift(it: Tracked, seen: Record<string, unknown> | undefined): string[] {
  const drift: string[] = [];
  for (const [key, value] of it.written) {
    if (readsAs(seen, key, value)) continue;
    drift.push(
      `${JSON.stringify(key)}: wrote ${shown(value)}, reads ${holds(seen, key) ? shown(seen[key]) : "(absent)"}`,
    );
  }
  return drift;
}

/** Where the register left a key open, the value the target chose (read as its holder): it is held to it after. */
function learnUserData(it: Tracked, seen: Record<string, unknown> | undefined) {
  for (const [key, value] of it.written)
    if (value instanceof Either) it.written.set(key, holds(seen, key) ? seen[key] : DELETED);
}

/** The clause a key's drift breaks: a deleted key still there is Delete's, any other Attach's and Update's. */
export const driftClause = (it: Tracked): Clause =>
  [...it.written.values()].some((v) => v === DELETED) ? "FACT-DELETE-KEYS" : "FACT-USERDATA";

export function expectUserData(t: CheckContext, it: Tracked, seen: Record<string, unknown> | undefined, where: string) {
  const drift = userDataDrift(it, seen);
  t.expect(driftClause(it), drift.length === 0, () => `${where}, the userData of ${it.id} ${drift.join("; ")}.`);
}

export type Seen = InteractionSeen & { userData?: Record<string, unknown> };

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

/**
 * How the state after a step is judged: as the model has it, at `clause`'s level; or, with `learn`, where the target
 * chooses it (a register's accepted answers, or an operation performed where the catalog does not list it as
 * valid), the same as the first time the question came up.
 */
export interface StateJudgement {
  clause: Clause;
  learn?: string;
}

/** What a step is observed through besides GET /interactions/{id} as the holder. */
export interface Channels {
  /**
   * Whose fields=* lists: the holder's after a step it performed; both agents' after the holder changed (another
   * agent's list changes only then: the end of each sequence reads both for every interaction, see observeLists).
   */
  lists?: readonly Agent[];
  /** Their URI lists as well (after the holder changed: REQ-ME-URIS-1). */
  uris?: boolean;
  /** The wait for the notifications the step causes (observeNotifications), which judges them as they come. */
  notified?: Promise<void>;
}

/** One agent's lists: its fields=* interactions, and with `uris` what its GET /me/interactions lists. */
interface Lists {
  items: Seen[];
  uris?: unknown;
}

async function listsOf(t: CheckContext, agent: Agent, uris: boolean): Promise<Lists> {
  const [full, plain] = await sideBySide([
    t.get("/api/v2/me/interactions?fields=*", agent),
    uris ? t.get("/api/v2/me/interactions", agent) : undefined,
  ] as const);
  const items = (full.body as { interactions?: unknown[] } | undefined)?.interactions ?? [];
  return {
    items: items.map((i) => (interactionOf(i) ?? i) as Seen),
    ...(plain ? { uris: (plain.body as { uris?: unknown } | undefined)?.uris } : {}),
  };
}

/**
 * Observes `it` after a step: GET /interactions/{id} as its holder and the `channels` asked for, read side by side
 * (each after the step's answer; reading one changes none of the others), then judged in turn: the notifications
 * as they come, the state as `judge` says and the userData, then the lists against the state so judged.
 */
export async function observe(
  t: CheckContext,
  m: ExploreModel,
  it: Tracked,
  judge: StateJudgement,
  channels: Channels = {},
) {
  const holder = it.holder;
  const agents = channels.lists ?? [];
  const [, seen, lists] = await sideBySide([
    channels.notified,
    holder ? readIfHeld(t, it.id, holder) : undefined,
    sideBySide(agents.map((a) => listsOf(t, a, channels.uris ?? false))),
  ] as const);
  if (holder) {
    if (!seen) t.fail("FACT-SINGULAR", `GET /interactions/${it.id} as its holder ${holder} finds no interaction.`);
    judgeResource(t, m, it, judge, seen);
  }
  agents.forEach((agent, i) => judgeLists(t, it, agent, lists[i]!));
}

/** Both agents' lists, fields=* and URIs, each held to the model for every interaction of the sequence. */
export async function observeLists(t: CheckContext, m: ExploreModel) {
  const lists = await sideBySide(AGENTS.map((a) => listsOf(t, a, true)));
  for (const it of m.interactions) AGENTS.forEach((agent, i) => judgeLists(t, it, agent, lists[i]!));
}

/** The interaction as its holder reads it: in the state `judge` says, with the userData the sequence wrote. */
function judgeResource(t: CheckContext, m: ExploreModel, it: Tracked, judge: StateJudgement, seen: Seen) {
  const { clause, learn } = judge;
  if (learn === undefined)
    t.expect(clause, seen.state === it.state, () => `GET /interactions/${it.id} says ${seen.state}, not ${it.state}.`);
  else if (m.consistent(learn, seen.state) === false)
    t.expect(
      clause,
      false,
      `${it.id} is in ${seen.state} ${learn}, where an earlier one was in ${String(m.learned.get(learn))}.`,
    );
  it.state = seen.state as Tracked["state"];
  expectUserData(t, it, seen.userData, `GET /interactions/${it.id} as ${it.holder}`);
  learnUserData(it, seen.userData);
}

/**
 * `agent`'s lists: its holder lists `it` as the model has it; an agent that let it go no longer does, nor one that
 * never held it.
 */
function judgeLists(t: CheckContext, it: Tracked, agent: Agent, lists: Lists) {
  if (lists.uris !== undefined) judgeUris(t, it, agent, lists.uris);
  const listed = lists.items.find((i) => i?.id === it.id);
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

/** `agent`'s GET /me/interactions: its URI is listed while `agent` holds it, and only then (AMB-URI-LIST: `uris`). */
function judgeUris(t: CheckContext, it: Tracked, agent: Agent, uris: unknown) {
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
