// Expectations shared by the suites, derived from the catalog: what a state's capabilities may and must list,
// how an operation's refusal in a state is judged, and which request readings explain a refusal.
import type { Operation } from "../generated/schema-types.js";
import { documentedCapabilities, isTerminal, specModel } from "../model/catalog.js";
import { isNormative, levelOf } from "../model/levels.js";
import type { Features } from "../runner/config.js";
import type { CheckContext, Clause, RefusalRule } from "./check.js";

const catalog = () => specModel().catalog;

/** Operations the target offers: the catalog's, less those whose feature is off. */
export function offered(features: Features): Operation[] {
  return catalog().operations.filter((o) => !o.feature || features[o.feature]);
}

/** The clause requiring `op` to be refused in `state`, if the catalog says it must be (refusedIn). */
export function refusalClause(op: Operation, state: string): Clause | undefined {
  return (op.refusedIn as Record<string, Clause | undefined>)[state];
}

/**
 * capabilities (AMB-CAPABILITIES): an array (FACT-RESOURCE); [] once terminal (FACT-RESOURCE); no operation
 * whose refusal in `state` is normative (FACT-CAPABILITIES: "operations valid now"), nor, as a warning, one whose
 * refusal is decided; an invitation offers Accept and Reject (FACT-NOTIFICATION-852); the documented sample's
 * operations that are valid there are expected, as a warning (decided). Names outside this API are ignored.
 */
export function expectCapabilities(t: CheckContext, state: string, capabilities: unknown, what: string): void {
  if (!t.expect("FACT-RESOURCE", Array.isArray(capabilities), `${what} has no capabilities array.`)) return;
  const list = capabilities as string[];
  const shown = JSON.stringify(list);
  if (isTerminal(state)) {
    t.expect(
      "FACT-RESOURCE",
      list.length === 0,
      `${what} in the terminal state ${state} lists capabilities ${shown}; gws-facts: '[] once terminal'.`,
    );
    return;
  }
  const listed = catalog().operations.filter((o) => list.includes(o.operationName));
  for (const op of listed) {
    const clause = refusalClause(op, state);
    if (clause && isNormative(levelOf(clause))) {
      t.expect(
        "FACT-CAPABILITIES",
        false,
        `${what} in state ${state} lists ${op.operationName}, which is not valid there (${clause}); capabilities list operations valid now.`,
      );
    } else if (clause) {
      t.warn(
        "AMB-CAPABILITIES",
        `${what} in state ${state} lists ${op.operationName}, which the register decides is refused there (${clause}).`,
      );
    }
  }
  if (state === catalog().offeredIn) {
    // FACT-NOTIFICATION-852's sample invitation is the catalog's documented capabilities of the offered state.
    const invitation = documentedCapabilities(catalog().offeredIn);
    const missing = invitation.filter((n) => !list.includes(n));
    t.expect(
      "FACT-NOTIFICATION-852",
      missing.length === 0,
      `${what} in state ${state} lists capabilities ${shown}, without ${missing.join(" and ")}; a new invitation has capabilities [${invitation.join(", ")}].`,
    );
    return;
  }
  t.expect("FACT-CAPABILITIES", true, "");
  const documented = documentedCapabilities(state);
  const expected = offered(t.config.features).filter(
    (o) => documented.includes(o.operationName) && o.validIn.includes(state as never),
  );
  const missing = expected.map((o) => o.operationName).filter((n) => !list.includes(n));
  t.expect(
    "AMB-CAPABILITIES",
    missing.length === 0,
    `${what} in state ${state} lists capabilities ${shown}, without ${missing.join(", ")} of GWS's documented sample for that state.`,
  );
}

/** The rule for `op`'s refusal: its profile's failure envelope and the clause that envelope rests on. */
export function refusalOf(t: CheckContext, op: Operation, clause: Clause, codes?: number[]): RefusalRule {
  return { clause, failure: op.response[t.profile].failure, envelope: op.envelope[t.profile] as Clause, codes };
}

/** GET and PUT refusals use the statusCode failure envelope in both profiles (AMB-GET-ENVELOPE, FACT-ENVELOPE-1). */
export function endpointRefusal(clause: Clause, codes?: number[]): RefusalRule {
  return { clause, failure: ["responses/statuscode-error.json"], envelope: "FACT-ENVELOPE-1", codes };
}

/** Where the profiles read the request itself differently, a refusal of the suite's request is explained by these. */
export const REQUEST_AMBIGUITIES = [
  "AMB-DELETE-KEYS",
  "AMB-TRANSFER-TARGET",
  "AMB-TRANSFER-NAME",
  "AMB-USERDATA-INPUT",
  "AMB-WORKBIN-OPS",
];

/** The gws statusCodes of a refusal (AMB-ERROR-CODES). */
export const codes = () => catalog().errorCodes;
