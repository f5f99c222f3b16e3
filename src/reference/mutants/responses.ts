// Mutants that break HTTP statuses, envelopes, body shapes and bad input.
import { Op } from "../../generated/vocabulary.js";
import { before, isError, isOperation, isSuccess, opName, rewrite, type Json, type Mutant } from "./support.js";

export const RESPONSE_MUTANTS: Mutant[] = [
  {
    name: "accept-answers-201",
    description: "A successful Accept answers HTTP 201 instead of 200.",
    family: "status",
    apply: (app) =>
      app.addHook("onSend", async (request, reply, payload) =>
        isOperation(request) && opName(request) === Op.Accept && reply.statusCode === 200
          ? (reply.code(201), payload)
          : payload,
      ),
  },
  {
    name: "success-body-empty-object",
    description: "Every operation's success body is {} (no status, no statusCode).",
    family: "envelope",
    apply: (app) => rewrite(app, (request, _reply, body) => (isOperation(request) && isSuccess(body) ? {} : undefined)),
  },
  {
    name: "success-body-extra-member",
    description: "Every operation's success body carries an extra member beyond the seed envelope the page prints.",
    family: "envelope",
    profiles: ["seed"],
    decided: ["seed"],
    apply: (app) =>
      rewrite(app, (request, _reply, body) =>
        isOperation(request) && isSuccess(body) ? { ...body, extra: true } : undefined,
      ),
  },
  {
    name: "error-body-extra-member",
    description: "Every error body carries an extra member (gws: 'no other attributes'; seed: closed envelopes).",
    family: "envelope",
    apply: (app) => rewrite(app, (_request, _reply, body) => (isError(body) ? { ...body, detail: "more" } : undefined)),
  },
  {
    name: "error-without-message",
    description: "Error bodies lose their statusMessage / errorDescription.",
    family: "envelope",
    apply: (app) =>
      rewrite(app, (_request, _reply, body) => {
        if (!isError(body)) return undefined;
        const { statusMessage: _m, errorDescription: _d, ...rest } = body;
        return rest;
      }),
  },
  {
    name: "gws-success-with-status-message",
    description: "gws success bodies carry statusMessage, which only errors may.",
    family: "envelope",
    profiles: ["gws"],
    apply: (app) =>
      rewrite(app, (request, _reply, body) =>
        isOperation(request) && body.statusCode === 0 ? { ...body, statusMessage: "OK" } : undefined,
      ),
  },
  {
    name: "uri-list-renamed",
    description: "GET /me/interactions names its list uri instead of uris.",
    family: "shape",
    apply: (app) =>
      rewrite(app, (_request, _reply, body) =>
        Array.isArray(body.uris) ? { statusCode: body.statusCode, uri: body.uris } : undefined,
      ),
  },
  {
    name: "interaction-unwrapped",
    description:
      'GET /interactions/{id} returns the interaction\'s members at the top level instead of under "interaction".',
    family: "shape",
    apply: (app) =>
      rewrite(app, (_request, _reply, body) =>
        body.interaction && typeof body.interaction === "object"
          ? { statusCode: 0, ...(body.interaction as Json) }
          : undefined,
      ),
  },
  {
    name: "server-error-on-unknown-operation",
    description: "An unknown operationName answers HTTP 500.",
    family: "bad-input",
    apply: (app) =>
      app.addHook("onSend", async (request, reply, payload) =>
        isOperation(request) && reply.statusCode === 400 && /not supported/.test(String(payload))
          ? (reply.code(500), payload)
          : payload,
      ),
  },
  {
    name: "missing-parameter-accepted",
    description: "PlaceInQueue without queueName is accepted and places the interaction in its current queue.",
    family: "bad-input",
    apply: (app, engine) =>
      before(app, engine, (r, request) => {
        const body = request.body as Json | undefined;
        if (r && body && opName(request) === Op.PlaceInQueue && body.queueName === undefined)
          body.queueName = r.currentQueue;
      }),
  },
];
