// The explorer's commands (fast-check's model-based testing): provisioning an interaction for either agent, and
// every catalog operation the target offers, by either agent, on any interaction the sequence made, valid or not.
// Each command predicts from the model, acts, observes every channel and holds it to the prediction.
import fc from "fast-check";
import type { Operation } from "../generated/schema-types.js";
import { Op } from "../generated/vocabulary.js";
import type { CheckContext, Clause } from "../suite/check.js";
import { offered } from "../suite/expectations.js";
import { requestBody } from "../model/requests.js";
import { succeeded } from "../suite/scenario.js";
import { interactionOf } from "../suite/interactions.js";
import { userData as userDataArb } from "./data.js";
import { AGENTS, copyOf, DELETED, EITHER, ExploreModel, other, type Agent, type Tracked } from "./model.js";
import {
  driftClause,
  expectedNotifications,
  observeLists,
  observeNotifications,
  observeResource,
  observeSomeNotifications,
  read,
  userDataDrift,
} from "./observe.js";
import type { Features } from "../runner/config.js";

/** An operation's request body. */
export type Body = Record<string, unknown> & { userData?: Record<string, unknown>; keys?: string[] };

/** What a command acts on: the check context of the sequence, and what each agent had received when it began. */
export interface Real {
  t: CheckContext;
  since: Record<Agent, number>;
}

/** At most this many interactions held at once in a sequence (each is ended when the sequence ends). */
const MAX_INTERACTIONS = 2;

export async function marks(t: CheckContext): Promise<Record<Agent, number>> {
  return { agent: await t.mark("agent"), agent2: await t.mark("agent2") };
}

/** Has the hook offer an interaction to `agent`, awaits its invitation, and tracks it in the model. */
export async function offer(t: CheckContext, m: ExploreModel, agent: Agent): Promise<Tracked> {
  const since = await t.mark(agent);
  const id = await t.provision(agent);
  await t.mustReceive(agent, (n) => interactionOf(n.data)?.id === id, {
    since,
    clause: "FACT-NOTIFICATION-852",
    description: `${agent}'s invitation of ${id}`,
  });
  const it = m.add(id, agent);
  t.note(`Step: the hook offered ${id} to ${agent}; the model: ${agent} is invited (FACT-NOTIFICATION-852).`);
  await observeResource(t, m, it, "FACT-NOTIFICATION-852");
  return it;
}

export class Provision implements fc.AsyncCommand<ExploreModel, Real> {
  constructor(readonly agent: Agent) {}
  check = (m: Readonly<ExploreModel>) => m.interactions.filter((i) => i.holder).length < MAX_INTERACTIONS;
  async run(m: ExploreModel, r: Real): Promise<void> {
    await offer(r.t, m, this.agent);
  }
  toString = () => `provision(${this.agent})`;
}

/** How a command picks its interaction and operation when it runs (fast-check draws these, the model decides). */
export interface Selection {
  /** By the interaction's holder (or last holder), rather than the other agent. */
  byHolder: boolean;
  /** Among the operations the model says are valid now (when there are any), rather than among all. */
  valid: boolean;
  pick: number;
}

export interface Chosen {
  actor: Agent;
  op: Operation;
}

/** Mostly one an agent holds (so sequences go deep); otherwise any, ended ones included. */
function targetOf(m: Readonly<ExploreModel>, ref: number, valid: boolean): Tracked | undefined {
  const held = m.interactions.filter((i) => i.holder);
  const from = valid && held.length > 0 ? held : m.interactions;
  return from[ref % Math.max(1, from.length)];
}

/** The acting agent and the operation, from the model as it is now. */
function choose(ops: Operation[], m: ExploreModel, it: Tracked, t: CheckContext, s: Selection): Chosen {
  const holder = it.holder ?? [...it.heldBy].at(-1)!;
  const actor = s.byHolder ? holder : other(holder);
  const possible = ops.filter(
    (o) =>
      (o.outcome.userData !== "delete" || liveKeys(it).length > 0) &&
      (o.outcome.holder !== "target" || transferable(t, other(actor))),
  );
  // Operations that keep the interaction with the agent (Accept, the userData ones) five times as often, so that
  // sequences go deep and data, where stores go wrong, is written often.
  const weighted = possible.flatMap((o) => (o.outcome.holder === "actor" ? [o, o, o, o, o] : [o]));
  const valid = weighted.filter((o) => m.predict(o, actor, it).performs);
  const from = s.valid && valid.length > 0 ? valid : possible;
  return { actor, op: from[s.pick % from.length]! };
}

/** The request: the suite's well-formed body (a Transfer to the other agent), the userData, or the keys to delete. */
function bodyOf(t: CheckContext, { op, actor }: Chosen, it: Tracked, data: Record<string, unknown>): Body {
  const to = t.config.accounts[other(actor)];
  const body = requestBody(op, t.profile, {
    queue: t.config.resources.queues[0]!,
    workbin: t.config.resources.workbins[0]!,
    target: { id: to?.id ?? "", uri: to?.uri ?? "" },
    marker: "explore",
  });
  const effect = op.outcome.userData;
  if (effect === "attach") body.userData = data;
  // An Update mostly overwrites a key the sequence wrote (on a key not there the register leaves the answer open).
  if (effect === "update") {
    const live = liveKeys(it);
    const [first, ...rest] = Object.entries(data);
    const key = live[Object.keys(data).length % Math.max(1, live.length)]?.[0];
    body.userData = key !== undefined && first ? { [key]: first[1], ...Object.fromEntries(rest) } : data;
  }
  if (effect === "delete") {
    const live = liveKeys(it).slice(0, 1 + (Object.keys(data).length % 3));
    if ("keys" in body) body.keys = live.map(([k]) => k);
    else body.userData = Object.fromEntries(live);
  }
  return body;
}

const describe = ({ op, actor }: Chosen, it: Tracked) =>
  `${op.operationName} by ${actor} on ${it.id} (${it.state ?? "released"})`;

/** Sends the operation; a 5xx breaks HTTP whatever was asked. Returns whether it was performed. */
async function send(t: CheckContext, c: Chosen, it: Tracked, body: Body): Promise<boolean> {
  const answer = await t.operate(it.id, body, c.actor);
  t.expect(
    "PROTO-HTTP-5XX",
    answer.status > 0 && answer.status < 500,
    () => `${describe(c, it)} answered ${answer.status || answer.error}.`,
  );
  return succeeded(t, c.op, answer);
}

/** The clause the state after a performed `op` rests on: the invitation's for a Transfer, else the outcome's. */
function stateClauseOf(op: Operation): Clause {
  const toTarget = op.notifications.find((n) => n.to === "target");
  return ((op.outcome.holder === "target" ? toTarget?.formClause : op.outcome.stateClause) ?? op.validClause) as Clause;
}

const label = ({ actor, op }: Chosen, ref: number, body?: Body) => {
  const writes = op.outcome.userData === "attach" || op.outcome.userData === "update";
  return `${actor}.${op.operationName}(#${ref}${writes && body ? `, ${JSON.stringify(body.userData).slice(0, 200)}` : ""})`;
};

/**
 * Sends `actor`'s `op` on `it` and holds every channel to the model: performed or refused as predicted, the
 * notifications it causes, GET as the holder and both agents' lists.
 */
export async function operate(t: CheckContext, m: ExploreModel, it: Tracked, chosen: Chosen, body: Body) {
  const { actor, op } = chosen;
  const predicted = m.predict(op, actor, it);
  const since = await marks(t);
  const what = describe(chosen, it);
  const performed = await send(t, chosen, it, body);
  t.note(
    `Step: ${what}: ${performed ? "performed" : "refused"}; the model: ${predicted.performs ? "performed" : "refused"} (${predicted.clause}).`,
  );
  t.expect(
    predicted.clause,
    performed === predicted.performs,
    () =>
      `${what} was ${performed ? "performed" : "refused"}, but must be ${predicted.performs ? "performed" : "refused"}.`,
  );
  const holder = it.holder;
  let stateClause: Clause = predicted.clause;
  if (performed) {
    m.apply(op, actor, it, body);
    stateClause = stateClauseOf(op);
    await observeNotifications(t, op, actor, it, since);
  }
  await observeResource(t, m, it, stateClause);
  if (holder !== it.holder || performed) await observeLists(t, it);
}

/**
 * An operation on one of the sequence's interactions, by its holder or by the other agent, chosen when it runs: most
 * often among those the model says the agent may perform now (so sequences go deep), otherwise among all of them.
 */
export class Operate implements fc.AsyncCommand<ExploreModel, Real> {
  private chosen?: Chosen;
  private body?: Body;

  constructor(
    readonly ops: Operation[],
    readonly selection: Selection,
    readonly ref: number,
    readonly data: Record<string, unknown>,
  ) {}

  check = (m: Readonly<ExploreModel>) => targetOf(m, this.ref, this.selection.valid) !== undefined;

  async run(m: ExploreModel, r: Real): Promise<void> {
    const { t } = r;
    const it = targetOf(m, this.ref, this.selection.valid)!;
    const chosen = (this.chosen = choose(this.ops, m, it, t, this.selection));
    this.body = bodyOf(t, chosen, it, this.data);
    await operate(t, m, it, chosen, this.body);
  }

  toString = () => (this.chosen ? label(this.chosen, this.ref, this.body) : `operate(#${this.ref})`);
}

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
  stateClause: Clause;
}

/**
 * A group of 2 or 3 operations on one interaction sent at once: the same operation twice, conflicting ones, both
 * agents. Like QuickCheck's parallel state machines, the answers, the interaction afterwards and the notifications
 * must be what at least one serial order of the group gives, by the model (FACT-STATES: an interaction is in one
 * state at a time; a server may order requests in flight as it likes, but must perform each one whole).
 */
export class Race implements fc.AsyncCommand<ExploreModel, Real> {
  private chosen: Chosen[] = [];
  private bodies: Body[] = [];

  constructor(
    readonly ops: Operation[],
    readonly members: (Selection & { same: boolean; data: Record<string, unknown> })[],
    readonly ref: number,
  ) {}

  check = (m: Readonly<ExploreModel>) => m.interactions.some((i) => i.holder);

  async run(m: ExploreModel, r: Real): Promise<void> {
    const { t } = r;
    const it = targetOf(m, this.ref, true)!;
    // A member marked `same` repeats the one before it (a duplicate in flight); each writes its own userData.
    this.chosen = [];
    for (const s of this.members)
      this.chosen.push(s.same && this.chosen.length > 0 ? this.chosen.at(-1)! : choose(this.ops, m, it, t, s));
    this.bodies = this.chosen.map((c, i) => bodyOf(t, c, it, this.members[i]!.data));
    await inFlight(t, m, it, this.chosen, this.bodies);
  }

  toString = () =>
    this.chosen.length > 0
      ? `race(${this.chosen.map((c, i) => label(c, this.ref, this.bodies[i])).join(" | ")})`
      : `race(#${this.ref})`;
}

/**
 * Sends `chosen` on `it` all at once and holds every channel to some serial order of them (see Race).
 */
export async function inFlight(t: CheckContext, m: ExploreModel, it: Tracked, chosen: Chosen[], bodies: Body[]) {
  const group = chosen.map((c) => describe(c, it)).join(", ");
  const since = await marks(t);
  const performed = await Promise.all(chosen.map((c, i) => send(t, c, it, bodies[i]!)));
  const serials = orders(chosen.length).map((order) => serial(m, it, order, chosen, bodies, performed));
  const explained = serials.filter((s) => !s.mismatch);
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
  await observeResource(t, m, it, serialised.stateClause);
  await observeLists(t, it);
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
  const result: Serial = { order, decided: [], steps: [], final: it, stateClause: "FACT-STATES" };
  for (const member of order) {
    const { op, actor } = chosen[member]!;
    const predicted = m.predict(op, actor, it);
    if (predicted.performs !== performed[member]) {
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
    m.apply(op, actor, it, bodies[member]!);
    result.stateClause = stateClauseOf(op);
    result.steps.push({ member, after: copyOf(it) });
  }
  return result;
}

/**
 * The serial orders whose interaction reads as the target shows it (GET as the holder each order leaves); when none
 * does, the group did not act as any serial order would, which fails (or warns, for a decided state).
 */
async function fitting(t: CheckContext, it: Tracked, explained: Serial[], group: string): Promise<Serial[]> {
  const seen = new Map<Agent, { state?: string; userData?: Record<string, unknown> } | undefined>();
  for (const holder of new Set(explained.map((s) => s.final.holder)))
    if (holder) seen.set(holder, await read(t, it.id, holder));
  const mismatch = (s: Serial): { clause: Clause; message: string } | undefined => {
    if (!s.final.holder) return undefined;
    const got = seen.get(s.final.holder);
    if (ExploreModel.normative(s.stateClause) && got?.state !== s.final.state)
      return { clause: s.stateClause, message: `it is in ${got?.state}, not ${s.final.state}` };
    const drift = userDataDrift(s.final, got?.userData);
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

/** Whether the configuration names `to` as a Transfer needs it: seed by its id, gws by its URI (AMB-TRANSFER-TARGET). */
function transferable(t: CheckContext, to: Agent): boolean {
  const account = t.config.accounts[to];
  return t.profile === "seed" ? Boolean(account?.id) : Boolean(account?.uri);
}

/** The keys a Delete may name: those the sequence wrote with a known value and has not deleted. */
function liveKeys(it: Tracked): [string, unknown][] {
  return [...it.written].filter(([, v]) => v !== DELETED && v !== EITHER);
}

/** Every command, for the operations the target offers (features) other than those that create an interaction. */
export function commandArbitraries(features: Features): fc.Arbitrary<fc.AsyncCommand<ExploreModel, Real>>[] {
  const ops = offered(features).filter(
    (o) => o.outcome.creates === undefined && o.operationName !== Op.GetWorkbinContent,
  );
  const agent = fc.constantFrom(...AGENTS);
  const mostly = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
  const selection = fc.record({ byHolder: mostly, valid: mostly, pick: fc.nat(ops.length * 4) });
  const ref = fc.nat(MAX_INTERACTIONS - 1);
  const operate = fc.tuple(selection, ref, userDataArb).map(([s, r, data]) => new Operate(ops, s, r, data));
  // A group in flight: 2 or 3 members, each half the time the same operation as the one before it.
  const member = fc.record({
    byHolder: mostly,
    valid: mostly,
    pick: fc.nat(ops.length * 4),
    same: fc.boolean(),
    data: userDataArb,
  });
  const race = fc
    .tuple(fc.array(member, { minLength: 2, maxLength: 3 }), ref)
    .map(([members, r]) => new Race(ops, members, r));
  // Operations five times as often as provisioning, groups in flight once (fc.commands picks evenly in the list).
  return [agent.map((a) => new Provision(a)), operate, operate, operate, operate, operate, race];
}
