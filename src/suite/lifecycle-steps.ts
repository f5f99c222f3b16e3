// The lifecycle checks' first steps (suites/lifecycle-*.suite.ts): one interaction as one agent sees it, what its
// notifications said last, performing an operation and waiting for the notification a step causes, and the
// notification of a step that ends the agent's work on it.
import type { Operation } from "../generated/schema-types.js";
import { specModel } from "../model/catalog.js";
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
/** States in which an agent works on an interaction: a later one, in a step that ends it, is its removal. */
export const WORKING = ["Invited", "Processing", "Composing"];

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
  inState: string,
): Promise<HttpAnswer> {
  const op = model.operation(String(body.operationName));
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
  inState: string,
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
  leaves: (typeof op === "string" ? model.operation(op) : op).outcome.leavesClause as Clause,
});

export const marker = () => `m-${Math.random().toString(36).slice(2, 10)}`;
