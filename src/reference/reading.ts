// The reference server's reading of what the sources leave open: the one it gives by default, and the points a
// conforming variant (src/reference/variants.ts) changes to give another documented or undecided answer.
import type { InteractionState, Operation } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { specModel } from "../model/catalog.js";
import { unstatedTerminals } from "../model/transitions.js";
import type { Refusal } from "./envelope.js";
import type { InteractionRecord } from "./store.js";
import type { Features } from "./views.js";

export interface Reading {
  /** The HTTP status of each refusal (AMB-ERROR-HTTP-STATUS, AMB-AUTH-ERRORS). */
  httpStatus: Record<Refusal, number>;
  /** The statusCode a refusal carries, where it is not the first of the catalog's errorCodes (AMB-ERROR-CODES). */
  statusCode: Partial<Record<Refusal, number>>;
  /** A refusal's body: the failure envelope, nothing, or its message as text/plain (AMB-ERROR-BODY). */
  errorBody: "envelope" | "empty" | "text";
  /** The HTTP status of a success (AMB-SUCCESS-HTTP-STATUS). */
  successStatus(operation: Operation): number;
  /** seed: Accept and Reject answer an empty 200 (AMB-EMPTY-200). */
  emptySuccess: boolean;
  /** Success bodies and the actor's notifications carry referenceId (AMB-REFERENCE-ID). */
  referenceIds: boolean;
  /** The capabilities `viewer` is shown, from those the state's valid operations give (AMB-CAPABILITIES). */
  capabilities(record: InteractionRecord, valid: string[], features: Features): string[];
  /** Whether `operation` is performed on `record` (`released`: the actor let it go) (AMB-STATE-PRECONDITIONS). */
  performs(operation: Operation, record: InteractionRecord, released: boolean): boolean;
  /** The state the transfer target receives a (non-reply) interaction in (AMB-TRANSFER-OUTCOME). */
  transferState: InteractionState;
  /** The state an agent is shown of an interaction that goes on without it (AMB-REMOVAL-STATE). */
  lostState: InteractionState;
  /** PlaceInWorkbin leaves the interaction with the agent, listed (AMB-WORKBIN-OPS). */
  workbinKeepsOwner: boolean;
  /** Any Agent may GET any interaction (AMB-FOREIGN-READ). */
  foreignRead: boolean;
  /** An interaction the agent released is unknown to it (AMB-RELEASED-READ). */
  releasedUnknown: boolean;
  /** GET /interactions answers the interactions form without fields=* (AMB-ALL-INTERACTIONS-BODY). */
  allInteractionsFull: boolean;
  /** Unknown request members are ignored, not refused (AMB-REQUEST-EXTRA-PARAMS). */
  ignoreUnknownMembers: boolean;
  /** seed: a request whose operation is unknown is refused with the statusCode envelope (AMB-UNPARSEABLE-REQUEST). */
  unknownOperationStatusCode: boolean;
  /** seed DeleteUserData deletes a key only when the given value equals the stored one (AMB-DELETE-KEYS). */
  deleteMatchesValues: boolean;
  /** What interaction views carry besides the core fields (AMB-RECEIVED-DATE, AMB-REPLY-LINK, AMB-EXTRA-FIELDS). */
  view: { receivedDate: boolean; parentId: boolean; vendorFields: boolean };
  /** gws notifications in the 8.5.1 InteractionStateMessage form (AMB-NOTIFICATION-NAMES). */
  gwsForm851: boolean;
  /** The notification channel, where Bayeux leaves a choice (AMB-CHANNEL-REFUSAL, -ADVICE, -PUBLISH, -DELIVERY). */
  channel: {
    /**
     * A request without valid credentials is refused with an HTTP status before any Bayeux processing (a variant);
     * otherwise its handshake gets Bayeux's successful:false, 403::handshake_denied, advice reconnect none.
     */
    httpRefusal: boolean;
    /** /meta/connect replies carry advice. */
    connectAdvice: boolean;
    /** A client's publish on /v2/me/** is acknowledged (and reaches no one), not refused. */
    publishAcknowledged: boolean;
    /**
     * Who receives an agent's notifications (AMB-CHANNEL-DELIVERY): the agent's sessions subscribed to
     * /v2/me/interactions, or every session of the agent, subscribed or not (ServerSession.deliver).
     */
    delivery: "subscribed" | "every-session";
  };
}

/** The state the catalog says a transfer target is told of (its invitation notification's state). */
const OFFERED_ON_TRANSFER = specModel()
  .catalog.operations.flatMap((o) => o.notifications)
  .find((n) => n.to === "target" && n.state)!.state!;
/** The state nobody holds that no outcome names (Revoked): the reading's state for an outcome that names none. */
const UNSTATED_END = unstatedTerminals()[0]!;

/** The reference server's own reading, as the register's decisions and the envelope tables give it. */
export function defaultReading(profile: Profile): Reading {
  return {
    httpStatus: {
      unauthenticated: 401,
      missingRole: 403,
      foreignInteraction: 403,
      unknownInteraction: 404,
      missingParameter: 400,
      invalidParameter: 400,
      invalidState: 409,
      csrf: 403,
      tooLarge: 413,
      unsupportedMediaType: 415,
      notFound: 404,
    },
    statusCode: {},
    errorBody: "envelope",
    successStatus: () => 200,
    emptySuccess: false,
    referenceIds: profile === "gws",
    capabilities: (_record, valid) => valid,
    performs: (operation, record, released) => !released && operation.validIn.includes(record.state),
    transferState: OFFERED_ON_TRANSFER,
    lostState: UNSTATED_END,
    workbinKeepsOwner: false,
    foreignRead: false,
    releasedUnknown: false,
    allInteractionsFull: false,
    ignoreUnknownMembers: false,
    unknownOperationStatusCode: false,
    deleteMatchesValues: false,
    view: { receivedDate: true, parentId: true, vendorFields: false },
    gwsForm851: false,
    channel: { httpRefusal: false, connectAdvice: true, publishAcknowledged: false, delivery: "subscribed" },
  };
}

/** The operations valid in a state, per the catalog (the reference server lists all of them). */
export function validNames(state: InteractionState): string[] {
  return specModel().catalog.states[state]?.capabilities ?? [];
}
