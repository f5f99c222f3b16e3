// Conforming variants that refuse otherwise: other HTTP statuses, error bodies and statusCodes.
import type { Variant } from "../variants.js";

export const REFUSAL_VARIANTS: Variant[] = [
  {
    name: "unauthenticated-403",
    description:
      "A request without valid credentials (and, with channel-refusal-http, a CometD request) is refused with HTTP 403, not 401.",
    register: "AMB-AUTH-ERRORS",
    apply: (r) => void (r.httpStatus.unauthenticated = 403),
  },
  {
    name: "refusals-other-4xx",
    description:
      "Refusals use other 4xx statuses: 422 for an invalid state or parameter, 404 for another agent's interaction.",
    register: "AMB-ERROR-HTTP-STATUS",
    apply: (r) =>
      Object.assign(r.httpStatus, {
        invalidState: 422,
        foreignInteraction: 404,
        missingParameter: 422,
        invalidParameter: 422,
      }),
  },
  {
    name: "refusals-http-200",
    description:
      "Refusals other than authentication, CSRF and transport limits answer HTTP 200 with the failure envelope.",
    register: "AMB-ERROR-HTTP-STATUS",
    apply: (r) =>
      Object.assign(r.httpStatus, {
        missingRole: 200,
        foreignInteraction: 200,
        unknownInteraction: 200,
        missingParameter: 200,
        invalidParameter: 200,
        invalidState: 200,
        notFound: 200,
      }),
  },
  {
    name: "empty-error-bodies",
    description: "Every 4xx refusal has an empty body.",
    register: "AMB-ERROR-BODY",
    apply: (r) => void (r.errorBody = "empty"),
  },
  {
    name: "text-error-bodies",
    description: "Every 4xx refusal's body is its message as text/plain.",
    register: "AMB-ERROR-BODY",
    apply: (r) => void (r.errorBody = "text"),
  },
  {
    name: "other-status-codes",
    description:
      "Refusals carry other fitting statusCodes: 3 for an invalid state or a missing role, 8 for an invalid parameter, 5 for another agent's interaction.",
    register: "AMB-ERROR-CODES",
    apply: (r) =>
      Object.assign(r.statusCode, { invalidState: 3, invalidParameter: 8, foreignInteraction: 5, missingRole: 3 }),
  },
];
