// Response bodies per profile, chosen by the schema the catalog names (AMB-ENVELOPE), and the refusals
// with their statusCode (AMB-ERROR-CODES) and HTTP status (AMB-ERROR-HTTP-STATUS).
import type { Operation, ResponseSchemas } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { specModel } from "../model/catalog.js";
import type { Reading } from "./reading.js";

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

/** A client's mistake, answered with the failure envelope (HTTP status and code per the reading); never a 5xx. */
export class ApiError extends Error {
  constructor(
    readonly refusal: Refusal,
    message: string,
  ) {
    super(message);
  }
  statusCode(reading: Reading): number {
    return reading.statusCode[this.refusal] ?? statusCodeOf(this.refusal);
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

export function responsesFor(operation: Operation | undefined, profile: Profile, reading: Reading): ResponseSchemas {
  if (operation) return operation.response[profile];
  return reading.unknownOperationStatusCode ? STATUSCODE_RESPONSES : UNKNOWN_OPERATION[profile];
}

/** The success body of the first success schema, with referenceId when the reading gives one (AMB-REFERENCE-ID). */
export function successBody(schemas: ResponseSchemas, referenceId: number | undefined): unknown {
  const ref = referenceId === undefined ? {} : { referenceId };
  switch (schemas.success[0]) {
    case "responses/status-ok.json":
      return { status: "ok", ...ref };
    case "responses/status-zero.json":
      return { status: 0, ...ref };
    case "responses/statuscode-ok.json":
    case "responses/gws-ok.json":
      return { statusCode: 0, ...ref };
    default:
      throw new Error(`No success body for ${schemas.success[0]}.`);
  }
}

export function failureBody(schemas: ResponseSchemas, error: ApiError, reading: Reading): unknown {
  switch (schemas.failure[0]) {
    case "responses/status-error.json":
      return { status: "error", errorDescription: error.message };
    case "responses/statuscode-error.json":
      return { statusCode: error.statusCode(reading), statusMessage: error.message };
    default:
      throw new Error(`No failure body for ${schemas.failure[0]}.`);
  }
}
