// Bad input, hostile: well-formed bodies that are hostile (prototype pollution, a megabyte string, an unknown
// member) are accepted or refused, never with a 5xx, and a refusal changes nothing (AMB-REQUEST-EXTRA-PARAMS).
import { Op, State } from "../src/generated/vocabulary.js";
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext, type Clause, type RefusalRule } from "../src/suite/check.js";
import { refusalOf } from "../src/suite/expectations.js";
import {
  abbreviateLastExchange,
  acceptedOrRefused,
  answered,
  expectUnchanged,
  shown,
  unparseableFailures,
} from "../src/suite/malformed.js";
import { bodyFor, reach, snapshot } from "../src/suite/scenario.js";

useTarget();
const model = specModel();
const attach = model.operation(Op.AttachUserData);
const accept = model.operation(Op.Accept);
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
    const id = await reach(t, State.Processing);
    const attacks = [
      {
        via: "__proto__",
        polluted: "ConformancePolluted",
        raw: `{"operationName":"${Op.AttachUserData}","userData":{"ConformanceMarker":"${marker}","__proto__":{"ConformancePolluted":"${marker}"}}}`,
      },
      {
        via: "constructor.prototype",
        polluted: "ConformancePolluted2",
        raw: `{"operationName":"${Op.AttachUserData}","userData":{"ConformanceMarker":"${marker}","constructor":{"prototype":{"ConformancePolluted2":"${marker}"}}}}`,
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
    const fresh = await reach(t, State.Processing);
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
    const id = await reach(t, State.Processing);
    const size = 1024 * 1024;
    const summary = `{"operationName":"${Op.AttachUserData}","userData":{"ConformanceHuge":"<${size} × x>"}}`;
    const before = await snapshot(t, id);
    const answer = await t.operate(id, undefined, "agent", {
      raw: `{"operationName":"${Op.AttachUserData}","userData":{"ConformanceHuge":"${"x".repeat(size)}"}}`,
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
    const id = await reach(t, State.Invited);
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
