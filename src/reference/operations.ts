// The interaction state machine: POST /me/interactions/{id} with an operationName, driven by the catalog
// (valid states, outcome, notifications) and the profile's request schemas.
import type { InteractionState, NotificationVariant, Operation } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { schemas } from "../model/schemas.js";
import type { ReferenceAccount } from "./accounts.js";
import type { IncomingHttpHeaders } from "node:http";
import { hasRole, type Authenticator, type Principal } from "./auth.js";
import { ApiError } from "./envelope.js";
import type { Notifier } from "./notifier.js";
import type { Reading } from "./reading.js";
import type { InteractionRecord, InteractionStore } from "./store.js";
import { copyUserData } from "./store.js";
import {
  enabledOperations,
  interactionNotification,
  workbinContentMessage,
  type NotificationContext,
} from "./views.js";

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

type Body = Record<string, unknown>;

/** Finds the operation a request body names; unknown names and switched-off features are refused. */
export function operationOf(body: unknown, ctx: EngineContext): Operation {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError("invalidParameter", "The request body must be a JSON object with an operationName.");
  }
  const name = (body as Body).operationName;
  if (name === undefined) throw new ApiError("missingParameter", "The request has no operationName.");
  const operation = enabledOperations(ctx.features).find((o) => o.operationName === name);
  if (!operation)
    throw new ApiError("invalidParameter", `The operationName ${JSON.stringify(name).slice(0, 80)} is not supported.`);
  return operation;
}

/** Checks the body against the profile's request schema; a missing member is statusCode 1, others invalid. */
function validateRequest(operation: Operation, body: unknown, profile: Profile, reading: Reading): void {
  const result = schemas().validate(operation.request[profile], body);
  if (result.valid) return;
  // AMB-REQUEST-EXTRA-PARAMS: the request schemas are closed; a variant ignores unknown members instead.
  const violations = reading.ignoreUnknownMembers
    ? result.violations.filter((v) => v.keyword !== "additionalProperties")
    : result.violations;
  if (violations.length === 0) return;
  const missing = violations.find((v) => v.keyword === "required");
  if (missing) {
    throw new ApiError(
      "missingParameter",
      `${operation.operationName} needs the parameter ${String(missing.params.missingProperty)}.`,
    );
  }
  const first = violations[0]!;
  const where = first.pointer === "/" ? "the request" : `parameter ${first.pointer.slice(1)}`;
  throw new ApiError("invalidParameter", `In ${operation.operationName}, ${where} ${first.message}.`);
}

function knownName(list: string[], name: unknown, what: string): string {
  if (typeof name === "string" && list.includes(name)) return name;
  throw new ApiError("invalidParameter", `There is no ${what} named ${JSON.stringify(name).slice(0, 80)}.`);
}

/** The agent a Transfer names: seed userId (id or username), gws userUri/targetUri ending in /users/{id}. */
function transferTarget(body: Body, actor: ReferenceAccount, ctx: EngineContext): ReferenceAccount | "queue" {
  if (typeof body.queueName === "string") {
    knownName(ctx.queues, body.queueName, "queue");
    return "queue";
  }
  const ref = (body.userId ?? body.userUri ?? body.targetUri) as string;
  const id = /\/users\/([^/?#]+)$/.exec(ref)?.[1] ?? ref;
  const target = ctx.auth.accountById(decodeURIComponent(id)) ?? (body.userId ? ctx.auth.account(ref) : undefined);
  if (!target || !hasRole(target, "Agent"))
    throw new ApiError("invalidParameter", "The transfer target is not a known agent.");
  if (target.username === actor.username)
    throw new ApiError("invalidParameter", "An agent cannot transfer an interaction to itself.");
  return target;
}

function release(record: InteractionRecord, state: InteractionState): void {
  record.state = state;
  record.owner = null;
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
    operation.operationName === "PlaceInQueue" ||
    (operation.operationName === "Complete" && params.queueName !== undefined)
      ? knownName(ctx.queues, params.queueName, "queue")
      : undefined;
  const workbin =
    operation.operationName === "PlaceInWorkbin" || operation.operationName === "GetWorkbinContent"
      ? knownName(ctx.workbins, params.workbin, "workbin")
      : undefined;
  const target = operation.operationName === "Transfer" ? transferTarget(params, actor, ctx) : undefined;

  const referenceId = ctx.reading.referenceIds ? ctx.nextReferenceId() : undefined;
  let child: InteractionRecord | undefined;
  switch (operation.operationName) {
    case "Accept":
      record.state = "Processing";
      break;
    case "Reject":
    case "PlaceInQueue":
      release(record, ctx.reading.lostState);
      if (queue) record.currentQueue = queue;
      break;
    case "Complete":
    case "Cancel":
      release(record, "Completed");
      if (queue) record.currentQueue = queue;
      break;
    case "AttachUserData":
    case "UpdateUserData":
      Object.assign(record.userData, copyUserData(params.userData as Body));
      break;
    case "DeleteUserData": {
      const named = params.userData as Body;
      const keys =
        ctx.profile === "seed"
          ? Object.keys(named).filter(
              (k) =>
                !ctx.reading.deleteMatchesValues || JSON.stringify(named[k]) === JSON.stringify(record.userData[k]),
            )
          : (params.keys as string[]);
      for (const key of keys) delete record.userData[key];
      break;
    }
    case "PlaceInWorkbin":
      if (ctx.reading.workbinKeepsOwner) record.state = "InWorkbin";
      else release(record, "InWorkbin");
      record.workbin = workbin;
      record.userData.Workbin = workbin;
      break;
    case "GetWorkbinContent":
      break;
    case "Transfer":
      if (target === "queue") {
        release(record, ctx.reading.lostState);
        record.currentQueue = params.queueName as string;
      } else if (target) {
        // A reply stays a reply; anything else reaches the target as the reading says (AMB-TRANSFER-OUTCOME).
        if (record.state !== "Composing") record.state = ctx.reading.transferState;
        record.owner = record.lastHolder = target.username;
      }
      break;
    case "Reply":
    case "ReplyAll":
      child = ctx.store.create({
        state: "Composing",
        owner: actor.username,
        userData: copyUserData({}),
        currentQueue: record.currentQueue,
        parentId: record.id,
        mediaType: record.mediaType,
        interactionSubType: "OutboundReply",
      });
      break;
  }

  for (const expected of operation.notifications) {
    const recipient =
      expected.to === "actor" ? actor.username : typeof target === "object" ? target.username : undefined;
    if (!recipient) continue;
    const refId = expected.to === "actor" ? referenceId : undefined;
    // A target that receives the interaction already in work is told of a state change, not an invitation.
    const variant = expected.variant === "invitation" && record.state !== "Invited" ? "state-change" : expected.variant;
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
    const content = ctx.store.all().filter((r) => r.state === "InWorkbin" && r.workbin === workbin);
    return workbinContentMessage(workbin!, content, recipient, ctx, referenceId);
  }
  // The agent that lost an interaction to another one sees it in the lost state (AMB-REMOVAL-STATE).
  const seen =
    variant === "removal" && record.owner !== null ? { ...record, state: ctx.reading.lostState, owner: null } : record;
  return interactionNotification(seen, recipient, variant, ctx, referenceId);
}
