// Each operation's success path: HTTP status, the profile's envelope, and what it leads to (state via GET,
// capabilities, ownership, userData) — seed: the operations table and each operation's section. Each expectation
// names its clause; where only the register decided (AMB-*), a different answer is a warning.
import { Op, State } from "../src/generated/vocabulary.js";
import type { Operation } from "../src/generated/schema-types.js";
import { isTerminal, specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext, type Clause } from "../src/suite/check.js";
import { expectCapabilities, REQUEST_AMBIGUITIES } from "../src/suite/expectations.js";
import type { HttpAnswer } from "../src/suite/http.js";
import { interactionOf } from "../src/suite/interactions.js";
import { bodyFor, needsOf, reach, createReply, succeeded, type ReachableState } from "../src/suite/scenario.js";

useTarget();
const { catalog } = specModel();
const ENVELOPE_AMBIGUITIES = [
  "AMB-ENVELOPE",
  "AMB-EMPTY-200",
  "AMB-EXTRA-FIELDS",
  "AMB-RESPONSE-GARBLE",
  "AMB-SUCCESS-HTTP-STATUS",
];
const refusedBecause = (op: Operation) => {
  const related = op.ambiguities.filter((a) => REQUEST_AMBIGUITIES.includes(a));
  return related.length > 0 ? ` The request follows the profile's reading of the page: see ${related.join(", ")}.` : "";
};
/** Accept and Reject: 'A successful request results in an empty HTTP 200 response' (AMB-SUCCESS-HTTP-STATUS). */
const HTTP_200: Record<string, Clause> = { Accept: "REQ-ACCEPT-5", Reject: "REQ-REJECT-3" };

/** The operation was performed in its valid state: `validClause`, and for Accept and Reject exactly HTTP 200. */
function expectPerformed(t: CheckContext, op: Operation, state: string, answer: HttpAnswer): void {
  t.expect(
    op.validClause as Clause,
    succeeded(t, op, answer),
    () =>
      `${op.title} in state ${state} answered ${answer.status ? `HTTP ${answer.status} ${answer.text.slice(0, 160)}` : answer.error}.${refusedBecause(op)}`,
  );
  const exact = HTTP_200[op.operationName];
  if (exact)
    t.expect(
      exact,
      answer.status === 200,
      `${op.title} answered HTTP ${answer.status}; the page says a successful request results in an HTTP 200 response.`,
    );
}

type Resource = Record<string, unknown> & { id?: string; state?: string; userData?: Record<string, unknown> };
const resourceOf = (answer: HttpAnswer) => (answer.body as { interaction?: Resource } | undefined)?.interaction;
const listOf = (answer: HttpAnswer) =>
  ((answer.body as { interactions?: unknown[] } | undefined)?.interactions ?? []).map(
    (i) => interactionOf(i) ?? (i as Resource),
  );

for (const op of catalog.operations) {
  const state = op.validIn[0] as ReachableState;
  const base = { operation: op.id, requirements: op.requirements, ambiguities: op.ambiguities, needs: needsOf(op) };

  check(
    {
      ...base,
      id: `${op.id}.envelope`,
      title: `${op.title} answers success with the profile's envelope`,
      family: "envelope",
    },
    async (t: CheckContext) => {
      const id = await reach(t, state);
      const answer = op.outcome.creates ? (await createReply(t, id, op)).answer : await t.operate(id, bodyFor(t, op));
      expectPerformed(t, op, state, answer);
      const responses = op.response[t.profile];
      if (responses.emptySuccessAllowed && answer.text.trim() === "") {
        t.note("The body was empty, which the page allows for this operation (AMB-EMPTY-200).");
        return;
      }
      t.expectBody(
        responses.success,
        answer,
        `${op.title}'s success body`,
        op.envelope[t.profile] as Clause,
        op.ambiguities.filter((a) => ENVELOPE_AMBIGUITIES.includes(a)),
      );
    },
  );

  check(
    { ...base, id: `${op.id}.success`, title: `${op.title} in state ${state} leads to its outcome`, family: "success" },
    async (t: CheckContext) => {
      const marker = `m-${Math.random().toString(36).slice(2, 10)}`;
      const id = await reach(t, state);
      let before = "conformance";
      if (op.outcome.userData === "delete" || op.outcome.userData === "update") {
        before = `before-${marker}`;
        const seeded = await t.operate(id, {
          operationName: Op.AttachUserData,
          userData: { ConformanceMarker: before },
        });
        if (!succeeded(t, specModel().operation(Op.AttachUserData), seeded))
          t.fail(
            "REQ-USERDATA-1",
            `AttachUserData, used to seed the key to ${op.title.replace("UserData", "")}, answered ${seeded.status}.`,
          );
      }
      let reply: string | undefined;
      if (op.outcome.creates) {
        const made = await createReply(t, id, op);
        expectPerformed(t, op, state, made.answer);
        reply = made.reply?.id;
      } else {
        expectPerformed(
          t,
          op,
          state,
          await t.operate(id, bodyFor(t, op, op.outcome.userData === "delete" ? before : marker)),
        );
      }
      const listed = listOf(await t.get("/api/v2/me/interactions?fields=*"));
      const inMine = listed.some((i) => i.id === id);

      if (op.outcome.holder === "actor") {
        t.expect(
          "REQ-ME-FULL-1",
          inMine,
          `After ${op.title} the interaction, still the agent's, is missing from its /me/interactions?fields=*.`,
        );
        const seen = await t.get(`/api/v2/interactions/${id}`);
        const interaction = resourceOf(seen);
        if (!interaction)
          t.fail(
            "FACT-SINGULAR",
            `After ${op.title}, GET /interactions/${id} answered ${seen.status} without an interaction.`,
          );
        const after = op.outcome.state ?? state;
        t.expect(
          op.outcome.stateClause as Clause,
          interaction.state === after,
          `After ${op.title} the state is ${String(interaction.state)}, not ${after}.`,
        );
        expectCapabilities(t, String(interaction.state), interaction.capabilities, `After ${op.title} the interaction`);
        const userData = (interaction.userData ?? {}) as Record<string, unknown>;
        if (op.outcome.userData === "attach" || op.outcome.userData === "update") {
          t.expect(
            "FACT-USERDATA",
            userData.ConformanceMarker === marker,
            `After ${op.title} userData.ConformanceMarker is ${JSON.stringify(userData.ConformanceMarker)}, not ${JSON.stringify(marker)}.`,
          );
          t.expect(
            "FACT-USERDATA",
            "ConformanceCheck" in userData,
            `${op.title} removed the key ConformanceCheck it was not given.`,
          );
        }
        if (op.outcome.userData === "delete") {
          t.expect(
            "FACT-DELETE-KEYS",
            !("ConformanceMarker" in userData),
            `After ${op.title} the deleted key ConformanceMarker is still in userData.`,
          );
          t.expect(
            "FACT-DELETE-KEYS",
            "ConformanceCheck" in userData,
            `${op.title} deleted the key ConformanceCheck it was not given.`,
          );
        }
        if (op.outcome.creates) {
          if (!reply) t.fail("FACT-REPLY-NOTIFICATION", `After ${op.title} no new reply was notified.`);
          const child = listed.find((i) => i.id === reply);
          t.expect(
            "FACT-REPLY",
            child !== undefined,
            `The reply ${reply} that ${op.title} created is not in the agent's /me/interactions?fields=*.`,
          );
          t.expect(
            "FACT-REPLY",
            child?.state === op.outcome.creates,
            `The reply ${op.title} created is in state ${String(child?.state)}, not ${op.outcome.creates}.`,
          );
        }
        return;
      }

      // The agent no longer holds it (seed: Complete/PlaceInQueue 'ends the agent's ownership').
      const leaves = op.outcome.leavesClause as Clause;
      t.expect(leaves, !inMine, `After ${op.title} the interaction is still in the agent's /me/interactions?fields=*.`);
      const seen = await t.get(`/api/v2/interactions/${id}`);
      const interaction = resourceOf(seen);
      if (seen.status === 200 && interaction) {
        if (op.outcome.state)
          t.expect(
            op.outcome.stateClause as Clause,
            interaction.state === op.outcome.state,
            `After ${op.title} the state is ${String(interaction.state)}, not ${op.outcome.state}.`,
          );
        if (op.operationName === Op.Complete)
          t.expect(
            "REQ-COMPLETE-3",
            !op.validIn.includes(interaction.state as never),
            `After Complete the interaction is still ${String(interaction.state)}.`,
          );
        const terminal = isTerminal(interaction.state);
        const capabilities = Array.isArray(interaction.capabilities) ? interaction.capabilities : [];
        t.expect(
          terminal ? "FACT-RESOURCE" : "AMB-RELEASED-READ",
          capabilities.length === 0,
          `After ${op.title} the agent still has capabilities ${JSON.stringify(capabilities)} (state ${String(interaction.state)}).`,
        );
        if (op.outcome.userData === "workbin") {
          t.expect(
            "FACT-WORKBIN",
            interaction.userData?.Workbin === t.config.resources.workbins[0],
            `After ${op.title} userData.Workbin is ${JSON.stringify(interaction.userData?.Workbin)}, not the workbin's name.`,
          );
        }
      } else {
        t.note(
          `After ${op.title} the agent can no longer read the interaction (HTTP ${seen.status}; AMB-RELEASED-READ allows it).`,
        );
      }
      if (op.outcome.holder === "target") {
        const theirs = await t.get(`/api/v2/interactions/${id}`, "agent2");
        const target = resourceOf(theirs);
        if (!target)
          t.fail(
            "REQ-TRANSFER-1",
            `After ${op.title} the target agent cannot read the interaction (HTTP ${theirs.status}).`,
          );
        const targetList = listOf(await t.get("/api/v2/me/interactions?fields=*", "agent2"));
        t.expect(
          "REQ-TRANSFER-1",
          targetList.some((i) => i.id === id),
          `After ${op.title} the interaction is not in the target agent's /me/interactions?fields=*.`,
        );
        t.expect(
          "AMB-TRANSFER-OUTCOME",
          target.state === State.Invited,
          `After ${op.title} the target sees state ${String(target.state)}, not Invited.`,
        );
        expectCapabilities(t, String(target.state), target.capabilities, `After ${op.title} the target's interaction`);
      }
    },
  );
}
