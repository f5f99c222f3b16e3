// How the reference server shows an interaction: as a resource, and as the notification variants of
// each profile (AMB-NOTIFICATION-NAMES, AMB-WORKBIN-CONTENT).
import type { InteractionState, NotificationVariant, Operation, OperationName } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { heldBy, specModel } from "../model/catalog.js";
import type { Reading } from "./reading.js";
import type { InteractionRecord } from "./store.js";

export type Features = { transfer: boolean; workbins: boolean; reply: boolean; putInteraction: boolean; csrf: boolean };

/** The operations the server offers: those of the catalog whose feature is on. */
export function enabledOperations(features: Features): Operation[] {
  return specModel().catalog.operations.filter((o) => !o.feature || features[o.feature]);
}

/** capabilities: the enabled operations valid in the state, as the reading lists them, for the agent who holds it; [] for anyone else. */
export function capabilitiesFor(record: InteractionRecord, viewer: string, ctx: ViewContext): string[] {
  if (record.owner !== viewer) return [];
  const valid = specModel().catalog.states[record.state]?.capabilities ?? [];
  const enabled = new Set<string>(enabledOperations(ctx.features).map((o) => o.operationName));
  return ctx.reading.capabilities(
    record,
    valid.filter((name: OperationName) => enabled.has(name)),
    ctx.features,
  );
}

export interface ViewContext {
  baseUrl: string;
  features: Features;
  reading: Reading;
}

/** What a vendor adds to its interactions (variant vendor-fields, AMB-EXTRA-FIELDS). */
const VENDOR_FIELDS = { mediaType: "email", participants: [], vendorExtension: { priority: 1 } };

/** The interaction resource (gws-facts: Interaction core fields) as `viewer` sees it. */
export function interactionView(record: InteractionRecord, viewer: string, ctx: ViewContext): Record<string, unknown> {
  const shows = ctx.reading.view;
  return {
    id: record.id,
    uri: `${ctx.baseUrl}/api/v2/interactions/${record.id}`,
    state: record.state,
    capabilities: capabilitiesFor(record, viewer, ctx),
    userData: record.userData,
    ...(shows.receivedDate ? { receivedDate: record.receivedDate } : {}),
    channel: record.mediaType,
    interactionType: capitalize(record.mediaType),
    interactionSubType: record.interactionSubType,
    currentQueue: record.currentQueue,
    ...(record.parentId && shows.parentId ? { parentId: record.parentId } : {}),
    ...(shows.vendorFields ? VENDOR_FIELDS : {}),
  };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** seed: the 8.5.1 InteractionStateMessage (id, state, capabilities, userData, channel, ... at the top level). */
function interactionStateMessage(view: Record<string, unknown>, referenceId?: number): Record<string, unknown> {
  const { uri: _uri, receivedDate: _date, ...fields } = view;
  return {
    messageTypeName: "InteractionStateMessage",
    ...fields,
    ...(referenceId !== undefined ? { referenceId } : {}),
  };
}

/** gws: the 8.5.2+ <Media>StateChangeMessage with the resource under its media key. */
function stateChangeMessage(
  view: Record<string, unknown>,
  mediaType: string,
  variant: NotificationVariant,
  referenceId?: number,
): Record<string, unknown> {
  return {
    messageType: `${capitalize(mediaType)}StateChangeMessage`,
    notificationType: variant === "userdata-change" ? "PropertiesUpdated" : "StatusChange",
    [mediaType]: view,
    ...(referenceId !== undefined ? { referenceId } : {}),
  };
}

export interface NotificationContext extends ViewContext {
  profile: Profile;
}

/** The data of one interaction notification of the given variant, for `recipient`. */
export function interactionNotification(
  record: InteractionRecord,
  recipient: string,
  variant: Exclude<NotificationVariant, "workbin-content">,
  ctx: NotificationContext,
  referenceId?: number,
): Record<string, unknown> {
  const view = interactionView(record, recipient, ctx);
  return ctx.profile === "seed" || ctx.reading.gwsForm851
    ? interactionStateMessage(view, referenceId)
    : stateChangeMessage(view, record.mediaType, variant, referenceId);
}

/** seed: the bare list of InteractionStateMessages; gws: {workbin, interactions, referenceId} (AMB-WORKBIN-CONTENT). */
export function workbinContentMessage(
  workbin: string,
  records: InteractionRecord[],
  recipient: string,
  ctx: NotificationContext,
  referenceId?: number,
): unknown {
  const items = records.map((r) => interactionStateMessage(interactionView(r, recipient, ctx)));
  return ctx.profile === "seed"
    ? items
    : { workbin, interactions: items, ...(referenceId !== undefined ? { referenceId } : {}) };
}

/** States in which an agent holds an interaction (catalog: heldBy "agent"). */
export function isHeldState(state: InteractionState): boolean {
  return heldBy(state) === "agent";
}
