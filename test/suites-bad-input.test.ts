// The bad-input and lifecycle checks do not pass vacuously: a reference server broken in the matching way makes
// each of them fail, while the checks its breakages do not touch still pass in the same run. Breakages that do
// not interfere share one server and one CLI run, to keep the file short.
import type { FastifyRequest } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { runAgainst, type ConformanceRun } from "./support/conformance.js";

const params = (request: FastifyRequest) => request.params as { id?: string };
const body = (request: FastifyRequest) => request.body as Record<string, unknown> | undefined;
const WITHIN = 60_000;

describe("seed: malformed JSON answered 500, PlaceInQueue without queueName answered 200, Complete's notification dropped", () => {
  let run: ConformanceRun;
  beforeAll(async () => {
    run = await runAgainst(
      {
        profile: "seed",
        configure: (app, engine) => {
          // A body that did not parse (and was not empty) becomes an internal error.
          app.addHook("onSend", async (request, reply, payload) => {
            const unparsed = request.body === undefined && Number(request.headers["content-length"] ?? 0) > 0;
            if (request.method === "POST" && reply.statusCode === 400 && unparsed) {
              reply.code(500);
              return '{"statusCode":4,"statusMessage":"Internal error."}';
            }
            return payload;
          });
          // PlaceInQueue without its queueName is let through and answered as a success.
          app.addHook("preHandler", async (request, reply) => {
            const b = body(request);
            if (request.method === "POST" && b?.operationName === "PlaceInQueue" && !("queueName" in b))
              return reply.code(200).send({ status: "ok" });
          });
          // The notifier loses every Completed notification.
          const deliver = engine.deliver;
          engine.deliver = (user, data) => {
            if ((data as { state?: string }).state !== "Completed") deliver(user, data);
          };
        },
      },
      [
        "--only",
        "bad-input.malformed-json,bad-input.array-body,place-in-queue.missing-queue-name,place-in-queue.wrong-type-queue-name," +
          "lifecycle.accept-attach-update-delete-complete,lifecycle.place-in-queue",
      ],
    );
  }, WITHIN);

  it("bad-input.malformed-json fails on the 5xx", () => {
    expect(run.exitCode).toBe(1);
    expect(run.check("bad-input.malformed-json").outcome).toBe("failed");
    expect(run.check("bad-input.malformed-json").reason).toMatch(
      /answered HTTP 500; a client's mistake must never be a 5xx/,
    );
  });

  it("place-in-queue.missing-queue-name fails on the 200", () => {
    expect(run.check("place-in-queue.missing-queue-name").outcome).toBe("failed");
    expect(run.check("place-in-queue.missing-queue-name").reason).toMatch(
      /PlaceInQueue without queueName .* was not refused: HTTP 200/,
    );
  });

  it("lifecycle.accept-attach-update-delete-complete fails on the missing Complete notification", () => {
    expect(run.check("lifecycle.accept-attach-update-delete-complete").outcome).toBe("failed");
    expect(run.check("lifecycle.accept-attach-update-delete-complete").reason).toMatch(
      /timed out after \d+ ms waiting for the removal notification after Complete \(\{"operationName":"Complete"\}, answered HTTP 200\).*\[facts: FACT-NOTIFICATION-852\]$/,
    );
  });

  it("the checks the breakages do not touch still pass", () => {
    for (const id of ["bad-input.array-body", "place-in-queue.wrong-type-queue-name", "lifecycle.place-in-queue"]) {
      expect(run.check(id).outcome, id).toBe("passed");
    }
  });
});

describe("gws: a refused Accept changes the interaction anyway, an unknown interaction is refused with statusCode 2", () => {
  let run: ConformanceRun;
  beforeAll(async () => {
    run = await runAgainst(
      {
        profile: "gws",
        configure: (app, engine) =>
          // onSend runs before the answer reaches the client, so the change is in place for the next GET.
          app.addHook("onSend", async (request, reply, payload) => {
            const record =
              request.method === "POST" && params(request).id ? engine.store.get(params(request).id!) : undefined;
            if (record && reply.statusCode >= 400 && body(request)?.operationName === "Accept")
              record.state = "Processing";
            return request.method === "POST" && typeof payload === "string"
              ? payload.replace('"statusCode":6,', '"statusCode":2,')
              : payload;
          }),
      },
      [
        "--only",
        "bad-input.extra-parameter,accept.unknown-interaction,bad-input.no-operation-name,bad-input.array-body",
      ],
    );
  }, WITHIN);

  it("bad-input.extra-parameter fails on the change after the refusal", () => {
    expect(run.exitCode).toBe(1);
    expect(run.check("bad-input.extra-parameter").outcome).toBe("failed");
    expect(run.check("bad-input.extra-parameter").reason).toMatch(
      /The refused Accept with an unknown member .* changed the interaction.*\[facts: FACT-ENVELOPE-1\]$/,
    );
  });

  it("accept.unknown-interaction fails on the statusCode", () => {
    expect(run.check("accept.unknown-interaction").outcome).toBe("failed");
    expect(run.check("accept.unknown-interaction").reason).toMatch(
      /statusCode 2; its documented meaning does not fit: the gws profile accepts 6 here \(AMB-ERROR-CODES\)\. \[facts: FACT-ENVELOPE-2\]$/,
    );
  });

  it("the checks the breakages do not touch still pass", () => {
    for (const id of ["bad-input.no-operation-name", "bad-input.array-body"])
      expect(run.check(id).outcome, id).toBe("passed");
  });
});

describe("gws: GET /interactions/{id} lags behind the notifications", () => {
  let run: ConformanceRun;
  beforeAll(async () => {
    run = await runAgainst(
      {
        profile: "gws",
        configure: (app) =>
          // A Processing interaction still reads as Invited.
          app.addHook("onSend", async (request, _reply, payload) =>
            request.method === "GET" &&
            /^\/api\/v2\/interactions\/[^/?]+$/.test(request.url) &&
            typeof payload === "string"
              ? payload.replace('"state":"Processing"', '"state":"Invited"')
              : payload,
          ),
      },
      ["--only", "lifecycle.place-in-queue,bad-input.string-body"],
    );
  }, WITHIN);

  it("lifecycle.place-in-queue fails on the disagreement after Accept", () => {
    expect(run.exitCode).toBe(1);
    expect(run.check("lifecycle.place-in-queue").outcome).toBe("failed");
    expect(run.check("lifecycle.place-in-queue").reason).toMatch(
      /After Accept by agent, GET \/interactions\/\S+ as agent says state Invited, but the last notification about it \(#\d+\) says Processing/,
    );
  });

  it("the checks the breakage does not touch still pass", () => {
    expect(run.check("bad-input.string-body").outcome).toBe("passed");
  });
});
