// The permission matrix: no credentials, a wrong password, the admin on agent operations, the unprivileged
// user, agent2 acting on or reading agent1's interaction, and agent2 receiving agent1's notifications.
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { codes } from "../src/suite/expectations.js";
import { basicAuth } from "../src/client/basic-auth.js";
import { expectUnchanged } from "../src/suite/malformed.js";
import { interactionOf } from "../src/suite/interactions.js";
import { bodyFor, reach, snapshot } from "../src/suite/scenario.js";
import type { HttpAnswer } from "../src/suite/http.js";

useTarget();
const model = specModel();
const accept = model.operation("Accept");
const complete = model.operation("Complete");
const AUTH = ["AMB-AUTH-ERRORS", "AMB-ERROR-HTTP-STATUS", "AMB-ERROR-CODES"];

/** Refused for authentication: 401 or 403, or 200 with an error body; gws: statusCode 20 when JSON (AMB-AUTH-ERRORS). */
function expectUnauthenticated(t: CheckContext, answer: HttpAnswer, what: string): void {
  if (answer.status === 0) t.fail(`${what}: ${answer.error}.`);
  const statusCode = (answer.body as { statusCode?: unknown } | undefined)?.statusCode;
  const refusedBy200 = answer.status === 200 && typeof statusCode === "number" && statusCode > 0;
  if (answer.status !== 401 && answer.status !== 403 && !refusedBy200) t.fail(`${what} was not refused: HTTP ${answer.status}.`);
  if (t.profile === "gws" && answer.body !== undefined && !codes().unauthenticated.includes(statusCode as number)) {
    t.fail(`${what} was refused with statusCode ${JSON.stringify(statusCode)}; the gws profile documents ${codes().unauthenticated.join(" or ")} (AMB-AUTH-ERRORS).`);
  }
}

for (const [id, title, header] of [
  ["permissions.no-credentials", "Every endpoint refuses a request without credentials", undefined],
  ["permissions.wrong-password", "Every endpoint refuses a wrong password", "wrong"],
] as const) {
  check({ id, title, family: "permissions", requirements: ["REQ-OPS-1", "REQ-GET-1", "REQ-ME-URIS-2", "REQ-LIST-ALL-2"], ambiguities: AUTH, needs: { accounts: ["agent"] } }, async (t: CheckContext) => {
    const interaction = await reach(t, "Invited");
    const before = await snapshot(t, interaction);
    const agent = t.config.accounts.agent!;
    const headers: Record<string, string> = header ? { Authorization: basicAuth(agent.username, `${agent.password}-${header}`) } : {};
    for (const [method, path] of [
      ["GET", "/api/v2/interactions"],
      ["GET", "/api/v2/me/interactions"],
      ["GET", `/api/v2/interactions/${interaction}`],
      ["POST", `/api/v2/me/interactions/${interaction}`],
    ] as const) {
      const answer = await t.send(null, method, path, method === "POST" ? { operationName: "Accept" } : undefined, { headers });
      expectUnauthenticated(t, answer, `${method} ${path}`);
    }
    const after = await snapshot(t, interaction);
    expectUnchanged(t, before, after, "request without valid credentials", AUTH);
  });
}

check(
  { id: "permissions.admin-on-agent-operations", title: "The Contact Center Admin (not an Agent) cannot act on an agent's interaction", family: "permissions", operation: "accept", requirements: ["REQ-OPS-1"], ambiguities: ["AMB-ADMIN-ROLE", ...AUTH], needs: { accounts: ["agent", "admin"] } },
  async (t: CheckContext) => {
    const id = await reach(t, "Invited");
    const before = await snapshot(t, id);
    t.expectRefusal(await t.operate(id, { operationName: "Accept" }, "admin"), accept.response[t.profile].failure, "Accept by the admin", [...codes().missingRole, ...codes().foreignInteraction]);
    const mine = await t.get("/api/v2/me/interactions", "admin");
    if (mine.status === 200) t.fail("GET /me/interactions answered 200 to the admin, who holds no Agent role (AMB-ADMIN-ROLE).");
    t.expectRefusal(mine, ["responses/statuscode-error.json"], "GET /me/interactions by the admin", codes().missingRole);
    expectUnchanged(t, before, await snapshot(t, id), "Accept by the admin", ["AMB-ADMIN-ROLE", ...AUTH]);
  },
);

check(
  { id: "permissions.unprivileged", title: "A user with neither role is refused the lists and the operations", family: "permissions", requirements: ["REQ-OPS-1", "REQ-ME-URIS-2", "REQ-LIST-ALL-2"], ambiguities: ["AMB-ADMIN-ROLE", ...AUTH], needs: { accounts: ["agent", "unprivileged"] } },
  async (t: CheckContext) => {
    const id = await reach(t, "Invited");
    for (const path of ["/api/v2/interactions", "/api/v2/me/interactions"]) {
      t.expectRefusal(await t.get(path, "unprivileged"), ["responses/statuscode-error.json"], `GET ${path} by the unprivileged user`, codes().missingRole);
    }
    t.expectRefusal(await t.operate(id, { operationName: "Accept" }, "unprivileged"), accept.response[t.profile].failure, "Accept by the unprivileged user", [...codes().missingRole, ...codes().foreignInteraction]);
    if ((await snapshot(t, id)).state !== "Invited") t.fail("The unprivileged user's refused Accept changed the interaction.");
  },
);

for (const [state, op] of [["Invited", accept], ["Processing", complete]] as const) {
  check(
    { id: `permissions.foreign-interaction.${op.id}`, title: `agent2 cannot ${op.title} agent1's interaction`, family: "permissions", operation: op.id, requirements: ["REQ-ACCEPT-3", "REQ-OPS-1"], ambiguities: AUTH, needs: { accounts: ["agent", "agent2"] } },
    async (t: CheckContext) => {
      const id = await reach(t, state);
      const before = await snapshot(t, id);
      t.expectRefusal(await t.operate(id, bodyFor(t, op), "agent2"), op.response[t.profile].failure, `${op.title} by agent2 on agent1's interaction`, codes().foreignInteraction);
      expectUnchanged(t, before, await snapshot(t, id), `${op.title} by agent2 on agent1's interaction`, AUTH);
    },
  );
}

check(
  { id: "permissions.foreign-read", title: "agent2 can neither read agent1's interaction nor see it in its lists", family: "permissions", operation: "get-interaction", requirements: ["REQ-GET-1", "REQ-ME-URIS-1", "REQ-ME-FULL-1"], ambiguities: AUTH, needs: { accounts: ["agent", "agent2"] } },
  async (t: CheckContext) => {
    const id = await reach(t, "Processing");
    t.expectRefusal(await t.get(`/api/v2/interactions/${id}`, "agent2"), ["responses/statuscode-error.json"], `GET /interactions/${id} by agent2`, codes().foreignInteraction);
    const uris = await t.get("/api/v2/me/interactions", "agent2");
    if (((uris.body as { uris?: string[] })?.uris ?? []).some((u) => u.endsWith(`/interactions/${id}`))) t.fail(`agent2's GET /me/interactions lists agent1's interaction ${id}.`);
    const full = await t.get("/api/v2/me/interactions?fields=*", "agent2");
    if (((full.body as { interactions?: { id: string }[] })?.interactions ?? []).some((i) => i.id === id)) t.fail(`agent2's GET /me/interactions?fields=* lists agent1's interaction ${id}.`);
  },
);

check(
  { id: "permissions.foreign-notifications", title: "agent2 receives none of the notifications of agent1's interaction", family: "permissions", requirements: ["REQ-ACCEPT-6"], ambiguities: ["AMB-NOTIFICATION-NAMES"], needs: { accounts: ["agent", "agent2"] } },
  async (t: CheckContext) => {
    const since = await t.mark("agent2");
    const id = await reach(t, "Processing");
    await t.operate(id, { operationName: "AttachUserData", userData: { ConformanceMarker: "private" } });
    await t.operate(id, { operationName: "Complete" });
    await t.expectNotification("agent", id, { since: 0, description: "the removal after Complete", match: (i) => i.state === "Completed" || i.state === "Revoked" });
    // The fence: an invitation to agent2 sent after all of agent1's events; nothing about id may precede it.
    const fence = await t.provision("agent2");
    const client = await t.notifications("agent2");
    await client.expectNothingBefore(
      (n) => interactionOf(n.data)?.id === id || JSON.stringify(n.data).includes(id),
      (n) => interactionOf(n.data)?.id === fence,
      { since, within: t.config.timeouts.notificationMs, description: `agent1's interaction ${id} reaching agent2` },
    );
  },
);

check(
  { id: "permissions.csrf", title: "With CSRF protection, a write without the token is refused with HTTP 403 and changes nothing", family: "permissions", requirements: ["REQ-OPS-1"], ambiguities: ["AMB-CSRF"], needs: { accounts: ["agent"], features: ["csrf"] } },
  async (t: CheckContext) => {
    const id = await reach(t, "Invited");
    const agent = t.config.accounts.agent!;
    const answer = await t.send(null, "POST", `/api/v2/me/interactions/${id}`, { operationName: "Accept" }, {
      headers: { Authorization: basicAuth(agent.username, agent.password) },
    });
    if (answer.status !== 403) t.fail(`Accept without a CSRF token answered HTTP ${answer.status}, not 403 (AMB-CSRF).`);
    if ((await snapshot(t, id)).state !== "Invited") t.fail("The refused Accept changed the interaction.");
  },
);

check(
  { id: "permissions.put-interaction", title: "PUT /interactions/{id} requires credentials and refuses another agent's interaction", family: "permissions", operation: "put-interaction", requirements: ["REQ-PUT-1"], ambiguities: ["AMB-PUT-INTERACTION", ...AUTH], needs: { accounts: ["agent", "agent2"], features: ["putInteraction"] } },
  async (t: CheckContext) => {
    const id = await reach(t, "Processing");
    const before = await snapshot(t, id);
    const body = { userData: { ConformanceMarker: "put" } };
    expectUnauthenticated(t, await t.send(null, "PUT", `/api/v2/interactions/${id}`, body), `PUT /interactions/${id} without credentials`);
    t.expectRefusal(await t.send("agent2", "PUT", `/api/v2/interactions/${id}`, body), ["responses/statuscode-error.json"], `PUT /interactions/${id} by agent2`, codes().foreignInteraction);
    const unknown = await t.send("agent", "PUT", "/api/v2/interactions/conformance-no-such-interaction", body);
    if (unknown.status >= 500 || unknown.status === 0) t.fail(`PUT on an unknown interaction answered ${unknown.status || unknown.error}; a client's mistake must never be a 5xx.`);
    expectUnchanged(t, before, await snapshot(t, id), "PUT", ["AMB-PUT-INTERACTION", ...AUTH]);
  },
);
