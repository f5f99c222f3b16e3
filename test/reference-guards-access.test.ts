// The reference server refuses what it must: missing or wrong credentials, the wrong role, another agent's
// interaction, an unkeyed provisioning hook, and CSRF-less writes. Every refusal is a 4xx with the register's
// envelope, and changes nothing.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROFILES, specModel } from "../src/model/catalog.js";
import { basic, ReferenceHarness } from "./support/reference.js";
import { expectRefusal } from "./support/refusal.js";

const { catalog } = specModel();
const accept = specModel().operation("Accept");

describe.each(PROFILES)("reference server guards, %s profile", (profile) => {
  let ref: ReferenceHarness;
  const gwsCodes = (codes: number[]) => (profile === "gws" ? codes : undefined);
  beforeAll(async () => {
    ref = await ReferenceHarness.start({ profile });
  });
  afterAll(() => ref.close());

  describe("authentication", () => {
    it.each([
      ["no credentials", undefined],
      ["a wrong password", basic("agent1", "wrong")],
      ["an unknown user", basic("ghost", "x")],
      ["a malformed header", "Basic !!!"],
    ])("refuses %s with 401 and statusCode 20, on every endpoint", async (_what, header) => {
      const id = await ref.reach("Invited");
      const before = await ref.snapshot(id);
      for (const [method, path] of [
        ["get", "/api/v2/interactions"],
        ["get", "/api/v2/me/interactions"],
        ["get", `/api/v2/interactions/${id}`],
        ["post", `/api/v2/me/interactions/${id}`],
        ["put", `/api/v2/interactions/${id}`],
      ] as const) {
        const req = request(ref.server.url)[method](path);
        if (header) req.set("authorization", header);
        const res = await req.send({ operationName: "Accept" });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers["www-authenticate"]).toMatch(/^Basic/);
        expect(res.body).toEqual({ statusCode: 20, statusMessage: expect.any(String) });
        expect(res.text).not.toContain("wrong");
      }
      expect(await ref.snapshot(id)).toEqual(before);
    });

    it("accepts the JSESSIONID cookie it issued in place of Basic", async () => {
      const first = await ref.get("/api/v2/me/interactions");
      const cookie = first.headers["set-cookie"]?.[0]?.split(";")[0];
      expect(cookie).toMatch(/^JSESSIONID=/);
      const res = await request(ref.server.url).get("/api/v2/me/interactions").set("cookie", cookie!);
      expect(res.status).toBe(200);
      expect(
        (await request(ref.server.url).get("/api/v2/me/interactions").set("cookie", "JSESSIONID=forged")).status,
      ).toBe(401);
    });
  });

  describe("roles", () => {
    it("refuses the admin (no Agent role) on agent operations and /me, allows it GET /interactions", async () => {
      const id = await ref.reach("Invited");
      expectRefusal(
        await ref.post(id, { operationName: "Accept" }, "admin"),
        accept.response[profile].failure,
        gwsCodes(catalog.errorCodes.missingRole),
      );
      expectRefusal(
        await ref.get("/api/v2/me/interactions", "admin"),
        ["responses/statuscode-error.json"],
        catalog.errorCodes.missingRole,
      );
      expect((await ref.get("/api/v2/interactions", "admin")).status).toBe(200);
      expect((await ref.snapshot(id)).state).toBe("Invited");
    });

    it("refuses the unprivileged user everywhere", async () => {
      for (const path of ["/api/v2/interactions", "/api/v2/me/interactions"]) {
        expectRefusal(
          await ref.get(path, "nobody"),
          ["responses/statuscode-error.json"],
          catalog.errorCodes.missingRole,
        );
      }
    });
  });

  describe("another agent's interaction", () => {
    it.each(catalog.operations.map((o) => [o.operationName, o] as const))(
      "agent2 cannot %s agent1's interaction",
      async (_name, op) => {
        const id = await ref.reach(op.validIn[0] as "Invited");
        const before = await ref.snapshot(id);
        const res = await ref.post(id, ref.body(op, "agent1"), "agent2");
        expectRefusal(res, op.response[profile].failure, gwsCodes(catalog.errorCodes.foreignInteraction));
        expect(await ref.snapshot(id)).toEqual(before);
      },
    );

    it("agent2 can neither read agent1's interaction nor see it in its lists", async () => {
      const id = await ref.reach("Processing");
      expectRefusal(
        await ref.get(`/api/v2/interactions/${id}`, "agent2"),
        ["responses/statuscode-error.json"],
        catalog.errorCodes.foreignInteraction,
      );
      const uris = (await ref.get("/api/v2/me/interactions", "agent2")).body.uris as string[];
      expect(uris.some((u) => u.endsWith(id))).toBe(false);
      const full = (await ref.get("/api/v2/me/interactions?fields=*", "agent2")).body.interactions as { id: string }[];
      expect(full.some((i) => i.id === id)).toBe(false);
    });
  });

  describe("the provisioning hook", () => {
    const hook = () => request(ref.server.url).post("/test-hooks/interactions");
    it("requires its key", async () => {
      expect((await hook().send({ agent: "agent1", mediaType: "email" })).status).toBe(401);
      expect((await hook().set("X-Hook-Key", "wrong").send({ agent: "agent1", mediaType: "email" })).status).toBe(401);
    });
    it.each([
      ["no agent", { mediaType: "email" }],
      ["an unknown agent", { agent: "ghost", mediaType: "email" }],
      ["an agent without the Agent role", { agent: "admin", mediaType: "email" }],
      ["an unsupported media", { agent: "agent1", mediaType: "fax" }],
    ])("refuses %s with 400", async (_what, body) => {
      const res = await hook().set("X-Hook-Key", ref.server.hookKey).send(body);
      expect(res.status).toBe(400);
    });
    it.each([
      ["an empty userData", { userData: {} }],
      ["no userData", {}],
    ])(
      "takes %s (target contract: userData is an object) and offers an interaction without userData",
      async (_what, extra) => {
        const res = await hook()
          .set("X-Hook-Key", ref.server.hookKey)
          .send({ agent: "agent1", mediaType: "email", ...extra });
        expect(res.status).toBe(201);
        expect(await ref.snapshot(res.body.id)).toMatchObject({ state: "Invited", userData: {} });
      },
    );
    it("offers the interaction to the agent, and DELETE removes it", async () => {
      const id = await ref.provision();
      expect(await ref.snapshot(id)).toMatchObject({
        state: "Invited",
        capabilities: ["Accept", "Reject"],
        userData: { ConformanceRun: "self-test" },
      });
      const del = () =>
        request(ref.server.url).delete(`/test-hooks/interactions/${id}`).set("X-Hook-Key", ref.server.hookKey);
      expect((await del()).status).toBe(204);
      expect((await del()).status).toBe(404);
      expect((await ref.get(`/api/v2/interactions/${id}`)).status).toBe(404);
    });
  });
});

describe("CSRF mode", () => {
  let ref: ReferenceHarness;
  beforeAll(async () => {
    ref = await ReferenceHarness.start({ profile: "gws", features: { csrf: true } });
  });
  afterAll(() => ref.close());

  it("hands out a token on GET and refuses writes without it with 403", async () => {
    const id = await ref.reach("Processing").catch((e: Error) => e);
    // Without the token even the harness's own Accept is refused: reach() fails on its first POST.
    expect(id).toBeInstanceOf(Error);
    const agent = request.agent(ref.server.url);
    const get = await agent.get("/api/v2/me/interactions").set("authorization", ref.auth("agent1"));
    expect(get.headers["x-csrf-header"]).toBe("X-CSRF-TOKEN");
    const token = get.headers["x-csrf-token"] as string;
    const invited = await ref.provision();
    const without = await agent
      .post(`/api/v2/me/interactions/${invited}`)
      .set("authorization", ref.auth("agent1"))
      .send({ operationName: "Accept" });
    expect(without.status).toBe(403);
    expect(without.body).toEqual({ statusCode: 3, statusMessage: "Missing or invalid Csrf token." });
    expect((await ref.snapshot(invited)).state).toBe("Invited");
    const withToken = await agent
      .post(`/api/v2/me/interactions/${invited}`)
      .set("authorization", ref.auth("agent1"))
      .set("X-CSRF-TOKEN", token)
      .send({ operationName: "Accept" });
    expect(withToken.status).toBe(200);
  });
});
