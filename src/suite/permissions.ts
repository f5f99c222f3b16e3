// The permission checks' shared steps (suites/permissions-*.suite.ts): the register entries they rest on, and
// what a refusal for authentication must look like.
import { codes } from "./expectations.js";
import type { CheckContext } from "./check.js";
import type { HttpAnswer } from "./http.js";

export const AUTH = ["AMB-AUTH-ERRORS", "AMB-ERROR-HTTP-STATUS", "AMB-ERROR-CODES", "AMB-ERROR-BODY"];

/**
 * Refused for authentication (AMB-AUTH-ERRORS): not applied (PROTO-HTTP-4XX-AUTH, the page's Agent permission):
 * any 4xx, or 200 with an error body; 401 or 403 is expected (decided); gws: a JSON body carries statusCode 20.
 */
export function expectUnauthenticated(t: CheckContext, answer: HttpAnswer, what: string): void {
  t.expect("PROTO-HTTP-ANSWER", answer.status !== 0, () => `${what}: ${answer.error}.`);
  t.expect(
    "PROTO-HTTP-5XX",
    answer.status < 500,
    `${what} answered HTTP ${answer.status}; a missing credential is the client's mistake, never a 5xx.`,
  );
  const statusCode = (answer.body as { statusCode?: unknown } | undefined)?.statusCode;
  const refusedBy200 = answer.status === 200 && typeof statusCode === "number" && statusCode > 0;
  const refused = (answer.status >= 400 && answer.status < 500) || refusedBy200;
  t.expect(
    "PROTO-HTTP-4XX-AUTH",
    refused,
    `${what} was not refused: HTTP ${answer.status} ${answer.text.slice(0, 120)}.`,
  );
  t.expect(
    "AMB-AUTH-ERRORS",
    refusedBy200 || answer.status === 401 || answer.status === 403,
    `${what} was refused with HTTP ${answer.status}, not 401 or 403.`,
  );
  if (t.profile === "gws" && answer.body !== undefined) {
    t.expect(
      "FACT-ROLES",
      codes().unauthenticated.includes(statusCode as number),
      `${what} was refused with statusCode ${JSON.stringify(statusCode)}; gws-facts: not authenticated -> statusCode 20.`,
    );
  }
}
