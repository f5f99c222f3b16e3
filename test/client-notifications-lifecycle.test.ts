// The per-agent CometD notification client's lifecycle (against a small real CometD server, no fixed sleeps):
// handshake failures that name what went wrong, re-subscribing after a re-handshake, and bounded disconnects.
import { describe, expect, it } from "vitest";
import { HandshakeFailed, NotificationClient } from "../src/client/notifications.js";
import { startMiniCometd, startSilentServer, unusedPort } from "./support/mini-cometd.js";
import { connect, hasN, server, useMiniCometd, USERS } from "./support/notification-client.js";

useMiniCometd();

/** Resolves with the next subscription confirmation (true when re-established). */
const nextSubscription = (client: NotificationClient) =>
  new Promise<boolean>((resolve) => {
    const stop = client.onSubscribed((reestablished) => {
      stop();
      resolve(reestablished);
    });
  });

describe("NotificationClient", () => {
  it("a wrong password fails the handshake with the label and the Bayeux error, never the password", async () => {
    const error = await NotificationClient.connect({
      url: server.url,
      username: "agent1",
      password: "wrong-pass-42",
      label: "agent1 (wrong)",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandshakeFailed);
    const message = (error as Error).message;
    expect(message).toContain("agent1 (wrong)");
    expect(message).toContain(server.url);
    expect(message).toContain("403::handshake_denied");
    expect(message).not.toContain("wrong-pass-42");
    expect(message).not.toContain(Buffer.from("agent1:wrong-pass-42").toString("base64"));
    expect(server.sessionCount("agent1")).toBe(0);
  });

  it("an HTTP 401 fails the handshake with the status", async () => {
    const error = await NotificationClient.connect({
      url: server.url,
      username: "nobody",
      password: "pw-nobody",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandshakeFailed);
    expect((error as Error).message).toMatch(/^nobody: .*HTTP 401/);
    expect((error as Error).message).not.toContain("pw-nobody");
  });

  it("an unreachable URL fails the handshake within the timeout", async () => {
    const url = `http://127.0.0.1:${await unusedPort()}/api/v2/notifications`;
    const started = performance.now();
    const error = await NotificationClient.connect({
      url,
      username: "agent1",
      password: USERS.agent1,
      handshakeTimeoutMs: 1_000,
    }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(HandshakeFailed);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect((error as Error).message).toContain(url);
  });

  it("a server that never answers fails the handshake at the timeout", async () => {
    const silent = await startSilentServer();
    try {
      const started = performance.now();
      const error = await NotificationClient.connect({
        url: silent.url,
        username: "agent1",
        password: USERS.agent1,
        handshakeTimeoutMs: 300,
      }).catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1_000);
      expect(error).toBeInstanceOf(HandshakeFailed);
      expect((error as Error).message).toContain("within 300 ms");
    } finally {
      await silent.close();
    }
  });

  it("re-subscribes after a re-handshake", async () => {
    const client = await connect("agent1");
    server.deliverTo("agent1", { n: 1 });
    await client.waitFor(hasN(1), { within: 2_000 });
    const resubscribed = nextSubscription(client);
    server.dropSessions("agent1");
    expect(await resubscribed).toBe(true);
    expect(server.sessionCount("agent1")).toBe(1);
    const since = client.cursor();
    expect(server.deliverTo("agent1", { n: 2 })).toBe(1);
    await client.waitFor(hasN(2), { within: 2_000, since });
    expect(client.received.map((m) => m.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("disconnect is idempotent, leaves the server and rejects pending waits", async () => {
    const client = await connect("agent1");
    expect(server.sessionCount("agent1")).toBe(1);
    const pending = client.waitFor(hasN(5), { within: 10_000 }).catch((e: unknown) => e);
    const first = client.disconnect();
    expect(client.disconnect()).toBe(first);
    await first;
    expect(await pending).toBeInstanceOf(Error);
    expect(server.sessionCount("agent1")).toBe(0);
    await client.disconnect();
  });

  it("disconnect resolves only once the server has ended the session, even right after connect", async () => {
    for (let i = 0; i < 10; i++) {
      const client = await NotificationClient.connect({ url: server.url, username: "agent2", password: USERS.agent2 });
      await client.disconnect();
      expect(server.sessionCount("agent2")).toBe(0);
    }
  });

  it("disconnect is bounded when the server no longer answers", async () => {
    const hung = await startMiniCometd(USERS);
    try {
      const client = await NotificationClient.connect({ url: hung.url, username: "agent1", password: USERS.agent1 });
      hung.freeze();
      const started = performance.now();
      await client.disconnect();
      expect(performance.now() - started).toBeLessThan(2_500);
    } finally {
      await hung.close();
    }
  });

  it("disconnect is prompt when the server is gone without a word", async () => {
    const gone = await startMiniCometd(USERS);
    const client = await NotificationClient.connect({ url: gone.url, username: "agent1", password: USERS.agent1 });
    await gone.close({ abrupt: true });
    const started = performance.now();
    await client.disconnect();
    expect(performance.now() - started).toBeLessThan(2_500);
  });
});
