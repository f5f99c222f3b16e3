// Each operation called in each reachable state where it is not valid. Where the catalog's refusedIn names the
// clause of its precondition (seed: 'This operation can be performed after ...' of each operation), it must be
// refused with the profile's failure envelope and change nothing; a decided clause only warns when performed.
// Where neither source rules it out (AMB-STATE-PRECONDITIONS), either answer passes, and a refusal changes nothing.
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { codes, refusalClause, refusalOf } from "../src/suite/expectations.js";
import { acceptedOrRefused, expectUnchanged } from "../src/suite/malformed.js";
import { bodyFor, featuresTo, needsOf, reach, REACHABLE_STATES, snapshot } from "../src/suite/scenario.js";

useTarget();
const { catalog, ambiguity } = specModel();
const cancelPrecondition = ambiguity("AMB-CANCEL-PRECONDITION");

for (const op of catalog.operations) {
  for (const state of REACHABLE_STATES.filter((s) => !op.validIn.includes(s))) {
    const needs = needsOf(op);
    const stateFeatures = featuresTo(state);
    const clause = refusalClause(op, state);
    const base = {
      family: "preconditions" as const,
      operation: op.id,
      requirements: [...new Set([...op.requirements, ...(clause && !clause.startsWith("AMB-") ? [clause] : [])])],
      ambiguities: [
        "AMB-STATE-PRECONDITIONS",
        "AMB-ERROR-HTTP-STATUS",
        "AMB-ERROR-CODES",
        "AMB-ERROR-BODY",
        "AMB-ENVELOPE",
        ...(cancelPrecondition.affects.operations?.includes(op.id) ? [cancelPrecondition.id] : []),
        ...(clause?.startsWith("AMB-") ? [clause] : []),
      ],
      needs: { ...needs, features: [...(needs.features ?? []), ...stateFeatures] },
    };
    const what = `${op.title} in state ${state}`;
    if (!clause) {
      check(
        {
          ...base,
          id: `${op.id}.when-${state.toLowerCase()}`,
          title: `${op.title} on an interaction in state ${state} is performed or refused (the sources allow either); a refusal changes nothing`,
        },
        async (t: CheckContext) => {
          const id = await reach(t, state);
          const before = await snapshot(t, id);
          const answer = await t.operate(id, bodyFor(t, op));
          const rule = refusalOf(t, op, "AMB-STATE-PRECONDITIONS", codes().invalidState);
          if (
            acceptedOrRefused(
              t,
              answer,
              rule,
              what,
              "gws-facts documents it as available there (AMB-STATE-PRECONDITIONS)",
            ) === "refused"
          ) {
            expectUnchanged(t, before, await snapshot(t, id), what, rule.envelope);
          }
        },
      );
      continue;
    }
    check(
      {
        ...base,
        id: `${op.id}.refused-when-${state.toLowerCase()}`,
        title: `${op.title} is refused on an interaction in state ${state}, changing nothing`,
      },
      async (t: CheckContext) => {
        const id = await reach(t, state);
        const before = await snapshot(t, id);
        const answer = await t.operate(id, bodyFor(t, op));
        // An interaction the agent no longer holds may also be refused as forbidden or not found (AMB-ERROR-CODES).
        const held = catalog.states[state]?.heldBy === "agent";
        const allowed = held
          ? codes().invalidState
          : [...new Set([...codes().invalidState, ...codes().foreignInteraction, ...codes().unknownInteraction])];
        const rule = refusalOf(t, op, clause, allowed);
        if (t.expectRefusal(answer, rule, what) === "refused") {
          // A refusal means the operation failed (its Failed output): nothing changed, whatever decided the refusal.
          expectUnchanged(t, before, await snapshot(t, id), what, rule.envelope);
        }
      },
    );
  }
}
