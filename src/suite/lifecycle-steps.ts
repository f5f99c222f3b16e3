// The lifecycle checks' first steps (suites/lifecycle-*.suite.ts): one interaction as one agent sees it, what its
// notifications said last, performing an operation and waiting for the notification a step causes, and the
// notification of a step that ends the agent's work on it.
import type { Operation } from "../generated/schema-types.js";
import { isTerminal, operationOf, specModel } from "../model/catalog.js";
import type { ReceivedNotification } from "../client/notifications.js";
import type { AccountRole } from "../runner/config.js";
import type { CheckContext, Clause, Normative } from "./check.js";
import type { HttpAnswer } from "./http.js";
import { interactionOf, type InteractionSeen } from "./interactions.js";
import { answered, shown } from "./malformed.js";
import { succeeded } from "./scenario.js";

const model = specModel();
export const NOTIFIED = [
  "AMB-NOTIFICATION-NAMES",
  "AMB-REMOVAL-STATE",
  "AMB-GET-INTERACTION-WRAP",
  "AMB-NOTIFICATION-SEQUENCE",
];
/** States in which an agent works on an interaction (catalog heldBy agent): a later one, in a step that ends it, is its removal. */
export const WORKING = Object.entries(model.catalog.states)
  .filter(([, s]) => s.heldBy === "agent")
  .map(([name]) => name);

/** One interaction as one agent sees it: where its notifications start, and which states they must go through. */
export interface Track {
  role: AccountRole;
  id: string;
  /** The agent's notification cursor before the interaction reached it. */
  since: number;
}

/** What the notifications `role` received about `id` (from `since`) said last. */
export interface LastNotified {
  /** The last state named, and the notification's seq. */
  state: string;
  seq: number;
  /** The last notification that carried userData (a PropertiesUpdated message may name no state). */
  userData?: { value: Record<string, unknown>; seq: number };
}

export async function lastNotified(t: CheckContext, track: Track): Promise<LastNotified> {
  const client = await t.notifications(track.role);
  const about = client.received
    .filter((n) => n.seq >= track.since)
    .map((n) => ({ n, seen: interactionOf(n.data) }))
    .filter((x): x is { n: ReceivedNotification; seen: InteractionSeen } => x.seen?.id === track.id);
  const stated = about.filter((x) => typeof x.seen.state === "string").at(-1);
  if (!stated)
    t.fail(
      "FACT-NOTIFICATION-852",
      `${track.role} has received no notification naming a state for interaction ${track.id}.`,
    );
  const withUserData = about.filter((x) => x.seen.userData !== undefined).at(-1);
  return {
    state: stated.seen.state!,
    seq: stated.n.seq,
    userData: withUserData ? { value: withUserData.seen.userData!, seq: withUserData.n.seq } : undefined,
  };
}

/** Sends `body` as `role`; fails (the operation's validClause) unless it was performed. */
export async function perform(
  t: CheckContext,
  role: AccountRole,
  id: string,
  body: Record<string, unknown>,
  inState?: string,
): Promise<HttpAnswer> {
  const op = model.operation(String(body.operationName));
  inState ??= op.validIn[0];
  const answer = await t.operate(id, body, role);
  t.expect(
    op.validClause as Clause,
    succeeded(t, op, answer),
    () =>
      `${op.title} (${shown(body)}) by ${role} on interaction ${id} in state ${inState} answered ${answered(answer)} instead of succeeding.`,
  );
  return answer;
}

/** Performs a step and waits for the notification it causes (`clause`: why it must come). */
export async function step(
  t: CheckContext,
  track: Track,
  body: Record<string, unknown>,
  inState: string | undefined,
  expected: { description: string; match: (i: InteractionSeen) => boolean; clause?: Normative },
): Promise<{ interaction: InteractionSeen; answer: HttpAnswer }> {
  const since = await t.mark(track.role);
  const answer = await perform(t, track.role, track.id, body, inState);
  const description = `${expected.description} after ${String(body.operationName)} (${shown(body)}, answered HTTP ${answer.status})`;
  const { interaction } = await t.expectNotification(track.role, track.id, {
    since,
    clause: expected.clause ?? "FACT-NOTIFICATION-852",
    description,
    match: expected.match,
  });
  return { interaction, answer };
}

/** The notification of a step that ends the agent's work on it: any state it does not work in (AMB-REMOVAL-STATE). */
export const removal = (op: Operation | string) => ({
  description: "the removal notification",
  match: (i: InteractionSeen) => i.state !== undefined && !WORKING.includes(i.state),
  leaves: operationOf(op).outcome.leavesClause as Clause,
});

/** Where `op`'s outcome leaves the interaction: the state it names, unless nobody holds it then ("removed"). */
function outcomeState(op: Operation, at: string): string {
  const { state, holder } = op.outcome;
  if (holder === "actor") return state ?? at;
  return state && !isTerminal(state) ? state : "removed";
}

/**
 * The notification `op`'s step must bring, read from its catalog outcome: the state it leads to (with the
 * outcome's clause where the interaction leaves the agent for that state, FACT-WORKBIN), or a removal.
 */
export function outcomeNotification(op: Operation | string): {
  description: string;
  match: (i: InteractionSeen) => boolean;
  clause?: Normative;
} {
  const o = operationOf(op);
  const state = outcomeState(o, o.validIn[0]);
  if (state === "removed") return removal(o);
  const clause = o.outcome.holder === "actor" ? undefined : (o.outcome.stateClause as Normative);
  return { description: `the ${state} notification`, match: (i) => i.state === state, clause };
}

/**
 * The states an interaction's notifications go through when `ops` are performed on it in turn from `from` (the
 * catalog's offeredIn), as expectStateOrder takes them: each state once, "removed" once nobody holds it.
 */
export function statesThrough(
  ops: (Operation | string)[],
  from: string = model.catalog.offeredIn,
): (string[] | "removed")[] {
  const states: (string[] | "removed")[] = [[from]];
  let at = from;
  for (const op of ops.map(operationOf)) {
    const next = outcomeState(op, at);
    if (next !== at) states.push(next === "removed" ? "removed" : [next]);
    at = next;
  }
  return states;
}

export const marker = () => `m-${Math.random().toString(36).slice(2, 10)}`;
