// Response bodies per profile, chosen by the schema the catalog names (AMB-ENVELOPE), and the refusals
// with their statusCode (AMB-ERROR-CODES) and HTTP status (AMB-ERROR-HTTP-STATUS).
import type { Operation, ResponseSchemas } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { specModel } from "../model/catalog.js";

export type Refusal =
  | "unauthenticated"
  | "missingRole"
  | "foreignInteraction"
  | "unknownInteraction"
  | "missingParameter"
  | "invalidParameter"
  | "invalidState"
  | "csrf"
  | "tooLarge"
  | "unsupportedMediaType"
  | "notFound";

// The HTTP status the reference server gives each refusal; the suite accepts any 4xx (AMB-ERROR-HTTP-STATUS).
export const HTTP_STATUS: Record<Refusal, number> = {
  unauthenticated: 401,
  missingRole: 403,
  foreignInteraction: 403,
  unknownInteraction: 404,
  missingParameter: 400,
  invalidParameter: 400,
  invalidState: 409,
  csrf: 403,
  tooLarge: 413,
  unsupportedMediaType: 415,
  notFound: 404,
};

function statusCodeOf(refusal: Refusal): number {
  const codes = specModel().catalog.errorCodes;
  switch (refusal) {
    case "csrf":
      return codes.missingRole[0];
    case "tooLarge":
    case "unsupportedMediaType":
      return codes.invalidParameter[0];
    case "notFound":
      return codes.unknownInteraction[0];
    default:
      return codes[refusal][0];
  }
}

/** A client's mistake, answered with the failure envelope; never a 5xx. */
export class ApiError extends Error {
  constructor(
    readonly refusal: Refusal,
    message: string,
  ) {
    super(message);
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.refusal];
  }
  get statusCode(): number {
    return statusCodeOf(this.refusal);
  }
}

/** The schemas of requests whose operation is not known (malformed JSON, unknown operationName). */
const UNKNOWN_OPERATION: Record<Profile, ResponseSchemas> = {
  seed: { success: ["responses/status-ok.json"], failure: ["responses/status-error.json"] },
  gws: { success: ["responses/gws-ok.json"], failure: ["responses/statuscode-error.json"] },
};
/** GET and PUT endpoints, and authentication failures, use statusCode in both profiles (AMB-GET-ENVELOPE). */
export const STATUSCODE_RESPONSES: ResponseSchemas = {
  success: ["responses/statuscode-ok.json"],
  failure: ["responses/statuscode-error.json"],
};

export function responsesFor(operation: Operation | undefined, profile: Profile): ResponseSchemas {
  return operation ? operation.response[profile] : UNKNOWN_OPERATION[profile];
}

export function successBody(schemas: ResponseSchemas, referenceId: number): unknown {
  switch (schemas.success[0]) {
    case "responses/status-ok.json":
      return { status: "ok" };
    case "responses/status-zero.json":
      return { status: 0 };
    case "responses/statuscode-ok.json":
      return { statusCode: 0 };
    case "responses/gws-ok.json":
      return { statusCode: 0, referenceId };
    default:
      throw new Error(`No success body for ${schemas.success[0]}.`);
  }
}

export function failureBody(schemas: ResponseSchemas, error: ApiError): unknown {
  switch (schemas.failure[0]) {
    case "responses/status-error.json":
      return { status: "error", errorDescription: error.message };
    case "responses/statuscode-error.json":
      return { statusCode: error.statusCode, statusMessage: error.message };
    default:
      throw new Error(`No failure body for ${schemas.failure[0]}.`);
  }
}
