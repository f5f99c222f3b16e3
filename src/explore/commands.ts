// The explorer's commands (fast-check's model-based testing): provisioning an interaction for either agent; every
// catalog operation the target offers, by either agent, on any interaction the sequence made (replies included),
// valid or not; groups of operations in flight at once; and operations sent by accounts that are not agents.
// Each command predicts from the model, acts, observes every channel and holds it to the prediction.
import fc from "fast-check";
import type { Operation } from "../generated/schema-types.js";
import { Op } from "../generated/vocabulary.js";
import type { CheckContext } from "../suite/check.js";
import { offered } from "../suite/expectations.js";
import { succeeded } from "../suite/scenario.js";
import { userData as userDataArb } from "./data.js";
import { AGENTS, ExploreModel, type Agent } from "./model.js";
import { observe } from "./observe.js";
import { inFlight } from "./in-flight.js";
import {
  bodyOf,
  choose,
  expectAnswered,
  label,
  offer,
  operate,
  targetOf,
  type Body,
  type Chosen,
  type Selection,
} from "./steps.js";
import type { Features } from "../runner/config.js";

/** What a command acts on: the check context of the sequence, and what each agent had received when it began. */
export interface Real {
  t: CheckContext;
  since: Record<Agent, number>;
}

/** At most this many interactions held at once in a sequence (each is ended when the sequence ends). */
const MAX_INTERACTIONS = 2;

export class Provision implements fc.AsyncCommand<ExploreModel, Real> {
  constructor(readonly agent: Agent) {}
  check = (m: Readonly<ExploreModel>) => m.interactions.filter((i) => i.holder).length < MAX_INTERACTIONS;
  async run(m: ExploreModel, r: Real): Promise<void> {
    await offer(r.t, m, this.agent);
  }
  toString = () => `provision(${this.agent})`;
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

/** Accounts that are not agents (target contract: `accounts.admin`, a role-less `accounts.unprivileged`). */
export type Outsider = "admin" | "unprivileged";

/**
 * An operation the holder may perform now, sent instead by an account that is not an agent: it must be refused
 * (REQ-OPS-1: each operation is an Agent operation; FACT-ROLES) and change nothing any channel shows.
 */
export class Intrude implements fc.AsyncCommand<ExploreModel, Real> {
  private chosen?: Chosen;

  constructor(
    readonly ops: Operation[],
    readonly who: Outsider,
    readonly selection: Selection,
    readonly ref: number,
    readonly data: Record<string, unknown>,
  ) {}

  check = (m: Readonly<ExploreModel>) => m.interactions.some((i) => i.holder);

  async run(m: ExploreModel, r: Real): Promise<void> {
    const { t } = r;
    const it = targetOf(m, this.ref, true)!;
    const chosen = (this.chosen = choose(this.ops, m, it, t, { ...this.selection, byHolder: true, valid: true }));
    const body = bodyOf(t, chosen, it, this.data);
    const answer = await t.operate(it.id, body, this.who);
    const what = `${chosen.op.operationName} by ${this.who} on ${it.id} (${it.state})`;
    t.note(`Step: ${what}: HTTP ${answer.status}; the model: refused (REQ-OPS-1).`);
    expectAnswered(t, answer, what);
    t.expect(
      "REQ-OPS-1",
      !succeeded(t, chosen.op, answer),
      () => `${what} was performed, but only an agent may perform it.`,
    );
    await observe(t, m, it, { clause: "REQ-OPS-1" });
  }

  toString = () => (this.chosen ? `${this.who}.${this.chosen.op.operationName}(#${this.ref})` : `intrude(${this.who})`);
}

/**
 * Every command, for the operations the target offers (features), and the accounts that are not agents the
 * configuration names (`outsiders`).
 */
export function commandArbitraries(
  features: Features,
  outsiders: Outsider[] = [],
): fc.Arbitrary<fc.AsyncCommand<ExploreModel, Real>>[] {
  // Reply and ReplyAll create an interaction (tracked from then on), and a workbin's content is judged against
  // the sequence's interactions in it: neither in a group in flight, whose members are judged by their answers
  // alone, nor sent by an outsider.
  const all = offered(features);
  const ops = all.filter((o) => o.outcome.creates === undefined && o.operationName !== Op.GetWorkbinContent);
  const agent = fc.constantFrom(...AGENTS);
  const mostly = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
  const selection = fc.record({ byHolder: mostly, valid: mostly, pick: fc.nat(ops.length * 4) });
  const ref = fc.nat(MAX_INTERACTIONS - 1);
  const operate = fc.tuple(selection, ref, userDataArb).map(([s, r, data]) => new Operate(all, s, r, data));
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
  const intrude = outsiders.length
    ? [
        fc
          .tuple(fc.constantFrom(...outsiders), selection, ref, userDataArb)
          .map(([who, s, r, data]) => new Intrude(ops, who, s, r, data)),
      ]
    : [];
  // Operations eight times as often as provisioning, groups in flight twice, outsiders once (fc.commands picks
  // evenly among its arbitraries): most steps act on what the sequence already has, so sequences go deep.
  const times = <T>(n: number, arbitrary: T): T[] => Array.from({ length: n }, () => arbitrary);
  return [agent.map((a) => new Provision(a)), ...times(8, operate), ...times(2, race), ...intrude];
}
