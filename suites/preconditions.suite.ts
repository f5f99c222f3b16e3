// Each operation called in each reachable state where it is not valid: refused with the profile's failure
// envelope, and nothing changes — seed: 'This operation can be performed after ...' of each operation.
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { codes } from "../src/suite/expectations.js";
import { expectUnchanged } from "../src/suite/malformed.js";
import { bodyFor, needsOf, reach, REACHABLE_STATES, snapshot, STATE_FEATURE } from "../src/suite/scenario.js";

useTarget();
const { catalog } = specModel();

for (const op of catalog.operations) {
  for (const state of REACHABLE_STATES.filter((s) => !op.validIn.includes(s))) {
    const needs = needsOf(op);
    const stateFeature = STATE_FEATURE[state];
    check(
      {
        id: `${op.id}.refused-when-${state.toLowerCase()}`,
        title: `${op.title} is refused on an interaction in state ${state}, changing nothing`,
        family: "preconditions",
        operation: op.id,
        requirements: op.requirements,
        ambiguities: ["AMB-STATE-PRECONDITIONS", "AMB-ERROR-HTTP-STATUS", "AMB-ERROR-CODES", "AMB-ENVELOPE", ...(op.operationName === "Cancel" ? ["AMB-CANCEL-PRECONDITION"] : [])],
        needs: { ...needs, features: [...(needs.features ?? []), ...(stateFeature ? [stateFeature] : [])] },
      },
      async (t: CheckContext) => {
        const id = await reach(t, state);
        const before = await snapshot(t, id);
        const answer = await t.operate(id, bodyFor(t, op));
        // An interaction the agent no longer holds may also be refused as forbidden or not found (AMB-ERROR-CODES).
        const held = catalog.states[state]?.heldBy === "agent";
        const allowed = held ? codes().invalidState : [...codes().invalidState, ...codes().foreignInteraction, ...codes().unknownInteraction];
        t.expectRefusal(answer, op.response[t.profile].failure, `${op.title} in state ${state}`, allowed);
        expectUnchanged(t, before, await snapshot(t, id), `${op.title} in state ${state}`, ["AMB-STATE-PRECONDITIONS"]);
      },
    );
  }
}
