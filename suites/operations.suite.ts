// Each operation's success path: HTTP status, the profile's envelope, and what it leads to (state via GET,
// capabilities, ownership, userData) — seed: the operations table and each operation's section.
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { expectCapabilities, REQUEST_AMBIGUITIES } from "../src/suite/expectations.js";
import { bodyFor, needsOf, reach, type ReachableState } from "../src/suite/scenario.js";

useTarget();
const { catalog } = specModel();
const ENVELOPE_AMBIGUITIES = ["AMB-ENVELOPE", "AMB-EMPTY-200", "AMB-EXTRA-FIELDS", "AMB-RESPONSE-GARBLE"];
const refusedBecause = (op: (typeof catalog.operations)[number]) => {
  const related = op.ambiguities.filter((a) => REQUEST_AMBIGUITIES.includes(a));
  return related.length > 0 ? ` The request follows the profile's reading of the page: see ${related.join(", ")}.` : "";
};

for (const op of catalog.operations) {
  const state = op.validIn[0] as ReachableState;
  const base = { operation: op.id, requirements: op.requirements, ambiguities: op.ambiguities, needs: needsOf(op) };

  check({ ...base, id: `${op.id}.envelope`, title: `${op.title} answers success with the profile's envelope`, family: "envelope" }, async (t: CheckContext) => {
    const id = await reach(t, state);
    const answer = await t.operate(id, bodyFor(t, op));
    if (answer.status < 200 || answer.status > 299) t.fail(`${op.title} in state ${state} answered HTTP ${answer.status || answer.error}.${refusedBecause(op)}`);
    const responses = op.response[t.profile];
    if (responses.emptySuccessAllowed && answer.text.trim() === "") {
      t.note("The body was empty, which the page allows for this operation (AMB-EMPTY-200).");
      return;
    }
    t.expectBody(responses.success, answer, `${op.title}'s success body`, op.ambiguities.filter((a) => ENVELOPE_AMBIGUITIES.includes(a)));
  });

  check({ ...base, id: `${op.id}.success`, title: `${op.title} in state ${state} leads to its outcome`, family: "success" }, async (t: CheckContext) => {
    const marker = `m-${Math.random().toString(36).slice(2, 10)}`;
    const id = await reach(t, state);
    if (op.outcome.userData === "delete" || op.outcome.userData === "update") {
      const seeded = await t.operate(id, { operationName: "AttachUserData", userData: { ConformanceMarker: "before" } });
      if (seeded.status !== 200) t.fail(`AttachUserData, used to seed the key to ${op.title.replace("UserData", "")}, answered ${seeded.status}.`);
    }
    const answer = await t.operate(id, bodyFor(t, op, marker));
    const expected = op.operationName === "Accept" || op.operationName === "Reject" ? [200] : undefined;
    if (expected ? !expected.includes(answer.status) : answer.status < 200 || answer.status > 299) {
      t.fail(`${op.title} in state ${state} answered HTTP ${answer.status || answer.error}${expected ? "; the page says HTTP 200" : ""}.${refusedBecause(op)}`);
    }
    const mine = await t.get("/api/v2/me/interactions?fields=*");
    const listed = ((mine.body as { interactions?: { id: string; parentId?: string; state?: string }[] })?.interactions ?? []);
    const inMine = listed.some((i) => i.id === id);

    if (op.outcome.holder === "actor") {
      if (!inMine) t.fail(`After ${op.title} the interaction is missing from the agent's /me/interactions?fields=*.`);
      const seen = await t.get(`/api/v2/interactions/${id}`);
      const interaction = (seen.body as { interaction?: Record<string, unknown> })?.interaction;
      if (seen.status !== 200 || !interaction) t.fail(`After ${op.title}, GET /interactions/${id} answered ${seen.status}.`);
      const after = op.outcome.state ?? state;
      if (interaction.state !== after) t.fail(`After ${op.title} the state is ${String(interaction.state)}, not ${after}.`);
      expectCapabilities(t, after, interaction.capabilities, `After ${op.title} the interaction`);
      const userData = (interaction.userData ?? {}) as Record<string, unknown>;
      if ((op.outcome.userData === "attach" || op.outcome.userData === "update") && userData.ConformanceMarker !== marker) {
        t.fail(`After ${op.title} userData.ConformanceMarker is ${JSON.stringify(userData.ConformanceMarker)}, not ${JSON.stringify(marker)}.`);
      }
      if (op.outcome.userData === "delete" && "ConformanceMarker" in userData) t.fail(`After ${op.title} the deleted key ConformanceMarker is still in userData.`);
      if (op.outcome.userData === "delete" && !("ConformanceCheck" in userData)) t.fail(`${op.title} deleted the key ConformanceCheck it was not given.`);
      if (op.outcome.creates) {
        const child = listed.find((i) => i.parentId === id);
        if (!child) t.fail(`After ${op.title} no interaction with parentId ${id} is in the agent's list.`);
        if (child.state !== op.outcome.creates) t.fail(`The interaction ${op.title} created is in state ${String(child.state)}, not ${op.outcome.creates}.`);
      }
      return;
    }

    // The agent no longer holds it (seed: Complete/PlaceInQueue 'ends the agent's ownership').
    if (inMine) t.fail(`After ${op.title} the interaction is still in the agent's /me/interactions?fields=*.`);
    const seen = await t.get(`/api/v2/interactions/${id}`);
    const interaction = (seen.body as { interaction?: Record<string, unknown> })?.interaction;
    if (seen.status === 200 && interaction) {
      if (op.outcome.state && interaction.state !== op.outcome.state) t.fail(`After ${op.title} the state is ${String(interaction.state)}, not ${op.outcome.state}.`);
      if (op.outcome.holder === "none" && Array.isArray(interaction.capabilities) && interaction.capabilities.length > 0) {
        t.fail(`After ${op.title} the agent still has capabilities ${JSON.stringify(interaction.capabilities)}.`);
      }
      if (op.outcome.userData === "workbin" && (interaction.userData as Record<string, unknown> | undefined)?.Workbin !== t.config.resources.workbins[0]) {
        t.fail(`After ${op.title} userData.Workbin is not the workbin's name (AMB-WORKBIN-OPS).`);
      }
    } else {
      t.note(`After ${op.title} the agent can no longer read the interaction (HTTP ${seen.status}).`);
      if (op.outcome.state === "InWorkbin" || op.outcome.state === "Completed") {
        t.note("Its resulting state could not be read back; the notification checks verify it.");
      }
    }
    if (op.outcome.holder === "target") {
      const theirs = await t.get(`/api/v2/interactions/${id}`, "agent2");
      const target = (theirs.body as { interaction?: Record<string, unknown> })?.interaction;
      if (theirs.status !== 200 || !target) t.fail(`After ${op.title} the target agent cannot read the interaction (HTTP ${theirs.status}).`);
      if (target.state !== "Invited") t.fail(`After ${op.title} the target sees state ${String(target.state)}, not Invited.`);
      expectCapabilities(t, "Invited", target.capabilities, `After ${op.title} the target's interaction`);
    }
  });
}
