// Bad input, parameters: each operation without a required parameter, with a parameter of the wrong JSON type, and
// on an interaction that does not exist. A refusal is a 4xx or a 200 with the failure envelope, never a 5xx, and
// changes nothing (AMB-ERROR-HTTP-STATUS, AMB-ERROR-CODES).
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext, type Clause } from "../src/suite/check.js";
import { codes, refusalOf, REQUEST_AMBIGUITIES } from "../src/suite/expectations.js";
import { expectUnchanged, requiredParameters, shown, wrongTypeValue } from "../src/suite/malformed.js";
import { runContext } from "../src/suite/run-context.js";
import { bodyFor, needsOf, reach, snapshot, type ReachableState } from "../src/suite/scenario.js";

useTarget();
const { catalog } = specModel();
// The request schema, and so the parameters, depend on the profile (AMB-DELETE-KEYS, AMB-TRANSFER-TARGET).
const profile = runContext().profile;
const REFUSAL = ["AMB-ERROR-HTTP-STATUS", "AMB-ERROR-CODES", "AMB-ERROR-BODY", "AMB-ENVELOPE"];
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

for (const op of catalog.operations) {
  const state = op.validIn[0] as ReachableState;
  const ambiguities = [...REFUSAL, ...op.ambiguities.filter((a) => REQUEST_AMBIGUITIES.includes(a))];
  const base = {
    family: "bad-input" as const,
    operation: op.id,
    requirements: op.requirements,
    ambiguities,
    needs: needsOf(op),
  };

  for (const param of requiredParameters(op, profile)) {
    // Check ids are lower-case (the CLI's --only accepts [a-z0-9*-] segments): queueName -> queue-name.
    const slug = kebab(param);
    check(
      {
        ...base,
        id: `${op.id}.missing-${slug}`,
        title: `${op.title} without its required ${param} is refused, changing nothing`,
      },
      async (t: CheckContext) => {
        const id = await reach(t, state);
        const body = bodyFor(t, op);
        delete body[param];
        const before = await snapshot(t, id);
        const answer = await t.operate(id, body);
        const what = `${op.title} without ${param} (${shown(body)}) on an interaction in state ${state}`;
        const clause = op.requestClause[t.profile] as Clause;
        if (t.expectRefusal(answer, refusalOf(t, op, clause, codes().missingParameter), what) === "refused")
          expectUnchanged(t, before, await snapshot(t, id), what, op.envelope[t.profile] as Clause);
      },
    );

    check(
      {
        ...base,
        id: `${op.id}.wrong-type-${slug}`,
        title: `${op.title} with ${param} of the wrong JSON type is refused, changing nothing`,
      },
      async (t: CheckContext) => {
        const id = await reach(t, state);
        const body = { ...bodyFor(t, op), [param]: wrongTypeValue(op, t.profile, param) };
        const before = await snapshot(t, id);
        const answer = await t.operate(id, body);
        const what = `${op.title} with ${param} of the wrong type (${shown(body)}) on an interaction in state ${state}`;
        const clause = op.requestClause[t.profile] as Clause;
        if (t.expectRefusal(answer, refusalOf(t, op, clause, codes().invalidParameter), what) === "refused")
          expectUnchanged(t, before, await snapshot(t, id), what, op.envelope[t.profile] as Clause);
      },
    );
  }

  check(
    {
      ...base,
      id: `${op.id}.unknown-interaction`,
      title: `${op.title} on an interaction id that does not exist is refused`,
    },
    async (t: CheckContext) => {
      const id = `0000NoSuch${Math.random().toString(36).slice(2, 12)}`;
      const body = bodyFor(t, op);
      const answer = await t.operate(id, body);
      const what = `${op.title} (${shown(body)}) on the unknown interaction id ${id}`;
      t.expectRefusal(answer, refusalOf(t, op, "REQ-OPS-1", codes().unknownInteraction), what);
    },
  );
}
