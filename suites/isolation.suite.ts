// Each operation acts on the interaction it is posted to and on nothing else: the agent's other interaction and
// the other agent's interaction read the same before and after, and stay in their lists — seed: 'The following
// operations are supported on me/interactions/{id}' (REQ-OPS-1), each an operation on that interaction.
import { Op, State } from "../src/generated/vocabulary.js";
import { specModel } from "../src/model/catalog.js";
import type { AccountRole } from "../src/runner/config.js";
import { check, useTarget, type CheckContext, type Clause } from "../src/suite/check.js";
import { canonical, shown } from "../src/suite/malformed.js";
import {
  bodyFor,
  needsOf,
  reach,
  createReply,
  snapshot,
  succeeded,
  type ReachableState,
} from "../src/suite/scenario.js";

useTarget();
const { catalog } = specModel();

/** What the owner observes of a bystander: the interaction itself and whether its list still holds it. */
async function observe(t: CheckContext, id: string, role: AccountRole): Promise<string> {
  const seen = await snapshot(t, id, role);
  const list = await t.get("/api/v2/me/interactions", role);
  const listed = ((list.body as { uris?: string[] } | undefined)?.uris ?? []).some((u) =>
    u.endsWith(`/interactions/${id}`),
  );
  return canonical({ ...seen, listed });
}

for (const op of catalog.operations) {
  const state = op.validIn[0] as ReachableState;
  const needs = needsOf(op);
  check(
    {
      id: `${op.id}.touches-only-its-interaction`,
      title: `${op.title} changes neither the agent's other interaction nor the other agent's`,
      family: "success",
      operation: op.id,
      requirements: ["REQ-OPS-1", op.validClause],
      ambiguities: ["AMB-USERDATA-SEMANTICS"],
      needs: { ...needs, accounts: ["agent", "agent2"] },
    },
    async (t: CheckContext) => {
      const id = await reach(t, state);
      const bystanders = [
        {
          role: "agent" as const,
          id: await reach(t, State.Processing, "agent"),
          whose: "the agent's other interaction",
        },
        { role: "agent2" as const, id: await reach(t, State.Processing, "agent2"), whose: "agent2's interaction" },
      ];
      // userData the operations could overwrite or delete if they reached the wrong interaction.
      for (const b of bystanders)
        await t.operate(
          b.id,
          { operationName: Op.AttachUserData, userData: { ConformanceMarker: `bystander-${b.id}` } },
          b.role,
        );
      const before = await Promise.all(bystanders.map((b) => observe(t, b.id, b.role)));
      const answer = op.outcome.creates
        ? (await createReply(t, id, op)).answer
        : await t.operate(id, bodyFor(t, op, op.outcome.userData === "delete" ? "conformance" : `m-${id}`));
      t.expect(
        op.validClause as Clause,
        succeeded(t, op, answer),
        `${op.title} in state ${state} answered HTTP ${answer.status || answer.error}.`,
      );
      for (const [i, b] of bystanders.entries()) {
        const after = await observe(t, b.id, b.role);
        t.expect(
          "REQ-OPS-1",
          after === before[i],
          () =>
            `${op.title} on ${id} changed ${b.whose} ${b.id}: before ${shown(before[i], 300)}, after ${shown(after, 300)}.`,
        );
      }
    },
  );
}
