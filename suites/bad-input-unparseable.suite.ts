// Bad input, unparseable: request bodies that name no operation (malformed JSON, not an object, no or an unknown
// operationName, not JSON at all) are refused, never with a 5xx, and change nothing (AMB-UNPARSEABLE-REQUEST).
import { Op, State } from "../src/generated/vocabulary.js";
import { check, useTarget, type CheckContext, type Clause, type RefusalRule } from "../src/suite/check.js";
import { codes } from "../src/suite/expectations.js";
import { expectUnchanged, NOT_AN_OBJECT_CODES, shown, unparseableFailures } from "../src/suite/malformed.js";
import { reach, snapshot } from "../src/suite/scenario.js";

useTarget();

// Requests that name no known operation: which envelope refuses them is AMB-UNPARSEABLE-REQUEST.
const UNPARSEABLE = ["AMB-UNPARSEABLE-REQUEST", "AMB-ERROR-HTTP-STATUS", "AMB-ERROR-CODES", "AMB-ERROR-BODY"];
/** A body that names no known operation is refused (REQ-OPS-1); its envelope is AMB-UNPARSEABLE-REQUEST's. */
const unparseableRule = (t: CheckContext, clause: Clause, codes?: number[]): RefusalRule => ({
  clause,
  failure: unparseableFailures(t.profile),
  envelope: t.profile === "seed" ? "AMB-UNPARSEABLE-REQUEST" : "FACT-ENVELOPE-1",
  codes,
});
const JSON_TYPE = { "Content-Type": "application/json" };
const unparseable: {
  id: string;
  title: string;
  raw: string;
  headers?: Record<string, string>;
  codes?: number[];
  note?: string;
}[] = [
  {
    id: "malformed-json",
    title: "A body that is not valid JSON is refused",
    raw: '{"operationName":',
    codes: NOT_AN_OBJECT_CODES,
  },
  {
    id: "array-body",
    title: "A body that is a JSON array is refused",
    raw: `[{"operationName":"${Op.Accept}"}]`,
    codes: NOT_AN_OBJECT_CODES,
  },
  {
    id: "string-body",
    title: "A body that is a JSON string is refused",
    raw: JSON.stringify(Op.Accept),
    codes: NOT_AN_OBJECT_CODES,
  },
  { id: "empty-body", title: "An empty body is refused", raw: "", codes: NOT_AN_OBJECT_CODES },
  {
    id: "no-operation-name",
    title: "A body without operationName is refused",
    raw: '{"queueName":"conformance"}',
    codes: codes().missingParameter,
  },
  // gws: "any code above 0 for an unknown operationName": no code is asserted beyond the envelope's.
  {
    id: "unknown-operation-name",
    title: "An unknown operationName is refused",
    raw: '{"operationName":"ConformanceNoSuchOperation"}',
  },
  // 42 names no operation (any code above 0) and is a wrongly typed parameter (1 or 8): the union, any code above 0.
  {
    id: "wrong-type-operation-name",
    title: "An operationName that is not a string is refused",
    raw: '{"operationName":42}',
  },
  {
    id: "non-json-content-type",
    title: "A form-encoded (non-JSON) body is refused",
    raw: "operationName=Accept",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    codes: NOT_AN_OBJECT_CODES,
  },
];

for (const c of unparseable) {
  check(
    {
      id: `bad-input.${c.id}`,
      title: `${c.title}, changing nothing`,
      family: "bad-input",
      operation: "request",
      requirements: ["REQ-OPS-1"],
      ambiguities: UNPARSEABLE,
      needs: { accounts: ["agent"] },
    },
    async (t: CheckContext) => {
      const id = await reach(t, State.Invited);
      const before = await snapshot(t, id);
      const headers = c.headers ?? JSON_TYPE;
      const answer = await t.operate(id, undefined, "agent", { raw: c.raw, headers });
      const what = `POST /me/interactions/${id} with ${headers["Content-Type"]} body ${c.raw === "" ? "(empty)" : shown(c.raw)}`;
      t.expectRefusal(answer, unparseableRule(t, "REQ-OPS-1", c.codes), what);
      if (answer.body !== undefined)
        t.note(`Refused with HTTP ${answer.status} and ${shown(answer.body)} (AMB-UNPARSEABLE-REQUEST).`);
      expectUnchanged(t, before, await snapshot(t, id), what, "REQ-OPS-1");
    },
  );
}
