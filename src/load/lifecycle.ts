// The lifecycle each agent drives (offered, Accept, AttachUserData, Complete), its record per interaction, and
// the matcher of a notification about an interaction in a state.
import type { ReceivedNotification } from "../client/notifications.js";
import { Op } from "../generated/vocabulary.js";
import { specModel } from "../model/catalog.js";
import { requestBody } from "../model/requests.js";
import { interactionOf } from "../suite/interactions.js";
import type { TargetConfig } from "../suite/run-context.js";

/** Matches a message about interaction `id` in `state`. */
export const inState = (id: string, state: string) => (m: ReceivedNotification) => {
  const i = interactionOf(m.data);
  return i?.id === id && i.state === state;
};

/** A lifecycle step: the operation sent with its body (none for the hook's invitation) and the state its notification carries. */
export interface Step {
  operation?: string;
  body?: Record<string, unknown>;
  state: string;
}

/** The lifecycle, each request body built once and each notification's state taken from the catalog. */
export function lifecycle(config: TargetConfig, marker: string): Step[] {
  const model = specModel();
  const resources = {
    queue: config.resources.queues[0]!,
    workbin: config.resources.workbins[0]!,
    target: { id: "", uri: "" },
    marker,
  };
  const step = (operation: string): Step => {
    const op = model.operation(operation);
    return {
      operation,
      body: requestBody(op, config.profile, resources),
      // The state the step's notification (or else its outcome) names: the catalog states one for each of these.
      state: (op.notifications[0]?.state ?? op.outcome.state)!,
    };
  };
  return [{ state: model.catalog.offeredIn }, ...[Op.Accept, Op.AttachUserData, Op.Complete].map(step)];
}

export interface Lifecycle {
  id: string;
  agent: string;
  /** Steps whose request succeeded (1: offered, not yet accepted); only their notifications are expected. */
  performed: number;
  /** The next step's request got no answer: the target may or may not have done it. */
  uncertain?: boolean;
}
