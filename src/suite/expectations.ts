// Expectations shared by the suites, derived from the catalog: which capabilities a state must and must not
// list, and what a request's refusal must carry.
import type { Operation } from "../generated/schema-types.js";
import { specModel } from "../model/catalog.js";
import type { Features } from "../runner/config.js";
import type { CheckContext } from "./check.js";

const catalog = () => specModel().catalog;

/** Operations the target offers: the catalog's, less those whose feature is off. */
export function offered(features: Features): Operation[] {
  return catalog().operations.filter((o) => !o.feature || features[o.feature]);
}

/**
 * capabilities must list every offered operation valid in `state` and none that is invalid there; names outside
 * this API (e.g. SetInFocus) are ignored (AMB-STATE-PRECONDITIONS).
 */
export function expectCapabilities(t: CheckContext, state: string, capabilities: unknown, what: string): void {
  if (!Array.isArray(capabilities)) t.fail(`${what} has no capabilities array.`);
  const list = capabilities as string[];
  const known = new Set(catalog().operations.map((o) => o.operationName as string));
  const valid = offered(t.config.features).filter((o) => o.validIn.includes(state as never)).map((o) => o.operationName as string);
  const missing = valid.filter((name) => !list.includes(name));
  const invalid = list.filter((name) => known.has(name) && !catalog().operations.find((o) => o.operationName === name)!.validIn.includes(state as never));
  if (missing.length > 0 || invalid.length > 0) {
    t.fail(
      `${what} in state ${state} lists capabilities ${JSON.stringify(list)}: ` +
        [missing.length ? `missing ${missing.join(", ")}` : "", invalid.length ? `not valid in ${state}: ${invalid.join(", ")}` : ""].filter(Boolean).join("; ") +
        " (AMB-STATE-PRECONDITIONS).",
    );
  }
}

/** Where the profiles read the request itself differently, a refusal of the suite's request is explained by these. */
export const REQUEST_AMBIGUITIES = ["AMB-DELETE-KEYS", "AMB-TRANSFER-TARGET", "AMB-TRANSFER-NAME", "AMB-USERDATA-INPUT", "AMB-WORKBIN-OPS"];

/** The gws statusCodes of a refusal (AMB-ERROR-CODES). */
export const codes = () => catalog().errorCodes;
