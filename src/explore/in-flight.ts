// A group of operations in flight at once (issue 23), judged as QuickCheck's parallel state machines judge one: the
// answers, the interaction afterwards and the notifications must be those of at least one serial order of the group,
// by the model.
import { NotificationTimeout } from "../client/notifications.js";
import type { CheckContext, Clause } from "../suite/check.js";
import { interactionOf } from "../suite/interactions.js";
import { AGENTS, copyOf, ExploreModel, type Agent, type Tracked } from "./model.js";
import { driftClause, invite, observe, readIfHeld, userDataDrift, type StateJudgement } from "./observe.js";
import { expectedNotifications, type Expected } from "./notified.js";
import { sideBySide } from "../suite/side-by-side.js";
import { describe, judgement, marks, send, type Body, type Chosen } from "./steps.js";

/** One serial order of a group: what each member would be answered, and the interaction after each of them. */
interface Serial {
  order: number[];
  /** The first member whose answer this order cannot give (a normative prediction the answer breaks). */
  mismatch?: { clause: Clause; message: string };
  /** Decided predictions the answers break in this order: warnings if it is the order chosen. */
  decided: { clause: Clause; message: string }[];
  /** The interaction after each performed member, in this order, with that member. */
  steps: { member: number; after: Tracked }[];
  final: Tracked;
  /** How the state it leaves is judged: as its last performed member's is. */
  judge: StateJudgement;
}

/**
 * Sends `chosen` on `it` all at once and holds every channel to some serial order of them (see Race).
 */
export async function inFlight(t: CheckContext, m: ExploreModel, it: Tracked, chosen: Chosen[], bodies: Body[]) {
  const group = chosen.map((c) => describe(c, it)).join(", ");
  const since = await marks(t);
  const performed = await Promise.all(chosen.map((c, i) => send(t, c, it, bodies[i]!)));
  const serials = orders(chosen.length).map((order) => serial(m, it, order, chosen, bodies, performed));
  // Orders the answers fit without a decided prediction broken come first (a server may have chosen such an answer,
  // but an order that needs none is the likelier reading).
  const explained = serials.filter((s) => !s.mismatch).sort((a, b) => a.decided.length - b.decided.length);
  const answered = performed.map((p, i) => `${chosen[i]!.op.operationName} ${p ? "performed" : "refused"}`);
  t.note(`Step: ${group} at once: ${answered.join(", ")}.`);
  if (explained.length === 0) {
    const { clause, message } = serials[0]!.mismatch!;
    t.expect(
      clause,
      false,
      `${group} at once were answered ${answered.join(", ")}: no serial order gives that (${message}).`,
    );
  }
  const fits = await fitting(t, it, explained, group);
  const sets = fits.map((f) =>
    f.steps.flatMap(({ member, after }) => expectedNotifications(chosen[member]!.op, chosen[member]!.actor, after)),
  );
  const serialised = fits[await observeSomeNotifications(t, it, sets, since, group)]!;
  t.note(
    `Step: the model: as in the serial order ${serialised.order.map((i) => i + 1).join(", ")} (of ${serials.length} orders, ${explained.length} give these answers, ${fits.length} this state).`,
  );
  for (const w of serialised.decided) t.expect(w.clause, false, w.message);
  Object.assign(it, serialised.final);
  await observe(t, m, it, serialised.judge, { lists: AGENTS, uris: true });
}

/** Every order of 0..n-1. */
function orders(n: number): number[][] {
  if (n <= 1) return [[...Array(n).keys()]];
  return orders(n - 1).flatMap((o) =>
    [...Array(n).keys()].reverse().map((at) => [...o.slice(0, at), n - 1, ...o.slice(at)]),
  );
}

/** What the model says `order` gives, held against the answers each member got (`performed`). */
function serial(
  m: ExploreModel,
  start: Tracked,
  order: number[],
  chosen: Chosen[],
  bodies: Body[],
  performed: boolean[],
): Serial {
  const it = copyOf(start);
  const result: Serial = { order, decided: [], steps: [], final: it, judge: { clause: "FACT-STATES" } };
  for (const member of order) {
    const { op, actor } = chosen[member]!;
    const predicted = m.predict(op, actor, it);
    if (predicted.performs !== undefined && predicted.performs !== performed[member]) {
      const message = `after ${
        order
          .slice(0, order.indexOf(member))
          .map((i) => chosen[i]!.op.operationName)
          .join(", ") || "nothing"
      }, ${describe(chosen[member]!, it)} must be ${predicted.performs ? "performed" : "refused"}`;
      if (ExploreModel.normative(predicted.clause))
        return { ...result, mismatch: { clause: predicted.clause, message } };
      result.decided.push({ clause: predicted.clause, message: `${message}, but was not.` });
    }
    if (!performed[member]) continue;
    const from = it.state;
    m.apply(op, actor, it, bodies[member]!);
    // What the catalog does not list as valid has no stated state or notifications (see operate).
    result.judge = judgement(op, from, predicted, true);
    if (predicted.performs) result.steps.push({ member, after: copyOf(it) });
  }
  return result;
}

/**
 * The serial orders whose interaction reads as the target shows it (GET as the holder each order leaves); when none
 * does, the group did not act as any serial order would, which fails (or warns, for a decided state).
 */
async function fitting(t: CheckContext, it: Tracked, explained: Serial[], group: string): Promise<Serial[]> {
  const seen = new Map<Agent, { state?: string; userData?: Record<string, unknown> } | undefined>();
  const holders = [...new Set(explained.flatMap((s) => (s.final.holder ? [s.final.holder] : [])))];
  const read = await sideBySide(holders.map((holder) => readIfHeld(t, it.id, holder)));
  holders.forEach((holder, i) => seen.set(holder, read[i]));
  const mismatch = (s: Serial): { clause: Clause; message: string } | undefined => {
    if (!s.final.holder) return undefined;
    const got = seen.get(s.final.holder);
    if (!got) return { clause: "FACT-SINGULAR", message: `GET as ${s.final.holder} finds no interaction` };
    if (!s.judge.learn && ExploreModel.normative(s.judge.clause) && got.state !== s.final.state)
      return { clause: s.judge.clause, message: `it is in ${got.state}, not ${s.final.state}` };
    const drift = userDataDrift(s.final, got.userData);
    if (drift.length > 0) return { clause: driftClause(s.final), message: `its userData ${drift.join("; ")}` };
    return undefined;
  };
  const fits = explained.filter((s) => !mismatch(s));
  if (fits.length > 0) return fits;
  const first = explained[0]!;
  const { clause, message } = mismatch(first)!;
  t.expect(
    clause,
    false,
    `After ${group} at once, read as ${first.final.holder}: ${message} — no serial order of the group leaves it so.`,
  );
  return [first];
}

/**
 * Waits until the notifications since `since` hold every expectation of at least one of `sets` (one set per serial
 * order of a group in flight on `it`; as in the serial waits, one notification may hold several of a set's
 * expectations). An agent's wait ends when its side of some set holds, or when as many notifications about `it` as
 * a set expects have come without one holding; then a fence (an invitation to that agent, which comes after them)
 * proves nothing else is on its way. Returns the index of the set that holds, or breaks the first set's first unmet
 * expectation.
 */
async function observeSomeNotifications(
  t: CheckContext,
  it: Tracked,
  sets: Expected[][],
  since: Record<Agent, number>,
  group: string,
): Promise<number> {
  const clients = { agent: await t.notifications("agent"), agent2: await t.notifications("agent2") };
  const seen = (a: Agent) => clients[a].receivedSince(since[a]);
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
