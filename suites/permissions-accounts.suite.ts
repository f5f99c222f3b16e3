// Permissions, accounts: the admin on agent operations, the user with neither role, agent2 acting on, reading or
// receiving the notifications of agent1's interaction (who may use the notification channel itself is
// suites/channel-*.suite.ts) — seed: every operation's Permissions column; gws-facts: Authentication and roles.
import { Op, State } from "../src/generated/vocabulary.js";
import { heldBy, specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { codes, endpointRefusal, refusalOf } from "../src/suite/expectations.js";
import { expectUnchanged } from "../src/suite/malformed.js";
import { interactionOf } from "../src/suite/interactions.js";
import { AUTH } from "../src/suite/permissions.js";
import { bodyFor, reach, snapshot } from "../src/suite/scenario.js";

useTarget();
const model = specModel();
const accept = model.operation(Op.Accept);
const complete = model.operation(Op.Complete);

check(
  {
    id: "permissions.admin-on-agent-operations",
    title: "The Contact Center Admin (not an Agent) cannot act on an agent's interaction",
    family: "permissions",
    operation: "accept",
    requirements: ["REQ-OPS-1", "REQ-ME-URIS-2", "FACT-ROLES"],
    ambiguities: ["AMB-ADMIN-ROLE", ...AUTH],
    needs: { accounts: ["agent", "admin"] },
  },
  async (t: CheckContext) => {
    const id = await reach(t, State.Invited);
    const before = await snapshot(t, id);
    t.expectRefusal(
      await t.operate(id, { operationName: Op.Accept }, "admin"),
      refusalOf(t, accept, "REQ-OPS-1", [...codes().missingRole, ...codes().foreignInteraction]),
      "Accept by the admin",
    );
    t.expectRefusal(
      await t.get("/api/v2/me/interactions", "admin"),
      endpointRefusal("REQ-ME-URIS-2", codes().missingRole),
      "GET /me/interactions by the admin, who holds no Agent role",
    );
    expectUnchanged(t, before, await snapshot(t, id), "Accept by the admin", "REQ-OPS-1");
  },
);

check(
  {
    id: "permissions.unprivileged",
    title: "A user with neither role is refused the lists and the operations",
    family: "permissions",
    requirements: ["REQ-OPS-1", "REQ-ME-URIS-2", "REQ-LIST-ALL-2", "FACT-ROLES"],
    ambiguities: ["AMB-ADMIN-ROLE", ...AUTH],
    needs: { accounts: ["agent", "unprivileged"] },
  },
  async (t: CheckContext) => {
    const id = await reach(t, State.Invited);
    const before = await snapshot(t, id);
    t.expectRefusal(
      await t.get("/api/v2/interactions", "unprivileged"),
      endpointRefusal("REQ-LIST-ALL-2", codes().missingRole),
      "GET /api/v2/interactions by the unprivileged user",
    );
    t.expectRefusal(
      await t.get("/api/v2/me/interactions", "unprivileged"),
      endpointRefusal("REQ-ME-URIS-2", codes().missingRole),
      "GET /api/v2/me/interactions by the unprivileged user",
    );
    t.expectRefusal(
      await t.operate(id, { operationName: Op.Accept }, "unprivileged"),
      refusalOf(t, accept, "REQ-OPS-1", [...codes().missingRole, ...codes().foreignInteraction]),
      "Accept by the unprivileged user",
    );
    expectUnchanged(t, before, await snapshot(t, id), "Accept by the unprivileged user", "REQ-OPS-1");
  },
);

for (const [op, clause] of [
  [accept, "REQ-ACCEPT-1"],
  [complete, "REQ-COMPLETE-1"],
] as const) {
  check(
    {
      id: `permissions.foreign-interaction.${op.id}`,
      title: `agent2 cannot ${op.title} agent1's interaction`,
      family: "permissions",
      operation: op.id,
      requirements: ["REQ-ACCEPT-3", "REQ-OPS-1", clause],
      ambiguities: AUTH,
      needs: { accounts: ["agent", "agent2"] },
    },
    async (t: CheckContext) => {
      const id = await reach(t, op.validIn[0]!);
      const before = await snapshot(t, id);
      // agent2 never received the invitation (Accept) nor accepted it (Complete): the precondition does not hold for it.
      t.expectRefusal(
        await t.operate(id, bodyFor(t, op), "agent2"),
        refusalOf(t, op, clause, codes().foreignInteraction),
        `${op.title} by agent2 on agent1's interaction`,
      );
      expectUnchanged(t, before, await snapshot(t, id), `${op.title} by agent2 on agent1's interaction`, clause);
    },
  );
}

check(
  {
    id: "permissions.foreign-read",
    title: "agent2 does not see agent1's interaction in its lists, and cannot read it",
    family: "permissions",
    operation: "get-interaction",
    requirements: ["REQ-GET-1", "REQ-ME-URIS-1", "REQ-ME-FULL-1"],
    ambiguities: [...AUTH, "AMB-FOREIGN-READ"],
    needs: { accounts: ["agent", "agent2"] },
  },
  async (t: CheckContext) => {
    const id = await reach(t, State.Processing);
    const uris = await t.get("/api/v2/me/interactions", "agent2");
    t.expect(
      "REQ-ME-URIS-1",
      !((uris.body as { uris?: string[] })?.uris ?? []).some((u) => u.endsWith(`/interactions/${id}`)),
      `agent2's GET /me/interactions lists agent1's interaction ${id}.`,
    );
    const full = await t.get("/api/v2/me/interactions?fields=*", "agent2");
    t.expect(
      "REQ-ME-FULL-1",
      !((full.body as { interactions?: { id: string }[] })?.interactions ?? []).some((i) => i.id === id),
      `agent2's GET /me/interactions?fields=* lists agent1's interaction ${id}.`,
    );
    t.expectRefusal(
      await t.get(`/api/v2/interactions/${id}`, "agent2"),
      endpointRefusal("AMB-FOREIGN-READ", codes().foreignInteraction),
      `GET /interactions/${id} by agent2`,
    );
  },
);

check(
  {
    id: "permissions.foreign-notifications",
    title: "agent2 receives none of the notifications of agent1's interaction",
    family: "permissions",
    requirements: ["REQ-ACCEPT-6", "FACT-NOTIFICATIONS"],
    ambiguities: ["AMB-NOTIFICATION-NAMES"],
    needs: { accounts: ["agent", "agent2"] },
  },
  async (t: CheckContext) => {
    const since = await t.mark("agent2");
    const mine = await t.mark("agent");
    const id = await reach(t, State.Processing);
    await t.operate(id, { operationName: Op.AttachUserData, userData: { ConformanceMarker: "private" } });
    await t.operate(id, { operationName: Op.Complete });
    await t.expectNotification("agent", id, {
      since: mine,
      clause: "FACT-NOTIFICATION-852",
      description: "the notification after Complete",
      match: (i) => i.state !== undefined && heldBy(i.state) !== "agent",
    });
    // The fence: an invitation to agent2 sent after all of agent1's events; nothing about id may precede it.
    const fence = await t.provision("agent2");
    await t.expectNoneBefore(
      "agent2",
      (n) => interactionOf(n.data)?.id === id || JSON.stringify(n.data).includes(id),
      (n) => interactionOf(n.data)?.id === fence,
      {
        since,
        clause: "FACT-NOTIFICATIONS",
        description: `agent1's interaction ${id} reaching agent2`,
      },
    );
  },
);
