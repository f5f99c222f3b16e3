// Conforming variants that answer otherwise about interactions: capabilities, notifications, views, success
// answers, ownership and the operations performed.
import { Op, State } from "../../generated/vocabulary.js";
import type { Variant } from "../variants.js";
import { documentedCapabilities, specModel } from "../../model/catalog.js";
import { enabledOperations, type Features } from "../views.js";
import { isObject, performOnReply } from "./support.js";

const OPERATION_NAMES = new Set<string>(specModel().catalog.operations.map((o) => o.operationName));
const offered = (features: Features) => new Set<string>(enabledOperations(features).map((o) => o.operationName));

export const INTERACTION_VARIANTS: Variant[] = [
  {
    name: "documented-capabilities",
    description:
      "capabilities are exactly GWS's documented samples, and a reply's documented AttachUserData, UpdateUserData, DeleteUserData and Transfer are performed.",
    register: "AMB-CAPABILITIES",
    apply: (r) => {
      r.capabilities = (record, _valid, features) =>
        documentedCapabilities(record.state).filter((n) => !OPERATION_NAMES.has(n) || offered(features).has(n));
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
          : [...names, "SetInFocus", "SetDisposition", ...(record.state === State.Composing ? ["Send"] : [])];
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
      r.performs = (op, record, released) =>
        op.operationName === Op.GetWorkbinContent || performs(op, record, released);
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
      void (r.successStatus = (op) => (op.operationName === Op.Accept || op.operationName === Op.Reject ? 200 : 202)),
  },
  {
    name: "transfer-direct",
    description:
      "Transfer hands the interaction to the target agent already in state Processing, not as an invitation.",
    register: "AMB-TRANSFER-OUTCOME",
    apply: (r) => void (r.transferState = State.Processing),
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
    apply: (r) => void (r.lostState = State.Completed),
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
];
