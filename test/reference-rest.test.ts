// The reference server over real HTTP: every operation's success and refusal paths in both profiles,
// the GET endpoints, and the state machine, each checked against the catalog and the schemas.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROFILES, specModel } from "../src/model/catalog.js";
import { schemas } from "../src/model/schemas.js";
import { ReferenceHarness, type State } from "./support/reference.js";

const { catalog } = specModel();
const STATES: State[] = ["Invited", "Processing", "Composing", "InWorkbin", "Completed", "Revoked"];

/** Passes when `body` matches any of the schemas. */
function matchesAny(paths: string[], body: unknown): boolean {
  return paths.some((p) => schemas().validate(p, body).valid);
}

describe.each(PROFILES)("reference server, %s profile", (profile) => {
  let ref: ReferenceHarness;
  beforeAll(async () => {
    ref = await ReferenceHarness.start({ profile });
  });
  afterAll(() => ref.close());

  describe.each(catalog.operations.map((o) => [o.id, o] as const))("%s", (_id, op) => {
    it("succeeds in each state it is valid in, with the profile's success envelope and outcome", async () => {
      for (const state of op.validIn) {
        const id = await ref.reach(state as State);
        const res = await ref.post(id, ref.body(op));
        expect(res.status, res.text).toBe(200);
        expect(matchesAny(op.response[profile].success, res.body), JSON.stringify(res.body)).toBe(true);
        const holder = op.outcome.holder === "target" ? "agent2" : "agent1";
        const after = await ref.snapshot(id, holder);
        if (op.outcome.state) expect(after.state).toBe(op.outcome.state);
        const expected = op.outcome.holder === "none" ? [] : catalog.states[after.state as State]!.capabilities;
        expect(after.capabilities).toEqual(expected);
        const mine = await ref.get("/api/v2/me/interactions");
        expect((mine.body.uris as string[]).some((u) => u.endsWith(`/${id}`))).toBe(op.outcome.holder === "actor");
      }
    });

    it.each(STATES.filter((s) => !op.validIn.includes(s)))(
      "is refused in state %s, changing nothing",
      async (state) => {
        const id = await ref.reach(state);
        const before = await ref.snapshot(id);
        const res = await ref.post(id, ref.body(op));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(matchesAny(op.response[profile].failure, res.body), JSON.stringify(res.body)).toBe(true);
        if (profile === "gws") expect(catalog.errorCodes.invalidState).toContain(res.body.statusCode);
        expect(await ref.snapshot(id)).toEqual(before);
      },
    );
  });

  it("answers the GET endpoints with their schemas", async () => {
    const id = await ref.reach("Processing");
    for (const endpoint of catalog.endpoints.filter((e) => e.method === "GET")) {
      const path = endpoint.path.replace("{id}", id) + (endpoint.query ? "?fields=*" : "");
      const res = await ref.get(path);
      expect(res.status, path).toBe(200);
      expect(matchesAny(endpoint.response![profile].success, res.body), `${path} ${res.text}`).toBe(true);
    }
    const admin = await ref.get("/api/v2/interactions", "admin");
    expect(admin.status).toBe(200);
    expect((admin.body.uris as string[]).some((u) => u.endsWith(`/${id}`))).toBe(true);
  });

  it("lists in /me/interactions exactly what the agent holds, in both forms", async () => {
    const held = [await ref.reach("Invited"), await ref.reach("Processing")];
    const released = [await ref.reach("Completed"), await ref.reach("Revoked"), await ref.reach("InWorkbin")];
    const uris = (await ref.get("/api/v2/me/interactions")).body.uris as string[];
    const full = (await ref.get("/api/v2/me/interactions?fields=*")).body.interactions as { id: string }[];
    for (const id of held) {
      expect(uris).toContain(`${ref.server.url}/api/v2/interactions/${id}`);
      expect(full.map((i) => i.id)).toContain(id);
    }
    for (const id of released) {
      expect(uris.some((u) => u.endsWith(`/${id}`))).toBe(false);
      expect(full.map((i) => i.id)).not.toContain(id);
    }
  });

  it("applies the userData semantics of Attach, Update and Delete", async () => {
    const id = await ref.provision("agent1", { Keep: "k", Change: "old" });
    await ref.perform(id, "Accept");
    await ref.post(id, { operationName: "AttachUserData", userData: { Added: 1, Nested: { a: "b" } } }).expect(200);
    await ref.post(id, { operationName: "UpdateUserData", userData: { Change: "new" } }).expect(200);
    const del =
      profile === "seed"
        ? { operationName: "DeleteUserData", userData: { Added: 0 } }
        : { operationName: "DeleteUserData", keys: ["Added"] };
    await ref.post(id, del).expect(200);
    expect((await ref.snapshot(id)).userData).toEqual({ Keep: "k", Change: "new", Nested: { a: "b" } });
  });

  it("transfers to agent2, who is invited and can accept", async () => {
    const id = await ref.reach("Processing");
    await ref.perform(id, "Transfer");
    const seen = await ref.snapshot(id, "agent2");
    expect(seen).toMatchObject({ state: "Invited", capabilities: ["Accept", "Reject"] });
    expect((await ref.get(`/api/v2/interactions/${id}`)).status).toBe(403);
    await ref.perform(id, "Accept", "agent2");
    expect((await ref.snapshot(id, "agent2")).state).toBe("Processing");
  });

  it("places in a workbin: state InWorkbin and userData Workbin", async () => {
    const id = await ref.reach("InWorkbin");
    expect(await ref.snapshot(id)).toMatchObject({
      state: "InWorkbin",
      userData: { Workbin: ref.server.workbins[0] },
      capabilities: [],
    });
  });

  it("cancels a reply: the reply is completed, its parent stays in Processing", async () => {
    const child = await ref.reach("Composing");
    const parentId = (await ref.snapshot(child)).parentId as string;
    await ref.perform(child, "Cancel");
    expect((await ref.snapshot(child)).state).toBe("Completed");
    expect((await ref.snapshot(parentId)).state).toBe("Processing");
  });
});
