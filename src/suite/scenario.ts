// Bringing an interaction into a state through the API itself, as a check's precondition. A step the target
// refuses is "can't tell" for the check (its own checks report the step's failure).
import type { Operation } from "../generated/schema-types.js";
import { specModel } from "../model/catalog.js";
import { requestBody } from "../model/requests.js";
import type { AccountRole } from "../runner/config.js";
import { CantTell, type CheckContext } from "./check.js";
import { interactionOf } from "./interactions.js";

export type ReachableState = "Invited" | "Processing" | "Composing" | "InWorkbin" | "Completed" | "Revoked";
export const REACHABLE_STATES: ReachableState[] = ["Invited", "Processing", "Composing", "InWorkbin", "Completed", "Revoked"];

/** The feature a state needs to be reached. */
export const STATE_FEATURE: Partial<Record<ReachableState, "reply" | "workbins">> = { Composing: "reply", InWorkbin: "workbins" };

/** The body the suite sends for `operation` on its success path (AMB-TRANSFER-TARGET, AMB-DELETE-KEYS). */
export function bodyFor(t: CheckContext, operation: Operation | string, marker = "conformance"): Record<string, unknown> {
  const op = typeof operation === "string" ? specModel().operation(operation) : operation;
  const target = t.config.accounts.agent2;
  return requestBody(op, t.profile, {
    queue: t.config.resources.queues[0]!,
    workbin: t.config.resources.workbins[0]!,
    target: { id: target?.id ?? target?.username ?? "", uri: target?.uri ?? "" },
    marker,
  });
}

async function step(t: CheckContext, id: string, operationName: string, role: AccountRole, expectState: string | "removal" | "created"): Promise<string> {
  const since = await t.mark(role);
  const answer = await t.operate(id, bodyFor(t, operationName), role);
  if (answer.status !== 200) throw new CantTell(`Could not reach the precondition: ${operationName} answered ${answer.status || answer.error}.`);
  if (expectState === "created") {
    const client = await t.notifications(role);
    const n = await client
      .waitFor((m) => interactionOf(m.data)?.parentId === id, {
        since,
        within: t.config.timeouts.notificationMs,
        description: `the reply created by ${operationName}`,
      })
      .catch(() => {
        throw new CantTell(`Could not reach the precondition: no notification of the reply created by ${operationName} on ${id}.`);
      });
    return interactionOf(n.data)!.id;
  }
  await t
    .expectNotification(role, id, {
      since,
      description: `the notification of ${operationName}`,
      match: (i) => (expectState === "removal" ? i.state === "Completed" || i.state === "Revoked" : i.state === expectState),
    })
    .catch(() => {
      throw new CantTell(`Could not reach the precondition: no notification of ${operationName} on ${id}.`);
    });
  return id;
}

/** A new interaction of `role` in `state`, and (for Composing) the reply's id. */
export async function reach(t: CheckContext, state: ReachableState, role: AccountRole = "agent"): Promise<string> {
  const since = await t.mark(role);
  const id = await t.provision(role);
  await t
    .expectNotification(role, id, { since, description: "the invitation", match: (i) => i.state === "Invited" })
    .catch(() => {
      throw new CantTell(`The provisioned interaction ${id} was not offered to ${role} (no invitation notification).`);
    });
  switch (state) {
    case "Invited":
      return id;
    case "Revoked":
      return step(t, id, "Reject", role, "removal");
    default:
      await step(t, id, "Accept", role, "Processing");
  }
  switch (state) {
    case "Processing":
      return id;
    case "Completed":
      return step(t, id, "Complete", role, "removal");
    case "InWorkbin":
      return step(t, id, "PlaceInWorkbin", role, "InWorkbin");
    case "Composing":
      return step(t, id, "Reply", role, "created");
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
