// The reference server's CometD notifications, received by real CometD clients (one per agent, each with its
// own cookie jar): every operation's notifications reach the right agent in the profile's form, and never
// another agent; shutdown ends held long polls at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth } from "../src/client/basic-auth.js";
import { HandshakeFailed, NotificationClient } from "../src/client/notifications.js";
import { PROFILES, specModel } from "../src/model/catalog.js";
import { interactionOf, variantViolations, workbinContentOf } from "../src/suite/interactions.js";
import { startReferenceServer } from "../src/reference/server.js";
import { ReferenceHarness } from "./support/reference.js";

const { catalog } = specModel();
const WITHIN = 2000;

describe.each(PROFILES)("reference server notifications, %s profile", (profile) => {
  let ref: ReferenceHarness;
  let agent1: NotificationClient;
  let agent2: NotificationClient;
  const connect = (username: string) => {
    const a = ref.server.account(username);
    return NotificationClient.connect({
      url: ref.server.notificationsUrl,
      username,
      password: a.password,
      label: username,
    });
  };
  beforeAll(async () => {
    ref = await ReferenceHarness.start({ profile });
    [agent1, agent2] = await Promise.all([connect("agent1"), connect("agent2")]);
  });
  afterAll(async () => {
    await Promise.all([agent1?.disconnect(), agent2?.disconnect()]);
    await ref.close();
  });

  it("invites the agent when the hook provisions, in the profile's invitation form", async () => {
    const since = agent1.cursor();
    const id = await ref.provision();
    const n = await agent1.waitFor((m) => interactionOf(m.data)?.id === id, { within: WITHIN, since });
    expect(variantViolations(profile, "invitation", n.data)).toEqual([]);
    expect(
      profile === "seed"
        ? (n.data as { messageTypeName?: string }).messageTypeName
        : (n.data as { messageType?: string }).messageType,
    ).toBe(profile === "seed" ? "InteractionStateMessage" : "EmailStateChangeMessage");
  });

  it.each(catalog.operations.map((o) => [o.operationName, o] as const))(
    "%s notifies as the catalog says, and nobody else",
    async (_name, op) => {
      // Reach the op's state through the API, then watch both agents from here on.
      const state = op.validIn[0]!;
      const id = await ref.reach(state as "Invited");
      const placed = op.operationName === "GetWorkbinContent" ? await ref.reach("InWorkbin") : undefined;
      // reach() returns on the HTTP answers; its last notification may still be on its way: let it arrive first.
      await agent1.waitFor((m) => interactionOf(m.data)?.id === id && interactionOf(m.data)?.state === state, {
        within: WITHIN,
        since: 0,
      });
      if (placed)
        await agent1.waitFor(
          (m) => interactionOf(m.data)?.id === placed && interactionOf(m.data)?.state === "InWorkbin",
          { within: WITHIN, since: 0 },
        );
      const since1 = agent1.cursor();
      const since2 = agent2.cursor();
      const res = await ref.perform(id, op.operationName);
      for (const expected of op.notifications) {
        const client = expected.to === "actor" ? agent1 : agent2;
        const since = expected.to === "actor" ? since1 : since2;
        const n = await client.waitFor(
          (m) =>
            expected.variant === "workbin-content"
              ? (workbinContentOf(m.data)?.interactions.some((i) => i.id === placed) ?? false)
              : expected.variant === "created"
                ? interactionOf(m.data)?.parentId === id
                : interactionOf(m.data)?.id === id,
          { within: WITHIN, since, description: `${op.operationName}'s ${expected.variant} to the ${expected.to}` },
        );
        expect(variantViolations(profile, expected.variant, n.data)).toEqual([]);
        if (expected.state) expect(interactionOf(n.data)?.state ?? expected.state).toBe(expected.state);
        if (profile === "gws" && expected.to === "actor" && expected.variant !== "workbin-content") {
          expect(interactionOf(n.data)?.referenceId).toBe(res.body.referenceId);
        }
      }
      if (!op.notifications.some((e) => e.to === "target")) {
        // agent2 hears nothing of it: an invitation to agent2 sent afterwards is the fence.
        const fence = await ref.provision("agent2");
        await agent2.expectNothingBefore(
          (m) => JSON.stringify(m.data).includes(id),
          (m) => interactionOf(m.data)?.id === fence,
          { within: WITHIN, since: since2, description: `agent1's ${id} reaching agent2` },
        );
      }
    },
  );

  it("refuses a handshake with a wrong password", async () => {
    await expect(
      NotificationClient.connect({
        url: ref.server.notificationsUrl,
        username: "agent1",
        password: "wrong",
        handshakeTimeoutMs: 2000,
      }),
    ).rejects.toBeInstanceOf(HandshakeFailed);
  });
});

describe("shutdown", () => {
  it("ends held long polls at once: close() returns well before the hold time", async () => {
    const server = await startReferenceServer({ longPollHoldMs: 20_000 });
    const a = server.account("agent1");
    const client = await NotificationClient.connect({
      url: server.notificationsUrl,
      username: a.username,
      password: a.password,
    });
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(2000);
    await client.disconnect();
  });

  it("refuses an oversized Bayeux request with 413, a malformed one with 400, an anonymous handshake in Bayeux", async () => {
    const server = await startReferenceServer({});
    try {
      const a = server.account("agent1");
      const auth = basicAuth(a.username, a.password);
      const big = await fetch(server.notificationsUrl, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: `[${"1,".repeat(40_000)}1]`,
      });
      expect(big.status).toBe(413);
      const bad = await fetch(server.notificationsUrl, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: "{nope",
      });
      expect(bad.status).toBe(400);
      // Without credentials the handshake is refused in Bayeux (AMB-CHANNEL-REFUSAL), not with an HTTP status.
      const handshake = { channel: "/meta/handshake", version: "1.0", supportedConnectionTypes: ["long-polling"] };
      const anonymous = await fetch(server.notificationsUrl, { method: "POST", body: JSON.stringify([handshake]) });
      expect(anonymous.status).toBe(200);
      expect(await anonymous.json()).toMatchObject([
        { successful: false, error: "403::handshake_denied", advice: { reconnect: "none" } },
      ]);
    } finally {
      await server.close();
    }
  });

  it("refuses a session's clientId sent without credentials, or with another agent's, and queues it nothing", async () => {
    const h = await ReferenceHarness.start({});
    const server = h.server;
    try {
      let browser = ""; // cometd's BAYEUX_BROWSER cookie, which finds the session; a thief would copy it too
      const post = async (as: string | undefined, messages: object[]) => {
        const a = as ? server.account(as) : undefined;
        const r = await fetch(server.notificationsUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            cookie: browser,
            ...(a ? { authorization: basicAuth(a.username, a.password) } : {}),
          },
          body: JSON.stringify(messages),
        });
        browser ||=
          r.headers
            .getSetCookie()
            .find((c) => c.startsWith("BAYEUX_BROWSER="))
            ?.split(";")[0] ?? "";
        return (await r.json()) as { channel: string; successful?: boolean; clientId?: string; error?: string }[];
      };
      const [hs] = await post("agent1", [
        { channel: "/meta/handshake", version: "1.0", supportedConnectionTypes: ["long-polling"] },
      ]);
      const clientId = hs!.clientId!;
      const subscribe = { channel: "/meta/subscribe", clientId, subscription: "/v2/me/interactions" };
      const connect = { channel: "/meta/connect", clientId, connectionType: "long-polling", advice: { timeout: 0 } };
      for (const as of [undefined, "agent2"]) {
        expect(await post(as, [subscribe]), `as ${as ?? "nobody"}`).toMatchObject([{ successful: false }]);
      }
      expect(await post("agent1", [subscribe])).toMatchObject([{ successful: true }]);
      const id = await h.provision();
      const stolen = await post("agent2", [connect]);
      expect(stolen).toMatchObject([{ channel: "/meta/connect", successful: false }]);
      expect(JSON.stringify(stolen)).not.toContain(id);
      // The session's own user still gets what was queued for it.
      expect(JSON.stringify(await post("agent1", [connect]))).toContain(id);
    } finally {
      await h.close();
    }
  });
});
