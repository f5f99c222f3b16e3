// Reading interactions out of notifications of either documented form (AMB-NOTIFICATION-NAMES): the 8.5.1
// InteractionStateMessage carries the interaction at the top level, the 8.5.2+ <Media>StateChangeMessage under
// its media key.
import type { NotificationVariant } from "../generated/schema-types.js";
import { specModel, type Profile } from "../model/catalog.js";
import { schemas, type Violation } from "../model/schemas.js";

export interface InteractionSeen {
  id: string;
  state?: string;
  capabilities?: string[];
  userData?: Record<string, unknown>;
  parentId?: string;
  referenceId?: number;
  /** Which form the message had. */
  form: "InteractionStateMessage" | "StateChangeMessage";
  notificationType?: string;
}

const MEDIA_KEYS = ["email", "chat", "workitem", "interaction"];

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function fromResource(
  resource: Record<string, unknown>,
  form: InteractionSeen["form"],
  extra: Partial<InteractionSeen>,
): InteractionSeen | undefined {
  if (typeof resource.id !== "string") return undefined;
  return {
    id: resource.id,
    state: typeof resource.state === "string" ? resource.state : undefined,
    capabilities: Array.isArray(resource.capabilities) ? (resource.capabilities as string[]) : undefined,
    userData: asRecord(resource.userData),
    parentId: typeof resource.parentId === "string" ? resource.parentId : undefined,
    form,
    ...extra,
  };
}

/** The interaction a notification is about, or undefined when it is not an interaction notification. */
export function interactionOf(data: unknown): InteractionSeen | undefined {
  const message = asRecord(data);
  if (!message) return undefined;
  const referenceId = typeof message.referenceId === "number" ? message.referenceId : undefined;
  if (message.messageTypeName === "InteractionStateMessage") {
    return fromResource(message, "InteractionStateMessage", { referenceId });
  }
  if (typeof message.messageType === "string" && message.messageType.endsWith("StateChangeMessage")) {
    const key = MEDIA_KEYS.find((k) => asRecord(message[k]));
    const notificationType = typeof message.notificationType === "string" ? message.notificationType : undefined;
    return key
      ? fromResource(asRecord(message[key])!, "StateChangeMessage", { referenceId, notificationType })
      : undefined;
  }
  return undefined;
}

/** The interactions listed by a workbin content message (AMB-WORKBIN-CONTENT), or undefined. */
export function workbinContentOf(data: unknown): { workbin?: string; interactions: InteractionSeen[] } | undefined {
  const items = Array.isArray(data) ? data : asRecord(data)?.interactions;
  if (!Array.isArray(items)) return undefined;
  const interactions = items
    .map(
      (item) =>
        interactionOf(item) ??
        (asRecord(item) ? fromResource(asRecord(item)!, "InteractionStateMessage", {}) : undefined),
    )
    .filter((i): i is InteractionSeen => i !== undefined);
  const workbin = asRecord(data)?.workbin;
  return { workbin: typeof workbin === "string" ? workbin : undefined, interactions };
}

/** Checks a notification against the schemas the profile allows for a variant; [] when one matches. */
export function variantViolations(
  profile: Profile,
  variant: NotificationVariant,
  data: unknown,
): { schema: string; violations: Violation[] }[] {
  const paths = specModel().catalog.notificationSchemas[profile][variant];
  const results = paths.map((schema) => ({ schema, result: schemas().validate(schema, data) }));
  if (results.some((r) => r.result.valid)) return [];
  return results.map((r) => ({ schema: r.schema, violations: r.result.valid ? [] : r.result.violations }));
}
