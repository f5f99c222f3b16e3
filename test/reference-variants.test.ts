// The conforming variants (src/reference/variants.ts) are what the register says: every answer it accepts beyond
// the reference server's own names one, each names its entry, and each really answers otherwise. A scripted
// session touches every place a variant can change (refusals, capabilities, replies, transfer, workbins, lists,
// notifications, the notification channel's messages), and what it observes on a variant must differ from what it observes on the default server.
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { NotificationClient } from "../src/client/notifications.js";
import { specModel, type Profile } from "../src/model/catalog.js";
import { interactionOf } from "../src/suite/interactions.js";
import { VARIANTS } from "../src/reference/variants.js";
import { startReferenceServer } from "../src/reference/server.js";
import { ReferenceHarness } from "./support/reference.js";

const { ambiguities } = specModel();

describe("the register and the variants", () => {
  it("names a variant for every answer the reference server does not give, and only existing ones", () => {
    const named = ambiguities.flatMap((a) =>
      (a.answers ?? []).filter((x) => x.variant).map((x) => ({ entry: a.id, variant: x.variant! })),
    );
    expect(named.filter((n) => !VARIANTS.some((v) => v.name === n.variant))).toEqual([]);
    for (const a of ambiguities.filter((e) => e.answers))
      expect(a.answers!.filter((x) => !x.variant).length, a.id).toBe(1);
  });

  it("has every variant named by its register entry's answers, with a description", () => {
    expect(new Set(VARIANTS.map((v) => v.name)).size).toBe(VARIANTS.length);
    for (const v of VARIANTS) {
      expect(v.description, v.name).toMatch(/\.$/);
      const entry = ambiguities.find((a) => a.id === v.register);
      expect(
        entry?.answers?.map((x) => x.variant),
        v.name,
      ).toContain(v.name);
    }
    expect(VARIANTS.filter((v) => !v.profiles).length).toBeGreaterThanOrEqual(15);
  });

  it("refuses an unknown variant, and one of the other profile, in one sentence", async () => {
    await expect(startReferenceServer({ variants: ["no-such-variant"] })).rejects.toThrow(
      /^There is no variant named no-such-variant; the variants are: .*\.$/,
    );
    await expect(startReferenceServer({ profile: "seed", variants: ["gws-851-notifications"] })).rejects.toThrow(
      /^The variant gws-851-notifications applies only to the gws profile, not seed\.$/,
    );
  });
});

/** Everything the session saw, with ids, URLs and dates replaced, so two servers compare by behaviour. */
async function observe(profile: Profile, variants: string[]): Promise<string[]> {
  const h = await ReferenceHarness.start({ profile, variants });
  const seen: string[] = [];
  const clients = await Promise.all(
    ["agent1", "agent2"].map((u) =>
      NotificationClient.connect({
        url: h.server.notificationsUrl,
        username: u,
        password: h.server.account(u).password,
        label: u,
      }),
    ),
  );
  const ids: string[] = [];
  const record = async (what: string, res: request.Response | Promise<request.Response>) => {
    const r = await res;
    seen.push(`${what}: ${r.status} ${r.headers["content-type"] ?? "-"} ${r.text}`);
  };
  try {
    const track = (id: string) => (ids.push(id), id);
    const invited = track(await h.provision());
    const processing = track(await h.reach("Processing"));
    await record("no credentials", request(h.server.url).get("/api/v2/me/interactions"));
    await record("accept in processing", h.post(processing, { operationName: "Accept" }));
    await record("complete invited", h.post(invited, { operationName: "Complete" }));
    await record("attach", h.post(processing, { operationName: "AttachUserData", userData: { K: "v" } }));
    await record("accept extra member", h.post(track(await h.provision()), { operationName: "Accept", Extra: 1 }));
    await record(
      "malformed",
      request(h.server.url)
        .post(`/api/v2/me/interactions/${processing}`)
        .set("authorization", h.auth("agent1"))
        .type("json")
        .send('{"operationName":'),
    );
    await record(
      "delete, other value",
      h.post(
        processing,
        h.profile === "seed"
          ? { operationName: "DeleteUserData", userData: { K: "other" } }
          : { operationName: "DeleteUserData", keys: ["K"] },
      ),
    );
    await record(
      "huge",
      h.post(processing, { operationName: "AttachUserData", userData: { Huge: "x".repeat(1024 * 1024) } }),
    );
    await record("workbin content on an invitation", h.post(invited, h.body("GetWorkbinContent")));
    await record("foreign read", h.get(`/api/v2/interactions/${processing}`, "agent2"));
    await record("get", h.get(`/api/v2/interactions/${processing}`));
    await record("all", h.get("/api/v2/interactions"));
    await record("accept", h.post(track(await h.provision()), { operationName: "Accept" }));
    const replied = track(await h.reach("Processing"));
    await record("reply", h.post(replied, { operationName: "Reply" }));
    await record("my list", h.get("/api/v2/me/interactions?fields=*"));
    const list = (await h.get("/api/v2/me/interactions?fields=*")).body.interactions as { id: string; state: string }[];
    const reply = list.find((i) => i.state === "Composing" && !ids.includes(i.id));
    if (reply)
      await record(
        "attach on the reply",
        h.post(track(reply.id), { operationName: "AttachUserData", userData: { R: 1 } }),
      );
    const parked = track(await h.reach("Processing"));
    await record("place in workbin", h.post(parked, h.body("PlaceInWorkbin")));
    const transferred = track(await h.reach("Processing"));
    await record("transfer", h.post(transferred, h.body("Transfer")));
    await record("transferred, as agent2", h.get(`/api/v2/interactions/${transferred}`, "agent2"));
    const rejected = track(await h.reach("Revoked"));
    await record("rejected, read", h.get(`/api/v2/interactions/${rejected}`));
    await record("complete", h.post(processing, { operationName: "Complete" }));
    await record("completed, read", h.get(`/api/v2/interactions/${processing}`));
    await record("list after", h.get("/api/v2/me/interactions"));
    for (const line of await bayeuxProbes(h, track)) seen.push(line);
    // Every notification the session caused, up to a fence invitation per agent.
    for (const [i, client] of clients.entries()) {
      const fence = await h.provision(`agent${i + 1}`);
      await client.waitFor((n) => interactionOf(n.data)?.id === fence, { within: 5_000, description: "the fence" });
      for (const n of client.received)
        if (!JSON.stringify(n.data).includes(fence)) seen.push(`agent${i + 1} notified: ${JSON.stringify(n.data)}`);
    }
  } finally {
    await Promise.all(clients.map((c) => c.disconnect()));
    await h.close();
  }
  const replace = (text: string) =>
    ids
      .reduce((t, id, n) => t.replaceAll(id, `<id${n}>`), text)
      .replace(/http:\/\/127\.0\.0\.1:\d+/g, "<url>")
      .replace(/"receivedDate":"[^"]*"/g, '"receivedDate":"<date>"')
      .replace(/"referenceId":\d+/g, '"referenceId":<n>')
      .replace(/"id":"[0-9A-Za-z]{16}"/g, '"id":"<new>"')
      .replace(/"clientId":"[^"]*"/g, '"clientId":"<client>"');
  return seen.map(replace);
}

/**
 * The notification channel, message by message: refused and accepted handshakes, advice, a publish, an unknown
 * clientId, and what a session that never subscribed is sent when the agent is offered an interaction.
 */
async function bayeuxProbes(h: ReferenceHarness, track: (id: string) => string): Promise<string[]> {
  const seen: string[] = [];
  const bayeux = async (what: string, as: string | undefined, messages: object[], jar: { cookie?: string } = {}) => {
    const r = await fetch(h.server.notificationsUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(as ? { authorization: h.auth(as) } : {}),
        ...(jar.cookie ? { cookie: jar.cookie } : {}),
      },
      body: JSON.stringify(messages),
    });
    const browser = r.headers.getSetCookie().find((c) => c.startsWith("BAYEUX_BROWSER="));
    if (browser) jar.cookie = browser.split(";")[0];
    const text = await r.text();
    seen.push(`bayeux ${what}: ${r.status} ${text}`);
    return (JSON.parse(text || "null") as { clientId?: string }[] | null)?.[0];
  };
  const handshake = [{ channel: "/meta/handshake", version: "1.0", supportedConnectionTypes: ["long-polling"] }];
  await bayeux("anonymous handshake", undefined, handshake);
  await bayeux("admin handshake", "admin", handshake);
  const jar = {};
  const clientId = (await bayeux("agent handshake", "agent1", handshake, jar))?.clientId;
  const connect = (id: string | undefined) => [
    { channel: "/meta/connect", clientId: id, connectionType: "long-polling", advice: { timeout: 0 } },
  ];
  await bayeux("connect", "agent1", connect(clientId), jar);
  track(await h.provision());
  await bayeux("connect, not subscribed, after an invitation", "agent1", connect(clientId), jar);
  await bayeux("publish", "agent1", [{ channel: "/v2/me/interactions", clientId, data: { forged: true } }], jar);
  await bayeux("unknown client", "agent1", connect("conformance-unknown"), jar);
  await bayeux("disconnect", "agent1", [{ channel: "/meta/disconnect", clientId }], jar);
  return seen;
}

describe("each variant answers otherwise than the reference server", () => {
  const defaults = new Map<Profile, Promise<string[]>>();
  const baseline = (p: Profile) => defaults.get(p) ?? (defaults.set(p, observe(p, [])), defaults.get(p)!);
  afterAll(() => defaults.clear());

  it("the same session on the default server observes the same thing twice (so a difference is the variant's)", async () => {
    expect(await observe("seed", [])).toEqual(await baseline("seed"));
  }, 60_000);

  it.each(VARIANTS.map((v) => [v.name, v.profiles?.[0] ?? "seed"] as const))(
    "%s (%s profile)",
    async (name, profile) => {
      const base = await baseline(profile);
      const mine = await observe(profile, [name]);
      const changed = mine.filter((line) => !base.includes(line));
      expect(changed.length, `${name} changed nothing the session observes`).toBeGreaterThan(0);
    },
    60_000,
  );
});
