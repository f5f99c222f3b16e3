// Reading a POST /me/interactions/{id} request: the operation it names, its body against the profile's request
// schema, and the server resources it names (queue, workbin, transfer target), refused before anything changes.
import type { Operation } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { schemas } from "../model/schemas.js";
import type { ReferenceAccount } from "./accounts.js";
import { hasRole } from "./auth.js";
import { ApiError } from "./envelope.js";
import type { EngineContext } from "./operations.js";
import type { Reading } from "./reading.js";
import { enabledOperations } from "./views.js";

export type Body = Record<string, unknown>;

/** Finds the operation a request body names; unknown names and switched-off features are refused. */
export function operationOf(body: unknown, ctx: EngineContext): Operation {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError("invalidParameter", "The request body must be a JSON object with an operationName.");
  }
  const name = (body as Body).operationName;
  if (name === undefined) throw new ApiError("missingParameter", "The request has no operationName.");
  const operation = enabledOperations(ctx.features).find((o) => o.operationName === name);
  if (!operation)
    throw new ApiError("invalidParameter", `The operationName ${JSON.stringify(name).slice(0, 80)} is not supported.`);
  return operation;
}

/** Checks the body against the profile's request schema; a missing member is statusCode 1, others invalid. */
export function validateRequest(operation: Operation, body: unknown, profile: Profile, reading: Reading): void {
  const result = schemas().validate(operation.request[profile], body);
  if (result.valid) return;
  // AMB-REQUEST-EXTRA-PARAMS: the request schemas are closed; a variant ignores unknown members instead.
  const violations = reading.ignoreUnknownMembers
    ? result.violations.filter((v) => v.keyword !== "additionalProperties")
    : result.violations;
  if (violations.length === 0) return;
  const missing = violations.find((v) => v.keyword === "required");
  if (missing) {
    throw new ApiError(
      "missingParameter",
      `${operation.operationName} needs the parameter ${String(missing.params.missingProperty)}.`,
    );
  }
  const first = violations[0]!;
  const where = first.pointer === "/" ? "the request" : `parameter ${first.pointer.slice(1)}`;
  throw new ApiError("invalidParameter", `In ${operation.operationName}, ${where} ${first.message}.`);
}

export function knownName(list: string[], name: unknown, what: string): string {
  if (typeof name === "string" && list.includes(name)) return name;
  throw new ApiError("invalidParameter", `There is no ${what} named ${JSON.stringify(name).slice(0, 80)}.`);
}

/** Whether the profile's request schema of `operation` has the member `name` (queueName, workbin). */
export function declares(operation: Operation, profile: Profile, name: string): boolean {
  const schema = schemas().validator(operation.request[profile]).schema as { properties?: Record<string, unknown> };
  return typeof schema === "object" && name in (schema.properties ?? {});
}

/** The agent a Transfer names: seed userId (id or username), gws userUri/targetUri ending in /users/{id}. */
export function transferTarget(body: Body, actor: ReferenceAccount, ctx: EngineContext): ReferenceAccount {
  const ref = (body.userId ?? body.userUri ?? body.targetUri) as string;
  const id = /\/users\/([^/?#]+)$/.exec(ref)?.[1] ?? ref;
  const target = ctx.auth.accountById(decodeURIComponent(id)) ?? (body.userId ? ctx.auth.account(ref) : undefined);
  if (!target || !hasRole(target, "Agent"))
    throw new ApiError("invalidParameter", "The transfer target is not a known agent.");
  if (target.username === actor.username)
    throw new ApiError("invalidParameter", "An agent cannot transfer an interaction to itself.");
  return target;
}
