// Permissions, credentials: no credentials and a wrong password on every endpoint, a write without the CSRF token,
// and PUT /interactions/{id} without credentials or by another agent — gws-facts: Authentication and roles.
import { Op, State } from "../src/generated/vocabulary.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { codes, endpointRefusal } from "../src/suite/expectations.js";
import { basicAuth } from "../src/client/basic-auth.js";
import { expectUnchanged } from "../src/suite/malformed.js";
import { AUTH, expectUnauthenticated } from "../src/suite/permissions.js";
import { reach, snapshot } from "../src/suite/scenario.js";

useTarget();

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
      const interaction = await reach(t, State.Invited);
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
        const answer = await t.send(null, method, path, method === "POST" ? { operationName: Op.Accept } : undefined, {
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
    id: "permissions.csrf",
    title: "With CSRF protection, a write without the token is refused with HTTP 403 and changes nothing",
    family: "permissions",
    requirements: ["REQ-OPS-1", "FACT-AUTH", "FACT-HTTP-STATUS"],
    ambiguities: ["AMB-CSRF"],
    needs: { accounts: ["agent"], features: ["csrf"] },
  },
  async (t: CheckContext) => {
    const id = await reach(t, State.Invited);
    const before = await snapshot(t, id);
    const agent = t.config.accounts.agent!;
    const answer = await t.send(
      null,
      "POST",
      `/api/v2/me/interactions/${id}`,
      { operationName: Op.Accept },
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
    const id = await reach(t, State.Processing);
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
