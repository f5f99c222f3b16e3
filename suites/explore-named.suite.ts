// The classes the explorer finds, each with a name (issue 23): one check per kind of userData value the sources
// name, written with AttachUserData and read back on GET, both fields=* lists and the notification; userData written
// after the invitation, read back in a workbin's content once the interaction is parked there; and operations
// in flight at once on one interaction, whose answers, state and notifications must be those of some serial order.
// They walk the explorer's own steps (src/explore), so a named check and the search judge alike.
import { Op } from "../src/generated/vocabulary.js";
import { operationOf } from "../src/model/catalog.js";
import { inFlight } from "../src/explore/in-flight.js";
import { offer, operate, type Body, type Chosen } from "../src/explore/steps.js";
import { readWorkbin } from "../src/explore/workbin.js";
import { CORNER_TEXT } from "../src/explore/data.js";
import { ExploreModel, type Agent, type Tracked } from "../src/explore/model.js";
import { observeLists } from "../src/explore/observe.js";
import { check, useTarget, type CheckContext, type CheckSpec } from "../src/suite/check.js";

type Json = Record<string, unknown>;
import { bodyFor } from "../src/suite/scenario.js";
import { sideBySide } from "../src/suite/side-by-side.js";

useTarget();

const by = (actor: Agent, name: string): Chosen => ({ actor, op: operationOf(name) });
const body = (t: CheckContext, name: string, userData?: Record<string, unknown>): Body => ({
  ...bodyFor(t, name, "named"),
  ...(userData ? { userData } : {}),
});

/** An interaction offered to the agent and accepted by it, tracked by the explorer's model. */
async function working(t: CheckContext, m: ExploreModel): Promise<Tracked> {
  const it = await offer(t, m, "agent");
  await operate(t, m, it, by("agent", Op.Accept), body(t, Op.Accept));
  return it;
}

/** gws-facts: userData holds "strings and numbers; null and nested objects occur"; RFC 8259: a string is any text. */
const KINDS: { kind: string; what: string; userData: Record<string, unknown> }[] = [
  {
    kind: "unicode-text",
    what: "text beyond Latin-1 (CJK, Hebrew, Arabic, outside the BMP)",
    userData: { Text: CORNER_TEXT.filter((s) => [...s].some((c) => c.codePointAt(0)! > 0xff)).join(" | ") },
  },
  {
    kind: "escapes",
    what: "quotes, backslashes and control characters",
    userData: { Escaped: 'a "q" \\ / \n\t\r \u0000 \u001f' },
  },
  { kind: "empty-string", what: "the empty string", userData: { Empty: "" } },
  { kind: "long-string", what: "a 3000-character string", userData: { Long: "0123456789".repeat(300) } },
  {
    kind: "integers",
    what: "integers beyond 32 bits and the safe-integer limits",
    userData: { Big: 2 ** 31, Small: -(2 ** 31) - 1, Safe: Number.MAX_SAFE_INTEGER, Zero: 0 },
  },
  { kind: "decimals", what: "decimal numbers", userData: { Price: 123456.789, Tiny: 1e-7, Negative: -2.75 } },
  { kind: "null", what: "null", userData: { Nothing: null } },
  {
    kind: "nested-object",
    what: "a nested object",
    userData: { Nested: { Level: "one", Inner: { Text: "café", List: "a,b" } } },
  },
  {
    kind: "many-keys",
    what: "25 keys in one request",
    userData: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`Key${i + 1}`, `value ${i + 1}`])),
  },
  {
    kind: "near-keys",
    what: "keys that differ only in case, a space or an accent",
    userData: { Key: "a", key: "b", KEY: "c", "Key ": "d", Kéy: "e" },
  },
];

for (const { kind, what, userData } of KINDS)
  check(
    {
      id: `userdata.kinds.${kind}`,
      title: `userData holding ${what} reads back unchanged on GET, the fields=* lists and the notification`,
      family: "success",
      operation: "attach-user-data",
      requirements: ["FACT-USERDATA", "REQ-ATTACHUSERDATA-1", "FACT-NOTIFICATION-852", "REQ-ME-FULL-2"],
      ambiguities: ["AMB-USERDATA-INPUT", "AMB-USERDATA-SEMANTICS"],
      needs: { accounts: ["agent", "agent2"] },
    },
    async (t) => {
      const m = new ExploreModel();
      const it = await working(t, m);
      await operate(t, m, it, by("agent", Op.AttachUserData), body(t, Op.AttachUserData, userData));
    },
  );

check(
  {
    id: "userdata.workbin-content",
    title:
      "userData written after the invitation is what a workbin's content lists once the interaction is parked there",
    family: "success",
    operation: "get-workbin-content",
    requirements: [
      "FACT-USERDATA",
      "REQ-ATTACHUSERDATA-1",
      "REQ-PLACEINWORKBIN-1",
      "REQ-GETWORKBINCONTENT-2",
      "REQ-GETWORKBINCONTENT-5",
    ],
    ambiguities: ["AMB-USERDATA-SEMANTICS", "AMB-WORKBIN-OPS", "AMB-GETWORKBIN-ID", "AMB-WORKBIN-CONTENT"],
    needs: { accounts: ["agent", "agent2"], features: ["workbins"] },
  },
  async (t) => {
    const m = new ExploreModel();
    const it = await working(t, m);
    // Plain text: the kinds of value are userdata.kinds.*'s; this one names the content's staleness alone.
    const written = { Written: "after the invitation" };
    await operate(t, m, it, by("agent", Op.AttachUserData), body(t, Op.AttachUserData, written));
    await operate(t, m, it, by("agent", Op.PlaceInWorkbin), body(t, Op.PlaceInWorkbin));
    // The agent reads the content from another interaction; each step is held to the model like the explorer's, and
    // both agents' lists after, as after a sequence.
    await readWorkbin(t, m);
    await observeLists(t, m);
  },
);

/**
 * Each pair in flight is sent this many times side by side, each on an interaction of its own: how close together
 * two requests arrive depends on the load, so one pair may happen to be served one after the other.
 */
const ROUNDS = 3;
/** Runs ROUNDS rounds at once; when one fails, the first failure is the check's, once every round has ended. */
async function rounds(round: () => Promise<void>): Promise<void> {
  await sideBySide(Array.from({ length: ROUNDS }, round));
}

/** Each pair sent at once: the check, whether it starts from the invitation or once accepted, and the requests. */
const PAIRS: { spec: Omit<CheckSpec, "needs">; from: "invited" | "working"; name: string; userData?: Json[] }[] = [
  {
    spec: {
      id: "concurrency.accept-twice",
      title:
        "Two Accepts of one invitation in flight at once: one is performed, the other refused, as in any serial order",
      family: "preconditions",
      operation: "accept",
      requirements: ["REQ-ACCEPT-1", "REQ-ACCEPT-6", "FACT-STATES"],
      ambiguities: ["AMB-REQUESTS-IN-FLIGHT"],
    },
    from: "invited",
    name: Op.Accept,
  },
  {
    spec: {
      id: "concurrency.complete-twice",
      title:
        "Two Completes of one interaction in flight at once: one is performed, the other refused, as in any serial order",
      family: "preconditions",
      operation: "complete",
      requirements: ["REQ-COMPLETE-1", "REQ-COMPLETE-2", "FACT-NOTIFICATION-852"],
      ambiguities: ["AMB-REMOVAL-STATE", "AMB-REQUESTS-IN-FLIGHT"],
    },
    from: "working",
    name: Op.Complete,
  },
  {
    spec: {
      id: "concurrency.attach-twice",
      title:
        "Two AttachUserData of different keys in flight at once: both keys are stored and notified, as in any serial order",
      family: "success",
      operation: "attach-user-data",
      requirements: ["FACT-USERDATA", "FACT-NOTIFICATION-852", "REQ-ATTACHUSERDATA-1"],
      ambiguities: ["AMB-USERDATA-SEMANTICS", "AMB-REQUESTS-IN-FLIGHT"],
    },
    from: "working",
    name: Op.AttachUserData,
    userData: [{ First: "one" }, { Second: "two" }],
  },
];

for (const { spec, from, name, userData } of PAIRS)
  check({ ...spec, needs: { accounts: ["agent", "agent2"] } }, async (t) => {
    const m = new ExploreModel();
    await rounds(async () => {
      const it = from === "invited" ? await offer(t, m, "agent") : await working(t, m);
      const op = by("agent", name);
      await inFlight(t, m, it, [op, op], [body(t, name, userData?.[0]), body(t, name, userData?.[1])]);
    });
  });
