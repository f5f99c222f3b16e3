// Bringing an interaction into a state through the API itself, as a check's precondition. A step the target
// refuses is "can't tell" for the check (its own checks report the step's failure).
import type { Feature, InteractionState, Operation } from "../generated/schema-types.js";
import { featuresOf, pathTo, type Transition } from "../model/transitions.js";
import { isTerminal, operationOf, specModel } from "../model/catalog.js";
import { requestBody } from "../model/requests.js";
import { schemas } from "../model/schemas.js";
import type { AccountRole } from "../runner/config.js";
import type { ReceivedNotification } from "../client/notifications.js";
import { CantTell, type CheckContext } from "./check.js";
import type { HttpAnswer } from "./http.js";
import { interactionOf } from "./interactions.js";

/** A state of the catalog: each is reached through the catalog's transitions (src/model/transitions.ts). */
export type ReachableState = InteractionState;
export const REACHABLE_STATES = Object.keys(specModel().catalog.states) as ReachableState[];

/** The features the path to `state` needs (Composing: reply, InWorkbin: workbins). */
export function featuresTo(state: ReachableState): Feature[] {
  return featuresOf(pathTo(state));
}

/** States an agent is told of when an interaction leaves it (AMB-REMOVAL-STATE): those nobody holds. */
export const REMOVED = Object.keys(specModel().catalog.states).filter(isTerminal);

/**
 * The body the suite sends for `operation` on its success path (AMB-TRANSFER-TARGET, AMB-DELETE-KEYS). For
 * DeleteUserData, `marker` is the value the key holds now: seed sends it, so a server that deletes a key only
 * on a matching value deletes it too.
 */
export function bodyFor(
  t: CheckContext,
  operation: Operation | string,
  marker = "conformance",
): Record<string, unknown> {
  const op = operationOf(operation);
  const target = t.config.accounts.agent2;
  return requestBody(op, t.profile, {
    queue: t.config.resources.queues[0]!,
    workbin: t.config.resources.workbins[0]!,
    target: { id: target?.id ?? target?.username ?? "", uri: target?.uri ?? "" },
    marker,
  });
}

/** The target performed the operation: a 2xx (AMB-SUCCESS-HTTP-STATUS) without the operation's failure envelope. */
export function succeeded(t: CheckContext, op: Operation, answer: HttpAnswer): boolean {
  if (answer.status < 200 || answer.status > 299) return false;
  return !op.response[t.profile].failure.some((p) => schemas().validate(p, answer.body).valid);
}

/** One Reply or ReplyAll per agent at a time: the only way to tell its reply from another's (AMB-REPLY-LINK). */
const replying = new Map<AccountRole, Promise<unknown>>();

/**
 * Sends `operation` (one whose outcome creates an interaction: Reply, ReplyAll) on `parent` and finds the reply it
 * creates (AMB-REPLY-LINK): the first interaction the agent is then notified of whose id it had not seen before, in
 * the state the outcome creates or offering that state's capabilities (Composing, Cancel); a parentId, when present,
 * names the parent. The reply is adopted by the check, which ends it.
 */
export async function createReply(
  t: CheckContext,
  parent: string,
  operation: Operation | string,
  role: AccountRole = "agent",
): Promise<{ answer: HttpAnswer; reply?: { id: string; notification: ReceivedNotification } }> {
  const previous = replying.get(role) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  replying.set(
    role,
    previous.then(() => mine),
  );
  await previous;
  try {
    const client = await t.notifications(role);
    const since = client.cursor();
    const known = new Set(client.received.map((n) => interactionOf(n.data)?.id).filter(Boolean));
    const op = operationOf(operation);
    const created = op.outcome.creates!;
    const offers: string[] = specModel().catalog.states[created]?.capabilities ?? [];
    const answer = await t.operate(parent, bodyFor(t, op), role);
    if (!succeeded(t, op, answer)) return { answer };
    const isReply = (n: ReceivedNotification) => {
      const i = interactionOf(n.data);
      if (!i || i.id === parent || known.has(i.id)) return false;
      if (i.parentId !== undefined && i.parentId !== parent) return false;
      return i.state === created || (i.capabilities ?? []).some((c) => offers.includes(c));
    };
    const n = await t.mustReceive(role, isReply, {
      since,
      clause: "FACT-REPLY-NOTIFICATION",
      description: `the notification of the new reply created by ${op.operationName} on ${parent}`,
    });
    const id = interactionOf(n.data)!.id;
    t.adopt(id);
    return { answer, reply: { id, notification: n } };
  } finally {
    release();
  }
}

/** Performs the transition on `id` and waits for the notification of the state it leads to (any but its `from`). */
async function step(t: CheckContext, id: string, transition: Transition, role: AccountRole): Promise<string> {
  const { operation: op, from, to } = transition;
  if (transition.creates) {
    const { answer, reply } = await createReply(t, id, op, role).catch((e: Error) => {
      throw new CantTell(`Could not reach the precondition: ${e.message}`);
    });
    if (!reply)
      throw new CantTell(
        `Could not reach the precondition: ${op.operationName} answered ${answer.status || answer.error}.`,
      );
    return reply.id;
  }
  const since = await t.mark(role);
  const answer = await t.operate(id, bodyFor(t, op), role);
  if (!succeeded(t, op, answer))
    throw new CantTell(
      `Could not reach the precondition: ${op.operationName} answered ${answer.status || answer.error}.`,
    );
  const client = await t.notifications(role);
  const arrived = (n: ReceivedNotification) => {
    const i = interactionOf(n.data);
    return i?.id === id && i.state !== undefined && (to ? i.state === to : i.state !== from);
  };
  await client
    .waitFor(arrived, {
      since,
      within: t.config.timeouts.notificationMs,
      description: `the notification of ${op.operationName}`,
    })
    .catch(() => {
      throw new CantTell(`Could not reach the precondition: no notification of ${op.operationName} on ${id}.`);
    });
  return id;
}

/**
 * A new interaction of `role` in `state` (for a state an operation creates, such as Composing: the new one's id):
 * provisioned, then taken along the catalog's shortest path to the state.
 */
export async function reach(t: CheckContext, state: ReachableState, role: AccountRole = "agent"): Promise<string> {
  const offered = specModel().catalog.offeredIn;
  const since = await t.mark(role);
  let id = await t.provision(role);
  const client = await t.notifications(role);
  await client
    .waitFor((n) => interactionOf(n.data)?.id === id && interactionOf(n.data)?.state === offered, {
      since,
      within: t.config.timeouts.notificationMs,
      description: "the invitation",
    })
    .catch(() => {
      throw new CantTell(`The provisioned interaction ${id} was not offered to ${role} (no invitation notification).`);
    });
  for (const transition of pathTo(state)) id = await step(t, id, transition, role);
  return id;
}

export interface Snapshot {
  status: number;
  state?: unknown;
  capabilities?: unknown;
  userData?: unknown;
}

/** What `role` can observe of an interaction, to show that a refused request changed nothing. */
export async function snapshot(t: CheckContext, id: string, role: AccountRole = "agent"): Promise<Snapshot> {
  const answer = await t.get(`/api/v2/interactions/${encodeURIComponent(id)}`, role);
  const interaction = (answer.body as { interaction?: Record<string, unknown> } | undefined)?.interaction;
  return answer.status === 200 && interaction
    ? { status: 200, state: interaction.state, capabilities: interaction.capabilities, userData: interaction.userData }
    : { status: answer.status };
}

/** The checks of an operation need its feature, and one that hands the interaction to a target (Transfer) agent2. */
export function needsOf(op: Operation): { accounts?: AccountRole[]; features?: ("transfer" | "workbins" | "reply")[] } {
  const features = op.feature && op.feature !== "putInteraction" && op.feature !== "csrf" ? [op.feature] : [];
  return { accounts: op.outcome.holder === "target" ? ["agent", "agent2"] : ["agent"], features };
}
