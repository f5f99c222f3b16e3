// What every mutant is, and the hooks they are made of: rewriting answers, acting before or after an operation,
// replacing the notifier. The mutants themselves are in the files beside this one, one per family of rules.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Profile } from "../../model/catalog.js";
import type { EngineContext } from "../operations.js";
import type { InteractionRecord } from "../store.js";

export interface Mutant {
  name: string;
  /** What it breaks, in one sentence. */
  description: string;
  family:
    | "status"
    | "envelope"
    | "shape"
    | "notifications"
    | "state"
    | "capabilities"
    | "preconditions"
    | "userData"
    | "ownership"
    | "permissions"
    | "bad-input"
    | "channel"
    | "data"
    | "sequence"
    | "concurrency";
  /** The profiles in which the behaviour is non-conformant (default both). */
  profiles?: Profile[];
  /**
   * The profiles in which the rule it breaks is only decided by the register (a warning, not a failure): there a
   * warning kills it. Everywhere else it must fail a check.
   */
  decided?: Profile[];
  /**
   * Set when only load shows the fault (a rare drop no single check can meet): `npm run mutation` leaves it
   * to the test named here, which runs `gws-conformance load` against it.
   */
  killedByLoad?: string;
  apply(app: FastifyInstance, engine: EngineContext): void;
}

export type Json = Record<string, unknown>;
export const opName = (request: FastifyRequest) =>
  (request.body as { operationName?: string } | undefined)?.operationName;
export const interactionId = (request: FastifyRequest) => (request.params as { id?: string } | undefined)?.id;
export const user = (request: FastifyRequest) => request.principal?.account.username;
export const isOperation = (request: FastifyRequest) =>
  request.method === "POST" && request.url.startsWith("/api/v2/me/interactions/");

/** Rewrites JSON answers: `edit` returns the new body, or undefined to leave it. */
export function rewrite(
  app: FastifyInstance,
  edit: (request: FastifyRequest, reply: FastifyReply, body: Json) => unknown,
): void {
  app.addHook("onSend", async (request, reply, payload) => {
    if (typeof payload !== "string" || !payload.startsWith("{")) return payload;
    const changed = edit(request, reply, JSON.parse(payload) as Json);
    return changed === undefined ? payload : JSON.stringify(changed);
  });
}

/** Runs after a successful operation named `name` (or any, when name is "*"). */
export function after(
  app: FastifyInstance,
  engine: EngineContext,
  name: string,
  fn: (record: InteractionRecord, request: FastifyRequest) => void,
): void {
  app.addHook("onResponse", async (request, reply) => {
    if (!isOperation(request) || reply.statusCode !== 200 || (name !== "*" && opName(request) !== name)) return;
    const record = engine.store.get(interactionId(request) ?? "");
    if (record) fn(record, request);
  });
}

/** After a successful `name`, the acting agent holds the interaction again, in `state`. */
export function keeps(
  app: FastifyInstance,
  engine: EngineContext,
  name: string,
  state: InteractionRecord["state"],
): void {
  after(app, engine, name, (r, request) => {
    r.owner = r.lastHolder = user(request) ?? null;
    r.state = state;
  });
}

/** Runs before an operation is handled. */
export function before(
  app: FastifyInstance,
  engine: EngineContext,
  fn: (record: InteractionRecord | undefined, request: FastifyRequest) => void,
): void {
  app.addHook("preHandler", async (request) => {
    if (isOperation(request)) fn(engine.store.get(interactionId(request) ?? ""), request);
  });
}

/** Replaces the notifier with `fn`, which may call the real one. */
export function notifier(
  engine: EngineContext,
  fn: (username: string, data: unknown, deliver: EngineContext["deliver"]) => void,
): void {
  const deliver = engine.deliver;
  engine.deliver = (username, data) => fn(username, data, deliver);
}

/** The interaction a notification carries, in either form. */
export function carried(data: unknown): Json | undefined {
  const d = data as Json;
  if (!d || typeof d !== "object" || Array.isArray(d)) return undefined;
  return d.messageTypeName ? d : ((d.email ?? d.chat ?? d.workitem ?? d.interaction) as Json | undefined);
}

export const isSuccess = (body: Json) => body.status === "ok" || body.status === 0 || body.statusCode === 0;
export const isError = (body: Json) =>
  body.status === "error" || (typeof body.statusCode === "number" && body.statusCode > 0);
