// The per-agent CometD notification client receiving and waiting (against a small real CometD server, no fixed
// sleeps): delivery per agent, waitFor with `since`, timeouts and throwing predicates, expectNothingBefore's fence.
import { describe, expect, it } from "vitest";
import { NotificationTimeout, UnexpectedNotification } from "../src/client/notifications.js";
import { connect, hasN, server, useMiniCometd } from "./support/notification-client.js";

/** Delivery to arrival must be well under the 1-2 s a multiple-clients advice would cause. */
const PROMPT_MS = 300;

useMiniCometd();

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
});
