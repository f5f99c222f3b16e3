// Each operation's CometD notifications: the right message, to the right agent, within the deadline — seed:
// 'the true response arrives on the CometD topic (channel) /v2/me/interactions/'; gws-facts: a state change is a
// StatusChange, a userData change a PropertiesUpdated. Where only the register decides its form (a removal's
// state, what the transfer target receives) or that it comes once, a difference is a warning.
import { Op, State } from "../src/generated/vocabulary.js";
import type { ExpectedNotification, NotificationVariant, Operation } from "../src/generated/schema-types.js";
import { isTerminal, specModel } from "../src/model/catalog.js";
import type { ReceivedNotification } from "../src/client/notifications.js";
import { check, useTarget, type CheckContext, type Clause, type Normative } from "../src/suite/check.js";
import { interactionOf, workbinContentOf } from "../src/suite/interactions.js";
import { canonical } from "../src/suite/malformed.js";
import { bodyFor, needsOf, reach, createReply, succeeded, type ReachableState } from "../src/suite/scenario.js";

useTarget();

/** The referenceId a notification carries, on its interaction or on the message itself. */
const referenceOf = (n: ReceivedNotification) =>
  interactionOf(n.data)?.referenceId ?? (n.data as { referenceId?: number } | undefined)?.referenceId;
const { catalog } = specModel();
const NOTIFICATION_AMBIGUITIES = [
  "AMB-NOTIFICATION-NAMES",
  "AMB-CHANNEL-NAME",
  "AMB-REMOVAL-STATE",
  "AMB-REFERENCE-ID",
  "AMB-WORKBIN-CONTENT",
  "AMB-NOTIFICATION-SEQUENCE",
  "AMB-TRANSFER-OUTCOME",
  "AMB-REPLY-LINK",
];

/** The clause a notification's documented form rests on: the 8.5.1 message in seed, either GWS form in gws. */
const formClause = (t: CheckContext, variant: NotificationVariant): Normative =>
  variant === "workbin-content"
    ? "REQ-GETWORKBINCONTENT-5"
    : t.profile === "seed"
      ? "FACT-NOTIFICATION-851"
      : "FACT-NOTIFICATION-852";

/** Which notification `expected` is, for interaction `id`, once the operation was sent on it in state `from`. */
function matcherFor(
  op: Operation,
  expected: ExpectedNotification,
  id: string,
  from: string,
  marker: string,
): (n: ReceivedNotification) => boolean {
  return (n) => {
    if (expected.variant === "workbin-content")
      return workbinContentOf(n.data)?.interactions.some((i) => i.id === id) ?? false;
    const i = interactionOf(n.data);
    if (i?.id !== id) return false;
    if (expected.variant === "userdata-change")
      return op.outcome.userData === "delete"
        ? !!i.userData && !("ConformanceMarker" in i.userData)
        : i.userData?.ConformanceMarker === marker;
    // Where the form is only decided, any state change about it is the notification, judged below.
    if (expected.formClause || expected.to === "target")
      return i.state !== undefined && (expected.to === "target" || i.state !== from);
    return i.state !== undefined && (!expected.state || i.state === expected.state);
  };
}

/** Checks the notification's form: the variant's schemas, at the level its form rests on. */
function expectForm(t: CheckContext, expected: ExpectedNotification, data: unknown, what: string): void {
  const normative = formClause(t, expected.variant);
  if (!expected.formClause) {
    t.expectVariant(expected.variant, data, what, normative);
    return;
  }
  // Decided form: a warning when it differs, but it must still be a documented state-change notification.
  if (t.expectVariant(expected.variant, data, what, expected.formClause as Clause)) return;
  t.expectVariant("state-change", data, what, normative);
  const i = interactionOf(data);
  if (i && isTerminal(i.state)) {
    t.expect(
      "FACT-RESOURCE",
      (i.capabilities ?? []).length === 0,
      `${what} shows the terminal state ${i.state} with capabilities ${JSON.stringify(i.capabilities)}; gws-facts: '[] once terminal'.`,
    );
  }
}

const describeVariant = (e: ExpectedNotification) => `${e.variant}${e.state ? ` (${e.state})` : ""} notification`;

for (const op of catalog.operations) {
  const state = op.validIn[0] as ReachableState;
  for (const expected of op.notifications) {
    const role = expected.to === "actor" ? "agent" : "agent2";
    const clause = expected.clause as Normative;
    check(
      {
        id: `${op.id}.notifies-${expected.to}`,
        title: `${op.title} sends the ${expected.to === "actor" ? "agent" : "transfer target"} its ${describeVariant(expected)}`,
        family: "notifications",
        operation: op.id,
        requirements: [...new Set([...op.requirements, clause])],
        ambiguities: op.ambiguities
          .filter((a) => NOTIFICATION_AMBIGUITIES.includes(a))
          .concat(["AMB-NOTIFICATION-SEQUENCE"]),
        needs: needsOf(op),
      },
      async (t: CheckContext) => {
        const marker = `m-${Math.random().toString(36).slice(2, 10)}`;
        const id = await reach(t, state);
        let current = "conformance";
        if (op.outcome.userData === "delete") {
          current = `before-${marker}`;
          const since = await t.mark("agent");
          const seeded = await t.operate(id, {
            operationName: Op.AttachUserData,
            userData: { ConformanceMarker: current },
          });
          if (!succeeded(t, specModel().operation(Op.AttachUserData), seeded))
            t.fail("REQ-USERDATA-1", `AttachUserData, used to seed the key to delete, answered ${seeded.status}.`);
          await t.expectNotification("agent", id, {
            since,
            clause: "FACT-NOTIFICATION-852",
            description: "the seeded userData",
            match: (i) => i.userData?.ConformanceMarker === current,
          });
        }
        // GetWorkbinContent's content must include an interaction placed in the workbin before (AMB-GETWORKBIN-ID).
        const expectedId = op.operationName === Op.GetWorkbinContent ? await reach(t, State.InWorkbin) : id;
        const since = await t.mark(role);
        const sentAt = performance.now();
        let first: ReceivedNotification;
        let answerBody: unknown;
        if (expected.variant === "created") {
          const made = await createReply(t, id, op);
          t.expect(
            op.validClause as Clause,
            succeeded(t, op, made.answer),
            `${op.title} answered HTTP ${made.answer.status || made.answer.error}; no notification can follow.`,
          );
          first = made.reply!.notification;
          answerBody = made.answer.body;
        } else {
          const answer = await t.operate(id, bodyFor(t, op, op.outcome.userData === "delete" ? current : marker));
          t.expect(
            op.validClause as Clause,
            succeeded(t, op, answer),
            `${op.title} answered HTTP ${answer.status || answer.error}; no notification can follow.`,
          );
          answerBody = answer.body;
          const matches = matcherFor(op, expected, expectedId, state, marker);
          first = await t.mustReceive(role, matches, {
            since,
            clause,
            description: `the ${describeVariant(expected)} of ${op.title} on ${id}`,
          });
          // A workbin's content lists every item in it, so another request's can match too: this request's own
          // carries its referenceId (FACT-REFERENCE-ID), so wait for that one when the first is another's.
          const ownRef =
            expected.to === "actor" ? (answer.body as { referenceId?: unknown } | undefined)?.referenceId : undefined;
          if (typeof ownRef === "number" && ![undefined, ownRef].includes(referenceOf(first))) {
            const own = await t.waitFor(role, (n) => matches(n) && referenceOf(n) === ownRef, {
              since,
              clause: "FACT-REFERENCE-ID",
              description: `the ${describeVariant(expected)} of ${op.title} carrying its referenceId ${ownRef}`,
            });
            if (own) first = own;
          }
        }
        t.note(
          `The ${describeVariant(expected)} arrived ${Math.round(first.receivedAt - sentAt)} ms after the request was sent.`,
        );
        expectForm(t, expected, first.data, `The ${describeVariant(expected)}`);
        // The referenceId of the success body comes back in the notification it causes (FACT-REFERENCE-ID).
        const sentRef =
          expected.to === "actor" ? (answerBody as { referenceId?: unknown } | undefined)?.referenceId : undefined;
        const gotRef = referenceOf(first);
        if (typeof sentRef === "number" && gotRef !== undefined) {
          t.expect(
            "FACT-REFERENCE-ID",
            gotRef === sentRef,
            `The notification carries referenceId ${gotRef}, but ${op.title}'s answer carried ${sentRef}.`,
          );
        }
        // A workbin's content without a referenceId is the same message whichever request caused it: with checks
        // side by side, another's GetWorkbinContent on the same workbin repeats it, so only an own one is counted.
        if (expected.variant === "workbin-content" && referenceOf(first) === undefined) {
          t.note("Exactly once is not checked: nothing tells this request's workbin content from another check's.");
          return;
        }
        // The same notification once: a later event for the same agent (a new invitation) fences the window.
        const fenceId = await t.provision(role);
        const same = canonical(first.data);
        await t.expectNoneBefore(
          role,
          (n) => n.seq > first.seq && canonical(n.data) === same,
          (n) => interactionOf(n.data)?.id === fenceId,
          {
            since,
            clause: "AMB-NOTIFICATION-SEQUENCE",
            description: `the same ${describeVariant(expected)} a second time before the invitation of ${fenceId}`,
          },
        );
      },
    );
  }
}

check(
  {
    id: "provisioning.invitation",
    title: "A provisioned interaction is offered to the agent: an invitation notification, Invited in its list",
    family: "notifications",
    requirements: ["REQ-ACCEPT-1", "REQ-ME-FULL-1", "FACT-NOTIFICATION-852"],
    ambiguities: ["AMB-NOTIFICATION-NAMES", "AMB-NOTIFICATION-SEQUENCE"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const since = await t.mark("agent");
    const id = await t.provision("agent");
    const { notification } = await t.expectNotification("agent", id, {
      since,
      clause: "REQ-ACCEPT-1",
      variant: "invitation",
      variantClause: "FACT-NOTIFICATION-852",
      description: "the invitation",
      match: (i) => i.state === State.Invited,
    });
    const list = await t.get("/api/v2/me/interactions?fields=*");
    const item = ((list.body as { interactions?: unknown[] })?.interactions ?? [])
      .map((i) => interactionOf(i) ?? (i as { id: string; state?: string }))
      .find((i) => i.id === id);
    if (!item)
      t.fail("REQ-ME-FULL-1", `The invited interaction ${id} is not in the agent's /me/interactions?fields=*.`);
    t.expect(
      "FACT-STATES",
      item.state === State.Invited,
      `The invited interaction is listed in state ${String(item.state)}, not Invited.`,
    );
    const fenceId = await t.provision("agent");
    const same = canonical(notification.data);
    await t.expectNoneBefore(
      "agent",
      (n) => n.seq > notification.seq && canonical(n.data) === same,
      (n) => interactionOf(n.data)?.id === fenceId,
      {
        since,
        clause: "AMB-NOTIFICATION-SEQUENCE",
        description: `the same invitation of ${id} a second time`,
      },
    );
  },
);
