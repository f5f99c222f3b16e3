// The reference server refuses malformed input (bad JSON, prototype pollution, oversized or ill-typed bodies,
// unknown ids and paths) with a 4xx and the register's envelope, and changes nothing.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROFILES, specModel } from "../src/model/catalog.js";
import { ReferenceHarness } from "./support/reference.js";
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

  describe("bad input", () => {
    const unknownOp = profile === "seed" ? ["responses/status-error.json"] : ["responses/statuscode-error.json"];
    const cases: [string, (r: request.Test) => request.Test, string[] | "op", number[] | undefined][] = [
      [
        "malformed JSON",
        (r) => r.set("content-type", "application/json").send('{"operationName":'),
        unknownOp,
        catalog.errorCodes.invalidParameter,
      ],
      ["a JSON array", (r) => r.send([{ operationName: "Accept" }]), unknownOp, catalog.errorCodes.invalidParameter],
      [
        "an empty body",
        (r) => r.set("content-type", "application/json").send(""),
        unknownOp,
        catalog.errorCodes.invalidParameter,
      ],
      ["no operationName", (r) => r.send({ queueName: "x" }), unknownOp, catalog.errorCodes.missingParameter],
      ["an unknown operationName", (r) => r.send({ operationName: "Explode" }), unknownOp, undefined],
      ["operationName of the wrong type", (r) => r.send({ operationName: 7 }), unknownOp, undefined],
      [
        "a text/plain body",
        (r) => r.set("content-type", "text/plain").send("operationName=Accept"),
        unknownOp,
        catalog.errorCodes.invalidParameter,
      ],
      [
        "a __proto__ key",
        (r) =>
          r.set("content-type", "application/json").send('{"operationName":"Accept","__proto__":{"polluted":true}}'),
        unknownOp,
        catalog.errorCodes.invalidParameter,
      ],
      [
        "a constructor.prototype key",
        (r) =>
          r
            .set("content-type", "application/json")
            .send('{"operationName":"Accept","constructor":{"prototype":{"polluted":true}}}'),
        unknownOp,
        catalog.errorCodes.invalidParameter,
      ],
      [
        "an oversized body",
        (r) => r.send({ operationName: "Accept", pad: "x".repeat(70_000) }),
        unknownOp,
        catalog.errorCodes.invalidParameter,
      ],
      [
        "an extra parameter",
        (r) => r.send({ operationName: "Accept", bogus: 1 }),
        "op",
        catalog.errorCodes.invalidParameter,
      ],
    ];
    it.each(cases)("refuses %s on an invitation, changing nothing", async (_what, send, failure, codes) => {
      const id = await ref.reach("Invited");
      const before = await ref.snapshot(id);
      const res = await send(
        request(ref.server.url).post(`/api/v2/me/interactions/${id}`).set("authorization", ref.auth("agent1")),
      );
      expectRefusal(
        res,
        failure === "op" ? accept.response[profile].failure : failure,
        gwsCodes(codes ?? [1, 2, 3, 8]),
      );
      expect(await ref.snapshot(id)).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ["PlaceInQueue", { operationName: "PlaceInQueue" }, catalog.errorCodes.missingParameter],
      ["PlaceInQueue", { operationName: "PlaceInQueue", queueName: 42 }, catalog.errorCodes.invalidParameter],
      [
        "PlaceInQueue",
        { operationName: "PlaceInQueue", queueName: "no-such-queue" },
        catalog.errorCodes.invalidParameter,
      ],
      ["AttachUserData", { operationName: "AttachUserData", userData: "text" }, catalog.errorCodes.invalidParameter],
      [
        "AttachUserData",
        { operationName: "AttachUserData", userData: { k: [1] } },
        catalog.errorCodes.invalidParameter,
      ],
      [
        "PlaceInWorkbin",
        { operationName: "PlaceInWorkbin", workbin: "no-such-workbin" },
        catalog.errorCodes.invalidParameter,
      ],
      ["Transfer", { operationName: "Transfer" }, catalog.errorCodes.missingParameter],
      [
        "Transfer",
        profile === "seed"
          ? { operationName: "Transfer", userId: "no-such-agent" }
          : { operationName: "Transfer", userUri: "/users/no-such-agent" },
        catalog.errorCodes.invalidParameter,
      ],
    ])("refuses %s with %j on an accepted interaction, changing nothing", async (name, body, codes) => {
      const id = await ref.reach("Processing");
      const before = await ref.snapshot(id);
      expectRefusal(await ref.post(id, body), specModel().operation(name).response[profile].failure, gwsCodes(codes));
      expect(await ref.snapshot(id)).toEqual(before);
    });

    it("refuses an unknown interaction id with statusCode 6", async () => {
      expectRefusal(
        await ref.post("no-such-id", { operationName: "Accept" }),
        accept.response[profile].failure,
        gwsCodes(catalog.errorCodes.unknownInteraction),
      );
      expectRefusal(
        await ref.get("/api/v2/interactions/no-such-id"),
        ["responses/statuscode-error.json"],
        catalog.errorCodes.unknownInteraction,
      );
    });

    it("answers unknown paths with 404 and the statusCode envelope", async () => {
      expectRefusal(await ref.get("/api/v2/nothing-here"), ["responses/statuscode-error.json"]);
    });
  });
});
