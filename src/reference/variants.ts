// Conforming variants of the reference server, the dual of mutants (`--variant NAME[,NAME]`): each gives another
// answer that the ambiguity register accepts (schemas/ambiguities.json `answers`), so `npm run mutation` can show
// the suite passes servers that read the spec otherwise than the reference server does.
import type { InteractionState } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import type { EngineContext } from "./operations.js";
import type { Reading } from "./reading.js";

export interface Variant {
  name: string;
  /** What it answers otherwise, in one sentence. */
  description: string;
  /** The register entry whose other answer it gives. */
  register: string;
  /** The profiles it applies to (default both). */
  profiles?: Profile[];
  /** A larger request body limit it needs, in bytes. */
  bodyLimit?: number;
  apply(reading: Reading, engine: EngineContext): void;
}

/** GWS's documented capability samples (gws-facts: Resources and lists), by state. */
const DOCUMENTED: Partial<Record<InteractionState, string[]>> = {
  Invited: ["Accept", "Reject"],
  Processing: ["Transfer", "AttachUserData", "UpdateUserData", "DeleteUserData", "SetInFocus", "Complete"],
  Composing: [
    "Cancel",
    "Send",
    "AddComment",
    "AttachUserData",
    "UpdateUserData",
    "DeleteUserData",
    "SetDisposition",
    "SetInFocus",
    "Transfer",
  ],
};
/** The operations a reply's documented capabilities offer besides Cancel. */
const ON_REPLY = ["AttachUserData", "UpdateUserData", "DeleteUserData", "Transfer"];

/** Also performs the reply's documented operations on a Composing reply. */
function performOnReply(reading: Reading): void {
  const performs = reading.performs;
  reading.performs = (op, record, released) =>
    performs(op, record, released) ||
    (!released && record.state === "Composing" && ON_REPLY.includes(op.operationName));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const VARIANTS: Variant[] = [
  {
    name: "unauthenticated-403",
    description: "A request or CometD handshake without valid credentials is refused with HTTP 403, not 401.",
    register: "AMB-AUTH-ERRORS",
    apply: (r) => void (r.httpStatus.unauthenticated = 403),
  },
  {
    name: "refusals-other-4xx",
    description:
      "Refusals use other 4xx statuses: 422 for an invalid state or parameter, 404 for another agent's interaction.",
    register: "AMB-ERROR-HTTP-STATUS",
    apply: (r) =>
      Object.assign(r.httpStatus, {
        invalidState: 422,
        foreignInteraction: 404,
        missingParameter: 422,
        invalidParameter: 422,
      }),
  },
  {
    name: "refusals-http-200",
    description:
      "Refusals other than authentication, CSRF and transport limits answer HTTP 200 with the failure envelope.",
    register: "AMB-ERROR-HTTP-STATUS",
    apply: (r) =>
      Object.assign(r.httpStatus, {
        missingRole: 200,
        foreignInteraction: 200,
        unknownInteraction: 200,
        missingParameter: 200,
        invalidParameter: 200,
        invalidState: 200,
        notFound: 200,
      }),
  },
  {
    name: "empty-error-bodies",
    description: "Every 4xx refusal has an empty body.",
    register: "AMB-ERROR-BODY",
    apply: (r) => void (r.errorBody = "empty"),
  },
  {
    name: "text-error-bodies",
    description: "Every 4xx refusal's body is its message as text/plain.",
    register: "AMB-ERROR-BODY",
    apply: (r) => void (r.errorBody = "text"),
  },
  {
    name: "other-status-codes",
    description:
      "Refusals carry other fitting statusCodes: 3 for an invalid state or a missing role, 8 for an invalid parameter, 5 for another agent's interaction.",
    register: "AMB-ERROR-CODES",
    apply: (r) =>
      Object.assign(r.statusCode, { invalidState: 3, invalidParameter: 8, foreignInteraction: 5, missingRole: 3 }),
  },
  {
    name: "documented-capabilities",
    description:
      "capabilities are exactly GWS's documented samples, and a reply's documented AttachUserData, UpdateUserData, DeleteUserData and Transfer are performed.",
    register: "AMB-CAPABILITIES",
    apply: (r) => {
      r.capabilities = (record, _valid, features) =>
        (DOCUMENTED[record.state] ?? []).filter((n) => n !== "Transfer" || features.transfer);
      performOnReply(r);
    },
  },
  {
    name: "vendor-capabilities",
    description: "Every non-empty capabilities list also names vendor operations outside this API.",
    register: "AMB-CAPABILITIES",
    apply: (r) => {
      const list = r.capabilities;
      r.capabilities = (record, valid, features) => {
        const names = list(record, valid, features);
        return names.length === 0
          ? names
          : [...names, "SetInFocus", "SetDisposition", ...(record.state === "Composing" ? ["Send"] : [])];
      };
    },
  },
  {
    name: "reply-without-parent-id",
    description: "The reply Reply or ReplyAll creates carries no parentId.",
    register: "AMB-REPLY-LINK",
    apply: (r) => void (r.view.parentId = false),
  },
  {
    name: "status-then-properties",
    description:
      "Every state notification is followed by a second, different one about the same interaction (gws: a PropertiesUpdated).",
    register: "AMB-NOTIFICATION-SEQUENCE",
    apply: (_r, engine) => {
      const deliver = engine.deliver;
      engine.deliver = (username, data) => {
        deliver(username, data);
        if (!isObject(data)) return; // workbin content as a list
        if (data.notificationType === "StatusChange")
          deliver(username, { ...data, notificationType: "PropertiesUpdated" });
        else if (data.messageTypeName === "InteractionStateMessage")
          deliver(username, { ...data, changedProperties: ["userData"] });
      };
    },
  },
  {
    name: "workbin-content-any-state",
    description: "GetWorkbinContent is performed whatever the state of the interaction it is posted to.",
    register: "AMB-GETWORKBIN-ID",
    apply: (r) => {
      const performs = r.performs;
      r.performs = (op, record, released) => op.operationName === "GetWorkbinContent" || performs(op, record, released);
    },
  },
  {
    name: "gws-851-notifications",
    description: "The gws profile sends the 8.5.1 InteractionStateMessage form instead of <Media>StateChangeMessage.",
    register: "AMB-NOTIFICATION-NAMES",
    profiles: ["gws"],
    apply: (r) => void (r.gwsForm851 = true),
  },
  {
    name: "no-received-date",
    description: "Interactions carry no receivedDate.",
    register: "AMB-RECEIVED-DATE",
    apply: (r) => void (r.view.receivedDate = false),
  },
  {
    name: "reference-ids",
    description:
      "The other referenceId answer: seed success bodies and the notifications they cause carry referenceId, gws ones do not.",
    register: "AMB-REFERENCE-ID",
    apply: (r) => void (r.referenceIds = !r.referenceIds),
  },
  {
    name: "success-202",
    description: "Successful operations other than Accept and Reject answer HTTP 202.",
    register: "AMB-SUCCESS-HTTP-STATUS",
    apply: (r) =>
      void (r.successStatus = (op) => (op.operationName === "Accept" || op.operationName === "Reject" ? 200 : 202)),
  },
  {
    name: "transfer-direct",
    description:
      "Transfer hands the interaction to the target agent already in state Processing, not as an invitation.",
    register: "AMB-TRANSFER-OUTCOME",
    apply: (r) => void (r.transferState = "Processing"),
  },
  {
    name: "foreign-read-allowed",
    description: "GET /interactions/{id} answers any Agent, with capabilities [] for anyone but its holder.",
    register: "AMB-FOREIGN-READ",
    apply: (r) => void (r.foreignRead = true),
  },
  {
    name: "workbin-stays-listed",
    description:
      "After PlaceInWorkbin the agent keeps the interaction, listed in state InWorkbin with capabilities [].",
    register: "AMB-WORKBIN-OPS",
    apply: (r) => void (r.workbinKeepsOwner = true),
  },
  {
    name: "released-not-found",
    description:
      "An interaction the agent released (completed, rejected, cancelled, queued, placed in a workbin, removed) is unknown to it.",
    register: "AMB-RELEASED-READ",
    apply: (r) => void (r.releasedUnknown = true),
  },
  {
    name: "empty-success-body",
    description: "Accept and Reject succeed with HTTP 200 and an empty body.",
    register: "AMB-EMPTY-200",
    profiles: ["seed"],
    apply: (r) => void (r.emptySuccess = true),
  },
  {
    name: "all-interactions-full",
    description: 'GET /interactions always answers the {"statusCode":0,"interactions":[...]} form.',
    register: "AMB-ALL-INTERACTIONS-BODY",
    apply: (r) => void (r.allInteractionsFull = true),
  },
  {
    name: "extra-parameters-ignored",
    description: "Unknown request members are ignored and the operation is performed.",
    register: "AMB-REQUEST-EXTRA-PARAMS",
    apply: (r) => void (r.ignoreUnknownMembers = true),
  },
  {
    name: "removal-completed",
    description: "An agent that loses an interaction which goes on elsewhere is shown it Completed, not Revoked.",
    register: "AMB-REMOVAL-STATE",
    apply: (r) => void (r.lostState = "Completed"),
  },
  {
    name: "unparseable-statuscode",
    description: 'A request whose operation is not known is refused with {"statusCode":>0,"statusMessage"}.',
    register: "AMB-UNPARSEABLE-REQUEST",
    profiles: ["seed"],
    apply: (r) => void (r.unknownOperationStatusCode = true),
  },
  {
    name: "large-bodies",
    description: "Request bodies up to 2 MiB are accepted.",
    register: "AMB-BODY-LIMIT",
    bodyLimit: 2 * 1024 * 1024,
    apply: () => undefined,
  },
  {
    name: "vendor-fields",
    description:
      "Interaction resources and notifications carry vendor members (mediaType, participants, vendorExtension).",
    register: "AMB-EXTRA-FIELDS",
    apply: (r) => void (r.view.vendorFields = true),
  },
  {
    name: "composing-operations-allowed",
    description: "AttachUserData, UpdateUserData, DeleteUserData and Transfer are performed on a Composing reply.",
    register: "AMB-STATE-PRECONDITIONS",
    apply: (r) => performOnReply(r),
  },
  {
    name: "delete-matches-values",
    description: "seed's DeleteUserData deletes a key only when the value given equals the stored one.",
    register: "AMB-DELETE-KEYS",
    profiles: ["seed"],
    apply: (r) => void (r.deleteMatchesValues = true),
  },
  {
    name: "channel-refusal-in-bayeux",
    description:
      "A CometD request without valid credentials is answered HTTP 200 with a Bayeux reply successful false, not an HTTP 401.",
    register: "AMB-CHANNEL-REFUSAL",
    apply: (r) => void (r.channel.httpRefusal = false),
  },
  {
    name: "unknown-client-other-error",
    description: "A message with an unknown clientId is refused with error 401::unknown client and no advice.",
    register: "AMB-CHANNEL-UNKNOWN-CLIENT",
    apply: (_r, engine) =>
      engine.notifier.cometd.addExtension({
        outgoing: (_server, _sender, _session, message, callback) => {
          if (typeof message.error === "string" && message.error.startsWith("402")) {
            message.error = "401::unknown client";
            delete message.advice;
          }
          callback(undefined, true);
        },
      }),
  },
  {
    name: "no-connect-advice",
    description: "/meta/connect replies carry no advice (the handshake's stands).",
    register: "AMB-CHANNEL-ADVICE",
    apply: (r) => void (r.channel.connectAdvice = false),
  },
  {
    name: "publish-acknowledged",
    description: "A client's publish on /v2/me/** is acknowledged, and delivered to no one.",
    register: "AMB-CHANNEL-PUBLISH",
    apply: (r) => void (r.channel.publishAcknowledged = true),
  },
  {
    name: "channel-agents-only",
    description: "Only accounts with the Agent role may handshake with the notification channel.",
    register: "AMB-CHANNEL-ROLES",
    apply: (_r, engine) => {
      const authenticate = engine.channelAuthenticate;
      engine.channelAuthenticate = (headers) => {
        const principal = authenticate(headers);
        return principal?.account.roles.includes("Agent") ? principal : undefined;
      };
    },
  },
];

/** The variant named `name` for `profile`, or a one-sentence error naming the choices. */
export function variant(name: string, profile: Profile): Variant {
  const found = VARIANTS.find((v) => v.name === name);
  if (!found)
    throw new Error(`There is no variant named ${name}; the variants are: ${VARIANTS.map((v) => v.name).join(", ")}.`);
  if (found.profiles && !found.profiles.includes(profile))
    throw new Error(`The variant ${name} applies only to the ${found.profiles.join(" and ")} profile, not ${profile}.`);
  return found;
}
