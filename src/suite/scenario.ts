// Bringing an interaction into a state through the API itself, as a check's precondition. A step the target
// refuses is "can't tell" for the check (its own checks report the step's failure).
import type { Operation } from "../generated/schema-types.js";
import { isTerminal, specModel } from "../model/catalog.js";
import { requestBody } from "../model/requests.js";
import { schemas } from "../model/schemas.js";
import type { AccountRole } from "../runner/config.js";
import type { ReceivedNotification } from "../client/notifications.js";
import { CantTell, type CheckContext } from "./check.js";
import type { HttpAnswer } from "./http.js";
import { interactionOf } from "./interactions.js";

export type ReachableState = "Invited" | "Processing" | "Composing" | "InWorkbin" | "Completed" | "Revoked";
export const REACHABLE_STATES: ReachableState[] = [
  "Invited",
  "Processing",
  "Composing",
  "InWorkbin",
  "Completed",
  "Revoked",
];

/** The feature a state needs to be reached. */
export const STATE_FEATURE: Partial<Record<ReachableState, "reply" | "workbins">> = {
  Composing: "reply",
  InWorkbin: "workbins",
};

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
  const op = typeof operation === "string" ? specModel().operation(operation) : operation;
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
 * Sends Reply or ReplyAll on `parent` and finds the reply it creates (AMB-REPLY-LINK): the first interaction the
 * agent is then notified of whose id it had not seen before, in state Composing or offering Cancel; a parentId,
 * when present, names the parent. The reply is adopted by the check, which ends it.
 */
export async function replyTo(
  t: CheckContext,
  parent: string,
  operationName: "Reply" | "ReplyAll" = "Reply",
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
    const op = specModel().operation(operationName);
    const answer = await t.operate(parent, bodyFor(t, op), role);
    if (!succeeded(t, op, answer)) return { answer };
    const isReply = (n: ReceivedNotification) => {
      const i = interactionOf(n.data);
      if (!i || i.id === parent || known.has(i.id)) return false;
      if (i.parentId !== undefined && i.parentId !== parent) return false;
      return i.state === "Composing" || (i.capabilities ?? []).includes("Cancel");
    };
    const n = await t.mustReceive(role, isReply, {
      since,
      clause: "FACT-REPLY-NOTIFICATION",
      description: `the notification of the new reply created by ${operationName} on ${parent}`,
    });
    const id = interactionOf(n.data)!.id;
    t.adopt(id);
    return { answer, reply: { id, notification: n } };
  } finally {
    release();
  }
}

/** Performs `operationName` and waits for the notification of the state it leads to (`to`, or any other than `from`). */
async function step(
  t: CheckContext,
  id: string,
  operationName: string,
  role: AccountRole,
  from: string,
  to?: string,
): Promise<string> {
  const op = specModel().operation(operationName);
  const since = await t.mark(role);
  const answer = await t.operate(id, bodyFor(t, op), role);
  if (!succeeded(t, op, answer))
    throw new CantTell(`Could not reach the precondition: ${operationName} answered ${answer.status || answer.error}.`);
  const client = await t.notifications(role);
  const arrived = (n: ReceivedNotification) => {
    const i = interactionOf(n.data);
    return i?.id === id && i.state !== undefined && (to ? i.state === to : i.state !== from);
  };
  await client
    .waitFor(arrived, {
      since,
      within: t.config.timeouts.notificationMs,
      description: `the notification of ${operationName}`,
    })
    .catch(() => {
      throw new CantTell(`Could not reach the precondition: no notification of ${operationName} on ${id}.`);
    });
  return id;
}

/** A new interaction of `role` in `state` (for Composing: the reply's id). */
export async function reach(t: CheckContext, state: ReachableState, role: AccountRole = "agent"): Promise<string> {
  const since = await t.mark(role);
  const id = await t.provision(role);
  const client = await t.notifications(role);
  await client
    .waitFor((n) => interactionOf(n.data)?.id === id && interactionOf(n.data)?.state === "Invited", {
      since,
      within: t.config.timeouts.notificationMs,
      description: "the invitation",
    })
    .catch(() => {
      throw new CantTell(`The provisioned interaction ${id} was not offered to ${role} (no invitation notification).`);
    });
  switch (state) {
    case "Invited":
      return id;
    case "Revoked":
      return step(t, id, "Reject", role, "Invited");
    default:
      await step(t, id, "Accept", role, "Invited", "Processing");
  }
  switch (state) {
    case "Processing":
      return id;
    case "Completed":
      return step(t, id, "Complete", role, "Processing");
    case "InWorkbin":
      return step(t, id, "PlaceInWorkbin", role, "Processing", "InWorkbin");
    case "Composing": {
      const { answer, reply } = await replyTo(t, id, "Reply", role).catch((e: Error) => {
        throw new CantTell(`Could not reach the precondition: ${e.message}`);
      });
      if (!reply)
        throw new CantTell(`Could not reach the precondition: Reply answered ${answer.status || answer.error}.`);
      return reply.id;
    }
  }
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

/** The checks of an operation need its feature, and Transfer needs agent2. */
export function needsOf(op: Operation): { accounts?: AccountRole[]; features?: ("transfer" | "workbins" | "reply")[] } {
  const features = op.feature && op.feature !== "putInteraction" && op.feature !== "csrf" ? [op.feature] : [];
  return { accounts: op.operationName === "Transfer" ? ["agent", "agent2"] : ["agent"], features };
}
