// The per-agent CometD notification client against a small real CometD server (no fixed sleeps: events or deadlines).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  HandshakeFailed,
  NotificationClient,
  NotificationTimeout,
  UnexpectedNotification,
  type NotificationClientOptions,
  type ReceivedNotification,
} from "../src/client/notifications.js";
import { startMiniCometd, startSilentServer, unusedPort, type MiniCometd } from "./support/mini-cometd.js";

const USERS = { agent1: "secret-one", agent2: "secret-two" };
/** Delivery to arrival must be well under the 1-2 s a multiple-clients advice would cause. */
const PROMPT_MS = 300;

let server: MiniCometd;
const clients: NotificationClient[] = [];

beforeAll(async () => {
  server = await startMiniCometd(USERS);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
});
afterAll(async () => {
  await server.close();
});

async function connect(username: keyof typeof USERS, extra: Partial<NotificationClientOptions> = {}) {
  const client = await NotificationClient.connect({
    url: server.url,
    username,
    password: USERS[username],
    label: username,
    ...extra,
  });
  clients.push(client);
  return client;
}

const hasN = (n: number) => (m: ReceivedNotification) => (m.data as { n?: number }).n === n;

/** Resolves with the next subscription confirmation (true when re-established). */
const nextSubscription = (client: NotificationClient) =>
  new Promise<boolean>((resolve) => {
    const stop = client.onSubscribed((reestablished) => {
      stop();
      resolve(reestablished);
    });
  });

describe("NotificationClient", () => {
  it("connects, subscribes and receives a notification", async () => {
    const client = await connect("agent1");
    expect(server.deliverTo("agent1", { n: 1, messageType: "InteractionStateChanged" })).toBe(1);
    const got = await client.waitFor(hasN(1), { within: 2_000, description: "n=1" });
    expect(got).toMatchObject({ channel: "/v2/me/interactions", seq: 0, data: { n: 1 } });
    expect(client.received).toHaveLength(1);
    expect(client.cursor()).toBe(1);
  });

  it("keeps array data as sent", async () => {
    const client = await connect("agent1");
    server.deliverTo("agent1", [{ n: 1 }, { n: 2 }]);
    const got = await client.waitFor(() => true, { within: 2_000 });
    expect(got.data).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("gives two agents in one process their own messages promptly (per-agent cookie jars: no multiple-clients advice)", async () => {
    const [a1, a2] = await Promise.all([connect("agent1"), connect("agent2")]);
    for (let n = 1; n <= 3; n++) {
      for (const [user, client] of [
        ["agent1", a1],
        ["agent2", a2],
      ] as const) {
        const since = client.cursor();
        const sentAt = performance.now();
        expect(server.deliverTo(user, { n, to: user })).toBe(1);
        const got = await client.waitFor(hasN(n), { within: 2_000, since, description: `n=${n} for ${user}` });
        expect(got.receivedAt - sentAt).toBeLessThan(PROMPT_MS);
      }
    }
    expect(a1.received.map((m) => m.data)).toEqual([1, 2, 3].map((n) => ({ n, to: "agent1" })));
    expect(a2.received.map((m) => m.data)).toEqual([1, 2, 3].map((n) => ({ n, to: "agent2" })));
    expect(server.multipleClientsAdvices).toBe(0);
  });

  it("waitFor with `since` ignores older messages", async () => {
    const client = await connect("agent1");
    server.deliverTo("agent1", { n: 7 });
    await client.waitFor(hasN(7), { within: 2_000 });
    const since = client.cursor();
    const later = client.waitFor(hasN(7), { within: 2_000, since });
    server.deliverTo("agent1", { n: 8 });
    server.deliverTo("agent1", { n: 7, again: true });
    const got = await later;
    expect(got.seq).toBe(2);
    expect(got.data).toEqual({ n: 7, again: true });
  });

  it("waitFor resolves from messages already received", async () => {
    const client = await connect("agent1");
    server.deliverTo("agent1", { n: 1 });
    server.deliverTo("agent1", { n: 2 });
    await client.waitFor(hasN(2), { within: 2_000 });
    expect((await client.waitFor(hasN(1), { within: 10 })).seq).toBe(0);
  });

  it("waitFor times out with a message saying what, for whom, and what did arrive", async () => {
    const client = await connect("agent1");
    server.deliverTo("agent1", { n: 1, note: "x".repeat(500) });
    await client.waitFor(hasN(1), { within: 2_000 });
    const started = performance.now();
    const error = await client
      .waitFor(hasN(99), { within: 150, description: "the n=99 event" })
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(error).toBeInstanceOf(NotificationTimeout);
    const message = (error as Error).message;
    expect(message).toContain("agent1");
    expect(message).toContain("the n=99 event");
    expect(message).toContain("150 ms");
    expect(message).toContain("received 1 message(s)");
    expect(message).toContain('#0 {"n":1');
    expect(message.length).toBeLessThan(400);
  });

  it("waitFor rejects at once when its predicate throws", async () => {
    const client = await connect("agent1");
    const waiting = client.waitFor(
      (m) => {
        if ((m.data as { n?: number }).n === 3) throw new Error("bad predicate");
        return false;
      },
      { within: 5_000 },
    );
    server.deliverTo("agent1", { n: 3 });
    await expect(waiting).rejects.toThrow("bad predicate");
  });

  it("expectNothingBefore resolves when the fence comes first", async () => {
    const client = await connect("agent1");
    const since = client.cursor();
    const check = client.expectNothingBefore(hasN(13), hasN(100), { within: 2_000, since, description: "n=13" });
    server.deliverTo("agent1", { n: 1 });
    server.deliverTo("agent1", { n: 100 });
    server.deliverTo("agent1", { n: 13 });
    await expect(check).resolves.toBeUndefined();
  });

  it("expectNothingBefore rejects when the unwanted message came before the fence", async () => {
    const client = await connect("agent1");
    server.deliverTo("agent1", { n: 13 });
    server.deliverTo("agent1", { n: 100 });
    await client.waitFor(hasN(100), { within: 2_000 });
    const error = await client
      .expectNothingBefore(hasN(13), hasN(100), { within: 2_000, description: "n=13" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedNotification);
    expect((error as Error).message).toContain('#0 {"n":13}');
    // A later `since` skips it.
    await client.expectNothingBefore(hasN(13), hasN(100), { within: 2_000, since: 1 });
  });

  it("expectNothingBefore times out when the fence never arrives", async () => {
    const client = await connect("agent1");
    const error = await client.expectNothingBefore(hasN(13), hasN(100), { within: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationTimeout);
    expect((error as Error).message).toContain("fence");
  });

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
