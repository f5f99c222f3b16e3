// No check passes vacuously: for each check family, a reference server broken in that family's way makes the
// family's checks fail (a route, a hook or the notifier of the reference server overridden in the test),
// while the checks it does not break still pass.
import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { runAgainst } from "./support/conformance.js";

const params = (request: FastifyRequest) => request.params as { id?: string };
const operationName = (request: FastifyRequest) =>
  (request.body as { operationName?: string } | undefined)?.operationName;
const username = (request: FastifyRequest) => request.principal?.account.username;

describe("checks fail against a server that breaks them", () => {
  it("envelope: an extra member in Accept's success body is a warning of accept.envelope (seed: decided, AMB-EXTRA-FIELDS)", async () => {
    const run = await runAgainst(
      {
        profile: "seed",
        configure: (app) =>
          app.addHook("onSend", async (request, _reply, payload) =>
            request.method === "POST" && payload === '{"status":"ok"}' ? '{"status":"ok","extra":1}' : payload,
          ),
      },
      ["--only", "accept.envelope,accept.success"],
    );
    expect(run.exitCode).toBe(0);
    expect(run.check("accept.envelope").outcome).toBe("warning");
    expect(run.check("accept.envelope").reason).toMatch(
      /carries extra beyond the members the page prints .*\[decided: AMB-EXTRA-FIELDS\]/,
    );
    expect(run.check("accept.envelope").expectations).toContainEqual(
      expect.objectContaining({ clause: "AMB-EXTRA-FIELDS", level: "decided", outcome: "warned" }),
    );
    expect(run.check("accept.envelope").expectations).toContainEqual(
      expect.objectContaining({ clause: "REQ-ACCEPT-8", level: "page", outcome: "held" }),
    );
    expect(run.check("accept.success").outcome).toBe("passed");
  });

  it("success: PlaceInQueue that answers ok but keeps the interaction fails place-in-queue.success", async () => {
    const run = await runAgainst(
      {
        profile: "gws",
        configure: (app, engine) =>
          app.addHook("onResponse", async (request, reply) => {
            if (reply.statusCode !== 200 || operationName(request) !== "PlaceInQueue") return;
            const record = engine.store.get(params(request).id!)!;
            record.owner = record.lastHolder;
            record.state = "Processing";
          }),
      },
      ["--only", "place-in-queue.success,place-in-queue.envelope"],
    );
    expect(run.exitCode).toBe(1);
    expect(run.check("place-in-queue.success").outcome).toBe("failed");
    expect(run.check("place-in-queue.success").reason).toMatch(/still in the agent's/);
    expect(run.check("place-in-queue.envelope").outcome).toBe("passed");
  });

  it("notifications: a Complete whose notification is never sent fails complete.notifies-actor", async () => {
    const run = await runAgainst(
      {
        profile: "seed",
        configure: (_app, engine) => {
          const deliver = engine.deliver;
          engine.deliver = (user, data) => {
            if ((data as { state?: string }).state !== "Completed") deliver(user, data);
          };
        },
      },
      ["--only", "complete.notifies-actor,accept.notifies-actor"],
    );
    expect(run.check("complete.notifies-actor").outcome).toBe("failed");
    expect(run.check("complete.notifies-actor").reason).toMatch(/timed out/);
    expect(run.check("accept.notifies-actor").outcome).toBe("passed");
  });

  it("notifications: a duplicated notification is a warning of accept.notifies-actor (exactly once is decided: AMB-NOTIFICATION-SEQUENCE)", async () => {
    const run = await runAgainst(
      {
        profile: "gws",
        configure: (_app, engine) => {
          const deliver = engine.deliver;
          engine.deliver = (user, data) => {
            deliver(user, data);
            if ((data as { email?: { state?: string } }).email?.state === "Processing") deliver(user, data);
          };
        },
      },
      ["--only", "accept.notifies-actor"],
    );
    expect(run.check("accept.notifies-actor").outcome).toBe("warning");
    expect(run.check("accept.notifies-actor").reason).toMatch(
      /the same state-change \(Processing\) notification a second time .*\[decided: AMB-NOTIFICATION-SEQUENCE\]/,
    );
  });

  it("preconditions: Accept allowed on an accepted interaction fails accept.refused-when-processing", async () => {
    const run = await runAgainst(
      {
        profile: "seed",
        configure: (app, engine) =>
          app.addHook("preHandler", async (request) => {
            const record =
              request.method === "POST" && params(request).id ? engine.store.get(params(request).id!) : undefined;
            if (record && operationName(request) === "Accept" && record.state === "Processing")
              record.state = "Invited";
          }),
      },
      ["--only", "accept.refused-when-processing,accept.refused-when-completed"],
    );
    expect(run.check("accept.refused-when-processing").outcome).toBe("failed");
    expect(run.check("accept.refused-when-completed").outcome).toBe("passed");
  });

  it("permissions: agent2 allowed to act on agent1's interaction fails permissions.foreign-interaction.accept", async () => {
    const run = await runAgainst(
      {
        profile: "gws",
        configure: (app, engine) =>
          app.addHook("preHandler", async (request) => {
            const record =
              request.method === "POST" && params(request).id ? engine.store.get(params(request).id!) : undefined;
            if (record && username(request) === "agent2" && record.owner === "agent1") record.owner = "agent2";
          }),
      },
      ["--only", "permissions.foreign-interaction.accept,permissions.foreign-read"],
    );
    expect(run.check("permissions.foreign-interaction.accept").outcome).toBe("failed");
    expect(run.check("permissions.foreign-read").outcome).toBe("passed");
  });

  it("permissions: agent1's notifications also sent to agent2 fail permissions.foreign-notifications", async () => {
    const run = await runAgainst(
      {
        profile: "seed",
        configure: (_app, engine) => {
          const deliver = engine.deliver;
          engine.deliver = (user, data) => {
            deliver(user, data);
            if (user === "agent1") deliver("agent2", data);
          };
        },
      },
      ["--only", "permissions.foreign-notifications"],
    );
    expect(run.check("permissions.foreign-notifications").outcome).toBe("failed");
  });

  it("lists: a URI list that leaves out the agent's interactions fails lists.list-my-interaction-uris", async () => {
    const run = await runAgainst(
      {
        profile: "seed",
        configure: (app) =>
          app.addHook("onSend", async (request, _reply, payload) =>
            request.url === "/api/v2/me/interactions" && typeof payload === "string"
              ? payload.replace(/"uris":\[[^\]]*\]/, '"uris":[]')
              : payload,
          ),
      },
      ["--only", "lists.list-my-interaction-uris,lists.list-my-interactions"],
    );
    expect(run.check("lists.list-my-interaction-uris").outcome).toBe("failed");
    expect(run.check("lists.list-my-interactions").outcome).toBe("passed");
  });
});
