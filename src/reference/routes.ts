// The REST endpoints of the spec page under /api/v2, and the provisioning hook of target-contract section 2.
import { timingSafeEqual, createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ResponseSchemas } from "../generated/schema-types.js";
import { Op } from "../generated/vocabulary.js";
import { heldBy, isTerminal, specModel } from "../model/catalog.js";
import { schemas } from "../model/schemas.js";
import type { RoleName } from "./accounts.js";
import { CSRF_HEADER, hasRole, sessionCookie, type Principal } from "./auth.js";
import { ApiError, failureBody, responsesFor, STATUSCODE_RESPONSES, successBody } from "./envelope.js";
import { performOperation, type EngineContext } from "./operations.js";
import { operationOf } from "./requests.js";
import { copyUserData } from "./store.js";
import type { Reading } from "./reading.js";
import { interactionNotification, interactionView, isHeldState } from "./views.js";

export const HOOK_PATH = "/test-hooks/interactions";
export const HOOK_HEADER = "X-Hook-Key";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
    /** The envelopes this request is answered with (AMB-ENVELOPE, AMB-GET-ENVELOPE). */
    responses: ResponseSchemas;
  }
}

export interface RouteOptions {
  engine: EngineContext;
  hookKey: string;
}

const sameKey = (a: string, b: string) =>
  timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());

function principalOf(request: FastifyRequest, ...roles: RoleName[]) {
  const principal = request.principal;
  if (!principal) throw new ApiError("unauthenticated", "Access denied.");
  if (!roles.some((r) => hasRole(principal.account, r))) {
    throw new ApiError(
      "missingRole",
      `The user ${principal.account.username} does not have the ${roles.join(" or ")} role.`,
    );
  }
  return principal.account;
}

/** A refusal as the reading answers it: HTTP status, and the failure envelope, nothing, or text (AMB-ERROR-BODY). */
function refuse(reading: Reading, request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  const status = reading.httpStatus[error.refusal];
  if (status === 401) reply.header("www-authenticate", 'Basic realm="GWS"');
  reply.code(status);
  if (status >= 400 && reading.errorBody === "empty") return reply.removeHeader("content-type").send();
  if (status >= 400 && reading.errorBody === "text") return reply.type("text/plain; charset=utf-8").send(error.message);
  return reply.send(failureBody(request.responses ?? STATUSCODE_RESPONSES, error, reading));
}

export function registerRoutes(app: FastifyInstance, { engine, hookKey }: RouteOptions): void {
  const { store, profile, features, reading } = engine;
  const sendError = (request: FastifyRequest, reply: FastifyReply, error: ApiError) =>
    refuse(reading, request, reply, error);
  app.decorateRequest("principal", undefined);
  app.decorateRequest("responses", null as unknown as ResponseSchemas);

  app.addHook("onRequest", async (request, reply) => {
    request.responses = STATUSCODE_RESPONSES;
    if (!request.url.startsWith("/api/v2/")) return;
    const principal = engine.auth.authenticate(request.headers);
    if (!principal) return sendError(request, reply, new ApiError("unauthenticated", "Access denied."));
    request.principal = principal;
    if (principal.newSession) reply.header("set-cookie", sessionCookie(principal.sessionId));
    if (!features.csrf) return;
    if (request.method === "GET" || request.method === "HEAD") {
      reply.header("X-CSRF-HEADER", CSRF_HEADER).header(CSRF_HEADER, principal.csrfToken);
    } else if (request.headers[CSRF_HEADER.toLowerCase()] !== principal.csrfToken) {
      return sendError(request, reply, new ApiError("csrf", "Missing or invalid Csrf token."));
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof ApiError) return sendError(request, reply, error);
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(request, reply, new ApiError("tooLarge", "The request body is too large."));
    if (status === 415)
      return sendError(
        request,
        reply,
        new ApiError("unsupportedMediaType", "The request body must be application/json."),
      );
    if (status >= 400 && status < 500) {
      return sendError(request, reply, new ApiError("invalidParameter", "The request body is not valid JSON."));
    }
    request.log.error(error);
    return reply.code(500).send({ statusCode: 4, statusMessage: "Internal error." });
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new ApiError("notFound", `There is no ${request.method} ${request.url.split("?")[0]}.`)),
  );

  const view = (record: Parameters<typeof interactionView>[0], viewer: string) =>
    interactionView(record, viewer, engine);
  const list = (records: Parameters<typeof interactionView>[0][], viewer: string, full: boolean) =>
    full
      ? { statusCode: 0, interactions: records.map((r) => view(r, viewer)) }
      : { statusCode: 0, uris: records.map((r) => `${engine.baseUrl}/api/v2/interactions/${r.id}`) };
  const wantsFull = (request: FastifyRequest) => (request.query as Record<string, unknown>).fields === "*";

  // seed: 'Returns the list of all active interactions for this Contact Center.' (Contact Center Admin, Agent)
  app.get("/api/v2/interactions", async (request) => {
    const account = principalOf(request, "Agent", "ContactCenterAdmin");
    const active = store.all().filter((r) => !isTerminal(r.state));
    return list(active, account.username, wantsFull(request) || reading.allInteractionsFull);
  });

  // seed: 'Returns the list of interactions [or interaction URIs] that are being handled by the agent.'
  app.get("/api/v2/me/interactions", async (request) => {
    const account = principalOf(request, "Agent");
    const mine = store
      .ownedBy(account.username)
      .filter((r) => isHeldState(r.state) || (reading.workbinKeepsOwner && heldBy(r.state) === "workbin"));
    return list(mine, account.username, wantsFull(request));
  });

  const readable = (id: string, username: string) => {
    const record = store.get(id);
    const released = !!record && record.owner !== username && record.lastHolder === username;
    if (!record || (released && reading.releasedUnknown))
      throw new ApiError("unknownInteraction", `There is no interaction ${id}.`);
    if (record.owner !== username && !released && !reading.foreignRead) {
      throw new ApiError("foreignInteraction", `Interaction ${id} is not being handled by ${username}.`);
    }
    return record;
  };

  // seed: 'Returns the interaction details for a given interaction.'; gws-facts: wrapped under "interaction".
  app.get<{ Params: { id: string } }>("/api/v2/interactions/:id", async (request) => {
    const account = principalOf(request, "Agent");
    return { statusCode: 0, interaction: view(readable(request.params.id, account.username), account.username) };
  });

  if (features.putInteraction) {
    // AMB-PUT-INTERACTION: no body is documented; the reference server takes {"userData": {...}} like UpdateUserData.
    app.put<{ Params: { id: string } }>("/api/v2/interactions/:id", async (request) => {
      const account = principalOf(request, "Agent");
      const body = request.body as { userData?: unknown } | undefined;
      const userData = body?.userData;
      if (typeof userData !== "object" || userData === null || Array.isArray(userData)) {
        throw new ApiError("missingParameter", "PUT needs a userData object.");
      }
      const record = readable(request.params.id, account.username);
      if (
        record.owner !== account.username ||
        !specModel().operation(Op.UpdateUserData).validIn.includes(record.state)
      ) {
        throw new ApiError("invalidState", `The interaction cannot be updated in state ${record.state}.`);
      }
      Object.assign(record.userData, copyUserData(userData as Record<string, unknown>));
      engine.deliver(account.username, interactionNotification(record, account.username, "userdata-change", engine));
      return { statusCode: 0 };
    });
  }

  // seed: the operations of POST /me/interactions/{id}, discriminated by operationName.
  // Until the body names a known operation (and when it cannot be parsed), refusals use the envelope of
  // requests whose operation is unknown.
  const operationEnvelope = async (request: FastifyRequest) => {
    request.responses = responsesFor(undefined, profile, reading);
  };
  app.post<{ Params: { id: string } }>(
    "/api/v2/me/interactions/:id",
    { onRequest: operationEnvelope },
    async (request, reply) => {
      let unknownOperation: unknown;
      try {
        request.responses = responsesFor(operationOf(request.body, engine), profile, reading);
      } catch (e) {
        unknownOperation = e;
      }
      const account = principalOf(request, "Agent");
      if (unknownOperation) throw unknownOperation;
      const { operation, referenceId } = performOperation(engine, account, request.params.id, request.body);
      reply.code(reading.successStatus(operation));
      // seed: 'A successful request results in an empty HTTP 200 response' (AMB-EMPTY-200), in the variant that reads it so.
      if (reading.emptySuccess && operation.response[profile].emptySuccessAllowed) return reply.send();
      return successBody(request.responses, referenceId);
    },
  );

  registerHook(app, engine, hookKey);
}

/** target-contract section 2: POST creates an interaction offered to the agent; DELETE removes it. */
function registerHook(app: FastifyInstance, engine: EngineContext, hookKey: string): void {
  const checkKey = (request: FastifyRequest) => {
    const given = request.headers[HOOK_HEADER.toLowerCase()];
    if (typeof given !== "string" || !sameKey(given, hookKey)) {
      throw new ApiError("unauthenticated", `The ${HOOK_HEADER} header is missing or wrong.`);
    }
  };

  app.post(HOOK_PATH, async (request, reply) => {
    checkKey(request);
    const result = schemas().validate("hook/provision-request.json", request.body);
    if (!result.valid) {
      const first = result.violations[0]!;
      throw new ApiError("invalidParameter", `The hook request at ${first.pointer} ${first.message}.`);
    }
    const body = request.body as { agent: string; mediaType: string; userData?: Record<string, unknown> };
    const agent = engine.auth.account(body.agent);
    if (!agent || !hasRole(agent, "Agent"))
      throw new ApiError("invalidParameter", `There is no agent named ${body.agent}.`);
    if (body.mediaType !== "email")
      throw new ApiError(
        "invalidParameter",
        `The reference server offers only email interactions, not ${body.mediaType}.`,
      );
    const record = engine.store.create({
      state: specModel().catalog.offeredIn,
      owner: agent.username,
      userData: copyUserData(body.userData),
      currentQueue: engine.queues[0] ?? "conformance-queue",
      mediaType: "email",
      interactionSubType: "InboundNew",
    });
    engine.deliver(agent.username, interactionNotification(record, agent.username, "invitation", engine));
    return reply.code(201).send({ id: record.id });
  });

  app.delete<{ Params: { id: string } }>(`${HOOK_PATH}/:id`, async (request, reply) => {
    checkKey(request);
    const record = engine.store.get(request.params.id);
    if (!record) throw new ApiError("notFound", `There is no interaction ${request.params.id}.`);
    const holder = record.owner;
    if (holder) {
      record.owner = null;
      record.state = engine.reading.lostState;
      engine.deliver(holder, interactionNotification(record, holder, "removal", engine));
    }
    engine.store.delete(record.id);
    return reply.code(204).send();
  });
}
