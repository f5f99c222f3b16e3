// The interaction state machine: POST /me/interactions/{id} with an operationName, driven by the catalog
// (valid states, outcome, notifications) and the profile's request schemas.
import type { InteractionState, NotificationVariant, Operation } from "../generated/schema-types.js";
import { heldBy, isCreated, isTerminal, specModel } from "../model/catalog.js";
import type { ReferenceAccount } from "./accounts.js";
import type { IncomingHttpHeaders } from "node:http";
import type { Authenticator, Principal } from "./auth.js";
import { ApiError } from "./envelope.js";
import type { Notifier } from "./notifier.js";
import type { InteractionRecord, InteractionStore } from "./store.js";
import { copyUserData } from "./store.js";
import { interactionNotification, workbinContentMessage, type NotificationContext } from "./views.js";
import { declares, knownName, operationOf, transferTarget, validateRequest, type Body } from "./requests.js";

export interface EngineContext extends NotificationContext {
  store: InteractionStore;
  auth: Authenticator;
  queues: string[];
  workbins: string[];
  deliver(username: string, data: unknown): void;
  /** The CometD side, for mutants and variants of the notification channel. */
  notifier: Notifier;
  /** Who a request to the notification channel is from (gws-facts: the handshake is authenticated like REST). */
  channelAuthenticate(headers: IncomingHttpHeaders): Principal | undefined;
  /** gws-facts: the integer referenceId linking a success body to the notification it causes. */
  nextReferenceId(): number;
}

export interface OperationResult {
  operation: Operation;
  /** The referenceId of the success body, when the reading gives one (AMB-REFERENCE-ID). */
  referenceId?: number;
}

function release(record: InteractionRecord, state: InteractionState): void {
  record.state = state;
  record.owner = null;
}

/** The terminal state an outcome names (Completed, the state Complete leaves an interaction in). */
const ENDED = specModel().catalog.operations.find((o) => o.outcome.holder === "none" && isTerminal(o.outcome.state))!
  .outcome.state!;

/**
 * Where a removal whose outcome names no state leaves `record` (AMB-REMOVAL-STATE, the register's accepted answers):
 * an interaction an operation created (a reply Cancel abandons) goes nowhere else, so it ends as Complete ends one;
 * any other goes on without its agent, which sees it in the reading's lost state.
 */
function unstatedEnd(ctx: EngineContext, record: InteractionRecord): InteractionState {
  return isCreated(record.state) ? ENDED : ctx.reading.lostState;
}

/**
 * Performs the catalog outcome of `operation` on `record`: its userData effect, who holds it afterwards and in which
 * state (where the outcome names none, the reading's decided one: AMB-REMOVAL-STATE, AMB-TRANSFER-OUTCOME), and
 * the interaction it creates, which it returns.
 */
function enact(
  ctx: EngineContext,
  operation: Operation,
  record: InteractionRecord,
  actor: ReferenceAccount,
  params: Body,
  { queue, workbin, target }: { queue?: string; workbin?: string; target?: ReferenceAccount | "queue" },
): InteractionRecord | undefined {
  const { outcome } = operation;
  if (outcome.userData === "attach" || outcome.userData === "update")
    Object.assign(record.userData, copyUserData(params.userData as Body));
  if (outcome.userData === "delete") for (const key of keysToDelete(ctx, record, params)) delete record.userData[key];
  if (outcome.userData === "workbin") {
    record.workbin = workbin;
    record.userData.Workbin = workbin;
  }
  // Only from a state the catalog lists: a variant that performs more (AMB-STATE-PRECONDITIONS) changes no state.
  if (outcome.holder === "actor" && outcome.state && operation.validIn.includes(record.state))
    record.state = outcome.state;
  // AMB-WORKBIN-OPS: a variant keeps a workbin item with its agent.
  if (outcome.holder === "none" && outcome.userData === "workbin" && ctx.reading.workbinKeepsOwner)
    record.state = outcome.state!;
  else if (outcome.holder === "none") release(record, outcome.state ?? unstatedEnd(ctx, record));
  if (outcome.holder === "target" && target === "queue") release(record, ctx.reading.lostState);
  else if (outcome.holder === "target" && typeof target === "object") {
    // A reply stays a reply; anything else reaches the target as the reading says (AMB-TRANSFER-OUTCOME).
    if (!isCreated(record.state)) record.state = ctx.reading.transferState;
    record.owner = record.lastHolder = target.username;
  }
  if (queue && record.owner === null) record.currentQueue = queue;
  if (!outcome.creates) return undefined;
  return ctx.store.create({
    state: outcome.creates,
    owner: actor.username,
    userData: copyUserData({}),
    currentQueue: record.currentQueue,
    parentId: record.id,
    mediaType: record.mediaType,
    interactionSubType: "OutboundReply",
  });
}

/** seed names the keys with their values (a variant deletes only on a matching value), gws lists them. */
function keysToDelete(ctx: EngineContext, record: InteractionRecord, params: Body): string[] {
  if (ctx.profile !== "seed") return params.keys as string[];
  const named = params.userData as Body;
  return Object.keys(named).filter(
    (k) => !ctx.reading.deleteMatchesValues || JSON.stringify(named[k]) === JSON.stringify(record.userData[k]),
  );
}

/**
 * Performs `body` on the interaction `id` for `actor`, or throws the ApiError that refuses it. Nothing changes
 * unless every check passed.
 */
export function performOperation(
  ctx: EngineContext,
  actor: ReferenceAccount,
  id: string,
  body: unknown,
): OperationResult {
  const operation = operationOf(body, ctx);
  validateRequest(operation, body, ctx.profile, ctx.reading);
  const params = body as Body;
  const record = ctx.store.get(id);
  // An interaction this agent released is its own but in a state where nothing is valid; any other is foreign.
  const released = !!record && record.owner !== actor.username && record.lastHolder === actor.username;
  if (!record || (released && ctx.reading.releasedUnknown))
    throw new ApiError("unknownInteraction", `There is no interaction ${id}.`);
  if (record.owner !== actor.username && !released) {
    throw new ApiError("foreignInteraction", `Interaction ${id} is not being handled by ${actor.username}.`);
  }
  if (!ctx.reading.performs(operation, record, released)) {
    throw new ApiError(
      "invalidState",
      `${operation.operationName} is not valid for the current state ${record.state}.`,
    );
  }

  // Parameter checks that need the server's resources come before any change.
  const queue =
    params.queueName !== undefined && declares(operation, ctx.profile, "queueName")
      ? knownName(ctx.queues, params.queueName, "queue")
      : undefined;
  const workbin = declares(operation, ctx.profile, "workbin")
    ? knownName(ctx.workbins, params.workbin, "workbin")
    : undefined;
  const target =
    operation.outcome.holder === "target" ? (queue ? "queue" : transferTarget(params, actor, ctx)) : undefined;

  const referenceId = ctx.reading.referenceIds ? ctx.nextReferenceId() : undefined;
  const child = enact(ctx, operation, record, actor, params, { queue, workbin, target });
  for (const expected of operation.notifications) {
    const recipient =
      expected.to === "actor" ? actor.username : typeof target === "object" ? target.username : undefined;
    if (!recipient) continue;
    const refId = expected.to === "actor" ? referenceId : undefined;
    // A target that receives the interaction already in work is told of a state change, not an invitation.
    const variant =
      expected.variant === "invitation" && record.state !== expected.state ? "state-change" : expected.variant;
    ctx.deliver(recipient, notificationData(ctx, variant, child ?? record, recipient, refId, workbin));
  }
  return { operation, referenceId };
}

function notificationData(
  ctx: EngineContext,
  variant: NotificationVariant,
  record: InteractionRecord,
  recipient: string,
  referenceId: number | undefined,
  workbin: string | undefined,
): unknown {
  if (variant === "workbin-content") {
    const content = ctx.store.all().filter((r) => heldBy(r.state) === "workbin" && r.workbin === workbin);
    return workbinContentMessage(workbin!, content, recipient, ctx, referenceId);
  }
  // The agent that lost an interaction to another one sees it in the lost state (AMB-REMOVAL-STATE).
  const seen =
    variant === "removal" && record.owner !== null ? { ...record, state: ctx.reading.lostState, owner: null } : record;
  return interactionNotification(seen, recipient, variant, ctx, referenceId);
}
