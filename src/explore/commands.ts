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
import { AGENTS, DELETED, EITHER, ExploreModel, other, type Agent, type Tracked } from "./model.js";
import { observeLists, observeNotifications, observeResource } from "./observe.js";
import type { Features } from "../runner/config.js";

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

export class Provision implements fc.AsyncCommand<ExploreModel, Real> {
  constructor(readonly agent: Agent) {}
  check = (m: Readonly<ExploreModel>) => m.interactions.filter((i) => i.holder).length < MAX_INTERACTIONS;
  async run(m: ExploreModel, r: Real): Promise<void> {
    const since = await r.t.mark(this.agent);
    const id = await r.t.provision(this.agent);
    await r.t.mustReceive(this.agent, (n) => interactionOf(n.data)?.id === id, {
      since,
      clause: "FACT-NOTIFICATION-852",
      description: `${this.agent}'s invitation of ${id}`,
    });
    const it = m.add(id, this.agent);
    await observeResource(r.t, m, it, "FACT-NOTIFICATION-852");
  }
  toString = () => `provision(${this.agent})`;
}

/**
 * An operation on one of the sequence's interactions, by its holder or by the other agent, chosen when it runs: most
 * often among those the model says the agent may perform now (so sequences go deep), otherwise among all of them.
 */
export class Operate implements fc.AsyncCommand<ExploreModel, Real> {
  private chosen?: { actor: Agent; op: Operation };

  constructor(
    readonly ops: Operation[],
    readonly byHolder: boolean,
    readonly valid: boolean,
    readonly pick: number,
    readonly ref: number,
    readonly data: Record<string, unknown>,
  ) {}

  /** Mostly one an agent holds (so sequences go deep); otherwise any, ended ones included. */
  private target(m: Readonly<ExploreModel>): Tracked | undefined {
    const held = m.interactions.filter((i) => i.holder);
    const from = this.valid && held.length > 0 ? held : m.interactions;
    return from[this.ref % Math.max(1, from.length)];
  }

  check = (m: Readonly<ExploreModel>) => this.target(m) !== undefined;

  /** The acting agent and the operation, from the model as it is now. */
  private choose(m: ExploreModel, it: Tracked, t: CheckContext): { actor: Agent; op: Operation } {
    const holder = it.holder ?? [...it.heldBy].at(-1)!;
    const actor = this.byHolder ? holder : other(holder);
    const possible = this.ops.filter(
      (o) =>
        (o.outcome.userData !== "delete" || liveKeys(it).length > 0) &&
        (o.outcome.holder !== "target" || transferable(t, other(actor))),
    );
    // userData operations three times as often: they stay with the agent, and data is where stores go wrong.
    const weighted = possible.flatMap((o) => (o.outcome.userData && o.outcome.holder === "actor" ? [o, o, o] : [o]));
    const valid = weighted.filter((o) => m.predict(o, actor, it).performs);
    const from = this.valid && valid.length > 0 ? valid : possible;
    return { actor, op: from[this.pick % from.length]! };
  }

  /** The request: the suite's well-formed body (a Transfer to the other agent), the userData, or the keys to delete. */
  private body(t: CheckContext, op: Operation, actor: Agent, it: Tracked): Record<string, unknown> {
    const to = t.config.accounts[other(actor)];
    const body = requestBody(op, t.profile, {
      queue: t.config.resources.queues[0]!,
      workbin: t.config.resources.workbins[0]!,
      target: { id: to?.id ?? "", uri: to?.uri ?? "" },
      marker: "explore",
    });
    const effect = op.outcome.userData;
    if (effect === "attach" || effect === "update") body.userData = this.data;
    if (effect === "delete") {
      const live = liveKeys(it).slice(0, 1 + (Object.keys(this.data).length % 3));
      if ("keys" in body) body.keys = live.map(([k]) => k);
      else body.userData = Object.fromEntries(live);
    }
    return body;
  }

  async run(m: ExploreModel, r: Real): Promise<void> {
    const { t } = r;
    const it = this.target(m)!;
    const { actor, op } = (this.chosen = this.choose(m, it, t));
    const predicted = m.predict(op, actor, it);
    const body = this.body(t, op, actor, it);
    const since = await marks(t);
    const answer = await t.operate(it.id, body, actor);
    const what = `${op.operationName} by ${actor} on ${it.id} (${it.state ?? "released"})`;
    t.expect(
      "PROTO-HTTP-5XX",
      answer.status > 0 && answer.status < 500,
      `${what} answered ${answer.status || answer.error}.`,
    );
    const performed = succeeded(t, op, answer);
    t.expect(
      predicted.clause,
      performed === predicted.performs,
      () =>
        `${what} was ${performed ? "performed" : `refused (HTTP ${answer.status})`}, but must be ${predicted.performs ? "performed" : "refused"}.`,
    );
    const holder = it.holder;
    let stateClause: Clause = predicted.clause;
    if (performed) {
      m.apply(op, actor, it, body as { userData?: Record<string, unknown>; keys?: string[] });
      const toTarget = op.notifications.find((n) => n.to === "target");
      stateClause = ((op.outcome.holder === "target" ? toTarget?.formClause : op.outcome.stateClause) ??
        op.validClause) as Clause;
      await observeNotifications(t, op, actor, it, since);
    }
    await observeResource(t, m, it, stateClause);
    if (holder !== it.holder || performed) await observeLists(t, it);
  }

  toString = () => {
    if (!this.chosen) return `operate(#${this.ref})`;
    const { actor, op } = this.chosen;
    const writes = op.outcome.userData === "attach" || op.outcome.userData === "update";
    return `${actor}.${op.operationName}(#${this.ref}${writes ? `, ${JSON.stringify(this.data).slice(0, 200)}` : ""})`;
  };
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
  const operate = fc
    .record({
      byHolder: mostly,
      valid: mostly,
      pick: fc.nat(ops.length * 4),
      ref: fc.nat(MAX_INTERACTIONS - 1),
      data: userDataArb,
    })
    .map(({ byHolder, valid, pick, ref, data }) => new Operate(ops, byHolder, valid, pick, ref, data));
  // Operations five times as often as provisioning (fc.commands picks among the list evenly).
  return [agent.map((a) => new Provision(a)), operate, operate, operate, operate, operate];
}
