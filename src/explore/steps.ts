// The explorer's steps (issue 23), shared by its commands and the named checks: which interaction and operation a
// command acts on, the request it sends, and one operation sent and held to the model on every channel (a Reply
// or ReplyAll tracks the reply it creates).
import type { Operation } from "../generated/schema-types.js";
import type { CheckContext, Clause } from "../suite/check.js";
import { requestBody } from "../model/requests.js";
import type { HttpAnswer } from "../suite/http.js";
import { createReply, succeeded } from "../suite/scenario.js";
import { AGENTS, DELETED, Either, ExploreModel, other, type Agent, type Prediction, type Tracked } from "./model.js";
import { invite, observe, type StateJudgement } from "./observe.js";
import { observeNotifications, observeWorkbinContent } from "./notified.js";
import { sideBySide } from "../suite/side-by-side.js";

/** An operation's request body. */
export type Body = Record<string, unknown> & { userData?: Record<string, unknown>; keys?: string[]; workbin?: unknown };

export async function marks(t: CheckContext): Promise<Record<Agent, number>> {
  return { agent: await t.mark("agent"), agent2: await t.mark("agent2") };
}

/** Has the hook offer an interaction to `agent`, awaits its invitation, and tracks it in the model. */
export async function offer(t: CheckContext, m: ExploreModel, agent: Agent): Promise<Tracked> {
  const id = await invite(t, agent, await t.mark(agent), "invitation");
  const it = m.add(id, agent);
  t.note(`Step: the hook offered ${id} to ${agent}; the model: ${agent} is invited (FACT-NOTIFICATION-852).`);
  await observe(t, m, it, { clause: "FACT-NOTIFICATION-852" });
  return it;
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
export function targetOf(m: Readonly<ExploreModel>, ref: number, valid: boolean): Tracked | undefined {
  const held = m.interactions.filter((i) => i.holder);
  const from = valid && held.length > 0 ? held : m.interactions;
  return from[ref % Math.max(1, from.length)];
}

/**
 * How often choose() draws `op`: one that keeps the interaction with the agent (Accept, the userData ones) five
 * times, so that sequences go deep and data, where stores go wrong, is written often; a Transfer three times, so
 * the interaction goes to and fro; a read of a workbin five times once the sequence parked one there; any other (an
 * end, a Reply, a read with nothing parked) once.
 */
const weightOf = (op: Operation, m: ExploreModel) =>
  op.outcome.holder === "target"
    ? 3
    : op.outcome.holder === "actor" && op.outcome.creates === undefined && (!readsOnly(op) || m.parked().length > 0)
      ? 5
      : 1;

/** An operation that changes nothing of the interaction (GetWorkbinContent): in the state it is valid in, no data. */
const readsOnly = (op: Operation) =>
  op.outcome.userData === undefined && op.validIn.every((s) => s === op.outcome.state);

/** The acting agent and the operation, from the model as it is now. */
export function choose(ops: Operation[], m: ExploreModel, it: Tracked, t: CheckContext, s: Selection): Chosen {
  const holder = it.holder ?? [...it.heldBy].at(-1)!;
  const actor = s.byHolder ? holder : other(holder);
  const possible = ops.filter(
    (o) =>
      (o.outcome.userData !== "delete" || liveKeys(it).length > 0) &&
      (o.outcome.holder !== "target" || transferable(t, other(actor))),
  );
  const weighted = possible.flatMap((o) => Array.from({ length: weightOf(o, m) }, () => o));
  const valid = weighted.filter((o) => m.predict(o, actor, it).performs);
  const from = s.valid && valid.length > 0 ? valid : possible;
  return { actor, op: from[s.pick % from.length]! };
}

/** The request: the suite's well-formed body (a Transfer to the other agent), the userData, or the keys to delete. */
export function bodyOf(t: CheckContext, { op, actor }: Chosen, it: Tracked, data: Record<string, unknown>): Body {
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

export const describe = ({ op, actor }: Chosen, it: Tracked) =>
  `${op.operationName} by ${actor} on ${it.id} (${it.state ?? "released"})`;

/** An answer must come, and a 5xx breaks HTTP whatever was asked (`what`). */
export function expectAnswered(t: CheckContext, answer: HttpAnswer, what: string): void {
  t.expect(
    "PROTO-HTTP-5XX",
    answer.status > 0 && answer.status < 500,
    () => `${what} answered ${answer.status || answer.error}.`,
  );
}

/** Sends the operation; a 5xx breaks HTTP whatever was asked. Returns whether it was performed. */
export async function send(t: CheckContext, c: Chosen, it: Tracked, body: Body): Promise<boolean> {
  const answer = await t.operate(it.id, body, c.actor);
  expectAnswered(t, answer, describe(c, it));
  return succeeded(t, c.op, answer);
}

/** The clause the state after a performed `op` rests on: the invitation's for a Transfer, else the outcome's. */
export function stateClauseOf(op: Operation): Clause {
  const toTarget = op.notifications.find((n) => n.to === "target");
  return ((op.outcome.holder === "target" ? toTarget?.formClause : op.outcome.stateClause) ?? op.validClause) as Clause;
}

/**
 * How the state after `op` (from state `from`) is judged: refused, it is unchanged (at the prediction's level);
 * performed where valid, it is the outcome's (learned where the register leaves it open); performed where the
 * catalog does not list it as valid, it is the target's to choose, and held to that choice.
 */
export function judgement(
  op: Operation,
  from: string | undefined,
  predicted: Prediction,
  performed: boolean,
): StateJudgement {
  if (!performed) return { clause: predicted.clause };
  if (!predicted.performs) return { clause: predicted.clause, learn: `after ${op.operationName} in ${from}` };
  const clause = stateClauseOf(op);
  return ExploreModel.normative(clause) ? { clause } : { clause, learn: `after ${clause}` };
}

export const label = ({ actor, op }: Chosen, ref: number, body?: Body) => {
  const writes = op.outcome.userData === "attach" || op.outcome.userData === "update";
  return `${actor}.${op.operationName}(#${ref}${writes && body ? `, ${JSON.stringify(body.userData).slice(0, 200)}` : ""})`;
};

/**
 * Sends `actor`'s `op` on `it` and holds every channel to the model: performed or refused as predicted, the
 * notifications it causes, GET as the holder and the lists that change (see Channels), unless `swept` (the lists are
 * read once the sequence has ended: observeLists).
 */
export async function operate(
  t: CheckContext,
  m: ExploreModel,
  it: Tracked,
  chosen: Chosen,
  body: Body,
  swept = false,
) {
  const { actor, op } = chosen;
  const predicted = m.predict(op, actor, it);
  const since = await marks(t);
  const what = describe(chosen, it);
  // Reply and ReplyAll: the reply they create is found as the fixed checks find it (AMB-REPLY-LINK), and tracked.
  const { performed, reply } = op.outcome.creates
    ? await replyTo(t, chosen, it)
    : { performed: await send(t, chosen, it, body), reply: undefined };
  const expected = predicted.performs === undefined ? "either" : predicted.performs ? "performed" : "refused";
  t.note(`Step: ${what}: ${performed ? "performed" : "refused"}; the model: ${expected} (${predicted.clause}).`);
  if (predicted.performs !== undefined)
    t.expect(
      predicted.clause,
      performed === predicted.performs,
      () => `${what} was ${performed ? "performed" : "refused"}, but must be ${expected}.`,
    );
  const holder = it.holder;
  const from = it.state;
  if (performed) m.apply(op, actor, it, body);
  await observe(t, m, it, judgement(op, from, predicted, performed), {
    ...(swept
      ? {}
      : holder !== it.holder
        ? { lists: AGENTS, uris: true }
        : performed && it.holder
          ? { lists: [it.holder] }
          : {}),
    // Only what the catalog lists as valid has a stated outcome and notifications.
    ...(performed && predicted.performs
      ? {
          notified: sideBySide([
            observeNotifications(t, op, actor, it, since),
            observeWorkbinContent(t, m, op, actor, body.workbin, since),
          ]).then(() => undefined),
        }
      : {}),
  });
  if (reply) {
    const created = m.add(reply, actor, op.outcome.creates);
    t.note(`Step: ${reply} is ${actor}'s new reply; the model: ${op.outcome.creates} (FACT-REPLY).`);
    await observe(t, m, created, { clause: "FACT-REPLY" }, { lists: AGENTS, uris: true });
  }
}

/** Sends a Reply or ReplyAll as the fixed checks do: whether it was performed, and the new reply's id. */
async function replyTo(t: CheckContext, { actor, op }: Chosen, it: Tracked) {
  const { answer, reply } = await createReply(t, it.id, op, actor);
  expectAnswered(t, answer, `${op.operationName} by ${actor} on ${it.id}`);
  return { performed: reply !== undefined || succeeded(t, op, answer), reply: reply?.id };
}

/** Whether the configuration names `to` as a Transfer needs it: seed by its id, gws by its URI (AMB-TRANSFER-TARGET). */
export function transferable(t: CheckContext, to: Agent): boolean {
  const account = t.config.accounts[to];
  return t.profile === "seed" ? Boolean(account?.id) : Boolean(account?.uri);
}

/** The keys a Delete may name: those the sequence wrote with a known value and has not deleted. */
export function liveKeys(it: Tracked): [string, unknown][] {
  return [...it.written].filter(([, v]) => v !== DELETED && !(v instanceof Either));
}
