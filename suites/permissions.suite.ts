// The permission matrix: no credentials, a wrong password, the admin on agent operations, the unprivileged
// user, agent2 acting on or reading agent1's interaction, agent2 receiving agent1's notifications (who may use the
// notification channel itself is suites/channel.suite.ts) — seed: every operation's Permissions column; gws-facts:
// Authentication and roles.
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { codes, endpointRefusal, refusalOf } from "../src/suite/expectations.js";
import { basicAuth } from "../src/client/basic-auth.js";
import { expectUnchanged } from "../src/suite/malformed.js";
import { interactionOf } from "../src/suite/interactions.js";
import { bodyFor, reach, snapshot } from "../src/suite/scenario.js";
import type { HttpAnswer } from "../src/suite/http.js";

useTarget();
const model = specModel();
const accept = model.operation("Accept");
const complete = model.operation("Complete");
const AUTH = ["AMB-AUTH-ERRORS", "AMB-ERROR-HTTP-STATUS", "AMB-ERROR-CODES", "AMB-ERROR-BODY"];

/**
 * Refused for authentication (AMB-AUTH-ERRORS): not applied (PROTO-HTTP-4XX-AUTH, the page's Agent permission):
 * any 4xx, or 200 with an error body; 401 or 403 is expected (decided); gws: a JSON body carries statusCode 20.
 */
function expectUnauthenticated(t: CheckContext, answer: HttpAnswer, what: string): void {
  t.expect("PROTO-HTTP-ANSWER", answer.status !== 0, () => `${what}: ${answer.error}.`);
  t.expect(
    "PROTO-HTTP-5XX",
    answer.status < 500,
    `${what} answered HTTP ${answer.status}; a missing credential is the client's mistake, never a 5xx.`,
  );
  const statusCode = (answer.body as { statusCode?: unknown } | undefined)?.statusCode;
  const refusedBy200 = answer.status === 200 && typeof statusCode === "number" && statusCode > 0;
  const refused = (answer.status >= 400 && answer.status < 500) || refusedBy200;
  t.expect(
    "PROTO-HTTP-4XX-AUTH",
    refused,
    `${what} was not refused: HTTP ${answer.status} ${answer.text.slice(0, 120)}.`,
  );
  t.expect(
    "AMB-AUTH-ERRORS",
    refusedBy200 || answer.status === 401 || answer.status === 403,
    `${what} was refused with HTTP ${answer.status}, not 401 or 403.`,
  );
  if (t.profile === "gws" && answer.body !== undefined) {
    t.expect(
      "FACT-ROLES",
      codes().unauthenticated.includes(statusCode as number),
      `${what} was refused with statusCode ${JSON.stringify(statusCode)}; gws-facts: not authenticated -> statusCode 20.`,
    );
  }
}

for (const [id, title, header] of [
  ["permissions.no-credentials", "Every endpoint refuses a request without credentials", undefined],
  ["permissions.wrong-password", "Every endpoint refuses a wrong password", "wrong"],
] as const) {
  check(
    {
      id,
      title,
      family: "permissions",
      requirements: ["REQ-OPS-1", "REQ-GET-1", "REQ-ME-URIS-2", "REQ-LIST-ALL-2", "FACT-AUTH", "PROTO-HTTP-4XX-AUTH"],
      ambiguities: AUTH,
      needs: { accounts: ["agent"] },
    },
    async (t: CheckContext) => {
      const interaction = await reach(t, "Invited");
      const before = await snapshot(t, interaction);
      const agent = t.config.accounts.agent!;
      const headers: Record<string, string> = header
        ? { Authorization: basicAuth(agent.username, `${agent.password}-${header}`) }
        : {};
      for (const [method, path] of [
        ["GET", "/api/v2/interactions"],
        ["GET", "/api/v2/me/interactions"],
        ["GET", `/api/v2/interactions/${interaction}`],
        ["POST", `/api/v2/me/interactions/${interaction}`],
      ] as const) {
        const answer = await t.send(null, method, path, method === "POST" ? { operationName: "Accept" } : undefined, {
          headers,
        });
        expectUnauthenticated(t, answer, `${method} ${path}`);
      }
      expectUnchanged(
        t,
        before,
        await snapshot(t, interaction),
        "request without valid credentials",
        "PROTO-HTTP-4XX-AUTH",
      );
    },
  );
}

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
    const id = await reach(t, "Invited");
    const before = await snapshot(t, id);
    t.expectRefusal(
      await t.operate(id, { operationName: "Accept" }, "admin"),
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
    const id = await reach(t, "Invited");
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
      await t.operate(id, { operationName: "Accept" }, "unprivileged"),
      refusalOf(t, accept, "REQ-OPS-1", [...codes().missingRole, ...codes().foreignInteraction]),
      "Accept by the unprivileged user",
    );
    expectUnchanged(t, before, await snapshot(t, id), "Accept by the unprivileged user", "REQ-OPS-1");
  },
);

for (const [state, op, clause] of [
  ["Invited", accept, "REQ-ACCEPT-1"],
  ["Processing", complete, "REQ-COMPLETE-1"],
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
      const id = await reach(t, state);
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
    const id = await reach(t, "Processing");
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
    const id = await reach(t, "Processing");
    await t.operate(id, { operationName: "AttachUserData", userData: { ConformanceMarker: "private" } });
    await t.operate(id, { operationName: "Complete" });
    await t.expectNotification("agent", id, {
      since: mine,
      clause: "FACT-NOTIFICATION-852",
      description: "the notification after Complete",
      match: (i) => i.state !== "Processing" && i.state !== "Invited" && i.state !== undefined,
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

check(
  {
    id: "permissions.csrf",
    title: "With CSRF protection, a write without the token is refused with HTTP 403 and changes nothing",
    family: "permissions",
    requirements: ["REQ-OPS-1", "FACT-AUTH", "FACT-HTTP-STATUS"],
    ambiguities: ["AMB-CSRF"],
    needs: { accounts: ["agent"], features: ["csrf"] },
  },
  async (t: CheckContext) => {
    const id = await reach(t, "Invited");
    const before = await snapshot(t, id);
    const agent = t.config.accounts.agent!;
    const answer = await t.send(
      null,
      "POST",
      `/api/v2/me/interactions/${id}`,
      { operationName: "Accept" },
      {
        headers: { Authorization: basicAuth(agent.username, agent.password) },
      },
    );
    t.expect(
      "FACT-HTTP-STATUS",
      answer.status === 403,
      `Accept without a CSRF token answered HTTP ${answer.status}, not 403.`,
    );
    expectUnchanged(t, before, await snapshot(t, id), "Accept without a CSRF token", "FACT-AUTH");
  },
);

check(
  {
    id: "permissions.put-interaction",
    title: "PUT /interactions/{id} requires credentials and refuses another agent's interaction",
    family: "permissions",
    operation: "put-interaction",
    requirements: ["REQ-PUT-1", "PROTO-HTTP-4XX-AUTH"],
    ambiguities: ["AMB-PUT-INTERACTION", ...AUTH],
    needs: { accounts: ["agent", "agent2"], features: ["putInteraction"] },
  },
  async (t: CheckContext) => {
    const id = await reach(t, "Processing");
    const before = await snapshot(t, id);
    const body = { userData: { ConformanceMarker: "put" } };
    expectUnauthenticated(
      t,
      await t.send(null, "PUT", `/api/v2/interactions/${id}`, body),
      `PUT /interactions/${id} without credentials`,
    );
    const foreign = t.expectRefusal(
      await t.send("agent2", "PUT", `/api/v2/interactions/${id}`, body),
      endpointRefusal("AMB-PUT-INTERACTION", codes().foreignInteraction),
      `PUT /interactions/${id} by agent2`,
    );
    const unknown = await t.send("agent", "PUT", "/api/v2/interactions/conformance-no-such-interaction", body);
    t.expect(
      "PROTO-HTTP-ANSWER",
      unknown.status !== 0,
      `PUT on an unknown interaction got no answer (${unknown.error}).`,
    );
    t.expect(
      "PROTO-HTTP-5XX",
      unknown.status < 500,
      `PUT on an unknown interaction answered ${unknown.status}; a client's mistake must never be a 5xx.`,
    );
    if (foreign === "refused") expectUnchanged(t, before, await snapshot(t, id), "PUT", "PROTO-HTTP-4XX-AUTH");
  },
);
