// Shared by the OpenAPI generator's operations: the generation context, the CSRF header parameter, and the
// responses (200 and the refusals) with the reference server's status per refusal.
import type { ResponseSchemas } from "../generated/schema-types.js";
import type { Profile, SpecModel } from "../model/catalog.js";
import { CSRF_HEADER } from "../reference/auth.js";
import { defaultReading } from "../reference/reading.js";
import type { ComponentSchemas, JsonObject } from "./api-common.js";

export interface Context {
  model: SpecModel;
  profile: Profile;
  schemas: ComponentSchemas;
}

export const CSRF_PARAMETER = { $ref: "#/components/parameters/csrfToken" };
export const json = (schema: JsonObject) => ({ "application/json": { schema } });

/** The reference server's HTTP status per refusal, e.g. "409 (invalidState)". */
function referenceStatuses(): string {
  const byStatus = new Map<number, string[]>();
  for (const [refusal, status] of Object.entries(defaultReading("seed").httpStatus))
    byStatus.set(status, [...(byStatus.get(status) ?? []), refusal]);
  return [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, refusals]) => `${status} (${refusals.join(", ")})`)
    .join(", ");
}

/** 200 and the refusals; `bodies` are the response schemas of the catalog entries served here (none: undocumented). */
export function responses(ctx: Context, bodies: ResponseSchemas[], unsafe: boolean, successNote: string): JsonObject {
  const failure = bodies.flatMap((b) => b.failure);
  const content = (paths: string[]) => (paths.length > 0 ? { content: json(ctx.schemas.union(paths)) } : {});
  const documented = bodies.length > 0 ? "" : " No response body is documented.";
  const empty = bodies.some((b) => b.emptySuccessAllowed)
    ? " Where the table says so, the body may be empty (AMB-EMPTY-200)."
    : "";
  const refusal =
    failure.length > 0 ? " A refusal may also answer HTTP 200 with the failure body (AMB-ERROR-HTTP-STATUS)." : "";
  return {
    "200": {
      description: `Success${successNote}.${documented}${empty}${refusal}`,
      ...content([...bodies.flatMap((b) => b.success), ...failure]),
    },
    ...(unsafe && {
      "403": {
        description:
          `Refused with HTTP 403: documented for a missing or invalid ${CSRF_HEADER} (AMB-CSRF); other ` +
          `refusals may use it too (see 4XX).${documented}`,
        ...content(failure),
      },
    }),
    "4XX": {
      description:
        "Refused, with any 4xx status (AMB-ERROR-HTTP-STATUS, AMB-AUTH-ERRORS); the statusCode of the failure " +
        `body is decided by AMB-ERROR-CODES. The reference server answers ${referenceStatuses()}.${documented}`,
      ...content(failure),
    },
  };
}
