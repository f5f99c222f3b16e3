// Bad input: each operation without a required parameter, with a parameter of the wrong JSON type, and on an
// interaction that does not exist; request bodies that name no operation (malformed JSON, not an object, no or
// an unknown operationName, not JSON at all); and hostile but well-formed bodies (prototype pollution, a
// megabyte string, an unknown member). A refusal is a 4xx or a 200 with the failure envelope, never a 5xx, and
// changes nothing (AMB-ERROR-HTTP-STATUS, AMB-ERROR-CODES, AMB-UNPARSEABLE-REQUEST, AMB-REQUEST-EXTRA-PARAMS).
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext, type Clause, type RefusalRule } from "../src/suite/check.js";
import { codes, refusalOf, REQUEST_AMBIGUITIES } from "../src/suite/expectations.js";
import {
  abbreviateLastExchange,
  acceptedOrRefused,
  answered,
  expectUnchanged,
  NOT_AN_OBJECT_CODES,
  requiredParameters,
  shown,
  unparseableFailures,
  wrongTypeValue,
} from "../src/suite/malformed.js";
import { runContext } from "../src/suite/run-context.js";
import { bodyFor, needsOf, reach, snapshot, type ReachableState } from "../src/suite/scenario.js";

useTarget();
const { catalog } = specModel();
// The request schema, and so the parameters, depend on the profile (AMB-DELETE-KEYS, AMB-TRANSFER-TARGET).
const profile = runContext().profile;
const REFUSAL = ["AMB-ERROR-HTTP-STATUS", "AMB-ERROR-CODES", "AMB-ERROR-BODY", "AMB-ENVELOPE"];
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

for (const op of catalog.operations) {
  const state = op.validIn[0] as ReachableState;
  const ambiguities = [...REFUSAL, ...op.ambiguities.filter((a) => REQUEST_AMBIGUITIES.includes(a))];
  const base = {
    family: "bad-input" as const,
    operation: op.id,
    requirements: op.requirements,
    ambiguities,
    needs: needsOf(op),
  };

  for (const param of requiredParameters(op, profile)) {
    // Check ids are lower-case (the CLI's --only accepts [a-z0-9*-] segments): queueName -> queue-name.
    const slug = kebab(param);
    check(
      {
        ...base,
        id: `${op.id}.missing-${slug}`,
        title: `${op.title} without its required ${param} is refused, changing nothing`,
      },
      async (t: CheckContext) => {
        const id = await reach(t, state);
        const body = bodyFor(t, op);
        delete body[param];
        const before = await snapshot(t, id);
        const answer = await t.operate(id, body);
        const what = `${op.title} without ${param} (${shown(body)}) on an interaction in state ${state}`;
        const clause = op.requestClause[t.profile] as Clause;
        if (t.expectRefusal(answer, refusalOf(t, op, clause, codes().missingParameter), what) === "refused")
          expectUnchanged(t, before, await snapshot(t, id), what, op.envelope[t.profile] as Clause);
      },
    );

    check(
      {
        ...base,
        id: `${op.id}.wrong-type-${slug}`,
        title: `${op.title} with ${param} of the wrong JSON type is refused, changing nothing`,
      },
      async (t: CheckContext) => {
        const id = await reach(t, state);
        const body = { ...bodyFor(t, op), [param]: wrongTypeValue(op, t.profile, param) };
        const before = await snapshot(t, id);
        const answer = await t.operate(id, body);
        const what = `${op.title} with ${param} of the wrong type (${shown(body)}) on an interaction in state ${state}`;
        const clause = op.requestClause[t.profile] as Clause;
        if (t.expectRefusal(answer, refusalOf(t, op, clause, codes().invalidParameter), what) === "refused")
          expectUnchanged(t, before, await snapshot(t, id), what, op.envelope[t.profile] as Clause);
      },
    );
  }

  check(
    {
      ...base,
      id: `${op.id}.unknown-interaction`,
      title: `${op.title} on an interaction id that does not exist is refused`,
    },
    async (t: CheckContext) => {
      const id = `0000NoSuch${Math.random().toString(36).slice(2, 12)}`;
      const body = bodyFor(t, op);
      const answer = await t.operate(id, body);
      const what = `${op.title} (${shown(body)}) on the unknown interaction id ${id}`;
      t.expectRefusal(answer, refusalOf(t, op, "REQ-OPS-1", codes().unknownInteraction), what);
    },
  );
}

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
    raw: '[{"operationName":"Accept"}]',
    codes: NOT_AN_OBJECT_CODES,
  },
  { id: "string-body", title: "A body that is a JSON string is refused", raw: '"Accept"', codes: NOT_AN_OBJECT_CODES },
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
      const id = await reach(t, "Invited");
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

const model = specModel();
const attach = model.operation("AttachUserData");
const accept = model.operation("Accept");
const SILENT = ["AMB-REQUEST-EXTRA-PARAMS", "AMB-ERROR-HTTP-STATUS", "AMB-UNPARSEABLE-REQUEST", "AMB-ERROR-BODY"];
/** A refusal of a body the server may reject before reading its operation: the operation's or the unparseable envelope. */
const eitherRule = (t: CheckContext, op: typeof attach, clause: Clause): RefusalRule => ({
  clause,
  failure: [...new Set([...op.response[t.profile].failure, ...unparseableFailures(t.profile)])],
  envelope: op.envelope[t.profile] as Clause,
});
const ownKey = (o: unknown, key: string) =>
  typeof o === "object" && o !== null && Object.prototype.hasOwnProperty.call(o, key);

check(
  {
    id: "bad-input.prototype-pollution",
    title: "AttachUserData with __proto__ or constructor.prototype in userData pollutes nothing",
    family: "bad-input",
    operation: attach.id,
    requirements: ["REQ-OPS-1", "REQ-ATTACHUSERDATA-1"],
    ambiguities: [...SILENT, "AMB-USERDATA-INPUT"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const marker = `pp-${Math.random().toString(36).slice(2, 10)}`;
    const id = await reach(t, "Processing");
    const attacks = [
      {
        via: "__proto__",
        polluted: "ConformancePolluted",
        raw: `{"operationName":"AttachUserData","userData":{"ConformanceMarker":"${marker}","__proto__":{"ConformancePolluted":"${marker}"}}}`,
      },
      {
        via: "constructor.prototype",
        polluted: "ConformancePolluted2",
        raw: `{"operationName":"AttachUserData","userData":{"ConformanceMarker":"${marker}","constructor":{"prototype":{"ConformancePolluted2":"${marker}"}}}}`,
      },
    ];
    for (const attack of attacks) {
      const before = await snapshot(t, id);
      const answer = await t.operate(id, undefined, "agent", { raw: attack.raw });
      const what = `AttachUserData with userData.${attack.via} (${shown(attack.raw, 200)})`;
      if (
        acceptedOrRefused(
          t,
          answer,
          eitherRule(t, attach, "AMB-REQUEST-EXTRA-PARAMS"),
          what,
          "either answer is accepted (AMB-REQUEST-EXTRA-PARAMS)",
        ) === "refused"
      ) {
        expectUnchanged(t, before, await snapshot(t, id), what, attach.envelope[t.profile] as Clause);
      }
    }
    // The attacked interaction: the polluting members may appear only as the literal keys that were sent.
    const own = await snapshot(t, id);
    for (const attack of attacks) {
      if (ownKey(own.userData, attack.polluted)) {
        t.fail(
          "FACT-USERDATA",
          `After AttachUserData with userData.${attack.via}, the interaction's userData holds ${attack.polluted} as its own key: the nested member was merged into the top level (${shown(own.userData, 200)}).`,
        );
      }
    }
    // A fresh interaction: no member of the attack may have reached objects the server creates later.
    const fresh = await reach(t, "Processing");
    const seen = await t.get(`/api/v2/interactions/${encodeURIComponent(fresh)}`);
    if (seen.status !== 200)
      t.fail(
        "FACT-SINGULAR",
        `After the pollution attempts, GET /interactions/${fresh} of a fresh interaction answered ${answered(seen)}.`,
      );
    const userData = (seen.body as { interaction?: { userData?: unknown } } | undefined)?.interaction?.userData;
    for (const attack of attacks) {
      if (ownKey(userData, attack.polluted) || seen.text.includes(marker)) {
        t.fail(
          "REQ-OPS-1",
          `After AttachUserData with userData.${attack.via}, a fresh interaction ${fresh} shows the polluted member (${shown(userData, 200)}): the server's object prototype was polluted.`,
        );
      }
    }
  },
);

check(
  {
    id: "bad-input.huge-string",
    title: "AttachUserData with a 1 MB string value answers in time, never 5xx, and a refusal changes nothing",
    family: "bad-input",
    operation: attach.id,
    requirements: ["REQ-OPS-1", "REQ-ATTACHUSERDATA-1"],
    ambiguities: [...SILENT, "AMB-USERDATA-INPUT"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const id = await reach(t, "Processing");
    const size = 1024 * 1024;
    const summary = `{"operationName":"AttachUserData","userData":{"ConformanceHuge":"<${size} × x>"}}`;
    const before = await snapshot(t, id);
    const answer = await t.operate(id, undefined, "agent", {
      raw: `{"operationName":"AttachUserData","userData":{"ConformanceHuge":"${"x".repeat(size)}"}}`,
    });
    abbreviateLastExchange(t, summary);
    const what = `AttachUserData with a ${size}-character string (${summary})`;
    // A server may refuse an oversized upload by answering early and closing the connection while the client is
    // still sending; the client then sees the connection cut. That is a refusal, not silence.
    if (answer.status === 0 && /reset|closed while sending/.test(answer.error ?? "")) {
      t.note(`${what} was cut off by the server (${answer.error}): treated as a refusal.`);
      expectUnchanged(t, before, await snapshot(t, id), what, attach.envelope[t.profile] as Clause);
      return;
    }
    if (
      acceptedOrRefused(
        t,
        answer,
        eitherRule(t, attach, "AMB-BODY-LIMIT"),
        what,
        "the page and gws-facts set no size limit, so either answer is accepted (AMB-BODY-LIMIT)",
      ) === "refused"
    ) {
      expectUnchanged(t, before, await snapshot(t, id), what, attach.envelope[t.profile] as Clause);
    } else {
      const after = await snapshot(t, id);
      t.expect(
        "FACT-SINGULAR",
        after.status === 200,
        `After accepting ${what}, GET /interactions/${id} answered HTTP ${after.status}.`,
      );
    }
  },
);

check(
  {
    id: "bad-input.extra-parameter",
    title: "Accept with an unknown member is accepted or refused, never 5xx, and a refusal changes nothing",
    family: "bad-input",
    operation: accept.id,
    requirements: ["REQ-OPS-1", "REQ-ACCEPT-7"],
    ambiguities: ["AMB-REQUEST-EXTRA-PARAMS", "AMB-ERROR-HTTP-STATUS", "AMB-ENVELOPE"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const id = await reach(t, "Invited");
    const before = await snapshot(t, id);
    const body = { ...bodyFor(t, accept), ConformanceUnknownMember: "ignore-or-refuse" };
    const answer = await t.operate(id, body);
    const what = `Accept with an unknown member (${shown(body)})`;
    if (
      acceptedOrRefused(
        t,
        answer,
        refusalOf(t, accept, "AMB-REQUEST-EXTRA-PARAMS"),
        what,
        "AMB-REQUEST-EXTRA-PARAMS allows either",
      ) === "refused"
    ) {
      expectUnchanged(t, before, await snapshot(t, id), what, accept.envelope[t.profile] as Clause);
    }
  },
);
