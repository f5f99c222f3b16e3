// Each operation's CometD notifications: the right message, to the right agent, within the deadline, exactly
// once — seed: 'the true response arrives on the CometD topic (channel) /v2/me/interactions/'.
import type { ExpectedNotification, Operation } from "../src/generated/schema-types.js";
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { interactionOf, workbinContentOf, type InteractionSeen } from "../src/suite/interactions.js";
import { bodyFor, needsOf, reach, type ReachableState } from "../src/suite/scenario.js";
import type { ReceivedNotification } from "../src/client/notifications.js";

useTarget();
const { catalog } = specModel();
const NOTIFICATION_AMBIGUITIES = ["AMB-NOTIFICATION-NAMES", "AMB-CHANNEL-NAME", "AMB-REMOVAL-STATE", "AMB-REFERENCE-ID", "AMB-WORKBIN-CONTENT"];

/** Which notification `expected` is, for interaction `id` (or the reply it created). */
function matcherFor(op: Operation, expected: ExpectedNotification, id: string, marker: string): (n: ReceivedNotification) => boolean {
  return (n) => {
    if (expected.variant === "workbin-content") return workbinContentOf(n.data)?.interactions.some((i) => i.id === id) ?? false;
    const i = interactionOf(n.data);
    if (!i) return false;
    if (expected.variant === "created") return i.parentId === id && (!expected.state || i.state === expected.state);
    if (i.id !== id) return false;
    switch (expected.variant) {
      case "invitation":
        return i.state === "Invited";
      case "removal":
        return i.state === "Completed" || i.state === "Revoked";
      case "userdata-change":
        return op.outcome.userData === "delete" ? !!i.userData && !("ConformanceMarker" in i.userData) : i.userData?.ConformanceMarker === marker;
      default:
        return !expected.state || i.state === expected.state;
    }
  };
}

const describeVariant = (e: ExpectedNotification) => `${e.variant}${e.state ? ` (${e.state})` : ""} notification`;

for (const op of catalog.operations) {
  const state = op.validIn[0] as ReachableState;
  for (const expected of op.notifications) {
    const role = expected.to === "actor" ? "agent" : "agent2";
    check(
      {
        id: `${op.id}.notifies-${expected.to}`,
        title: `${op.title} sends the ${expected.to === "actor" ? "agent" : "transfer target"} one ${describeVariant(expected)}`,
        family: "notifications",
        operation: op.id,
        requirements: op.requirements,
        ambiguities: op.ambiguities.filter((a) => NOTIFICATION_AMBIGUITIES.includes(a)),
        needs: needsOf(op),
      },
      async (t: CheckContext) => {
        const marker = `m-${Math.random().toString(36).slice(2, 10)}`;
        const id = await reach(t, state);
        if (op.outcome.userData === "delete") {
          const seeded = await t.operate(id, { operationName: "AttachUserData", userData: { ConformanceMarker: "before" } });
          if (seeded.status !== 200) t.fail(`AttachUserData, used to seed the key to delete, answered ${seeded.status}.`);
          await t.expectNotification("agent", id, { since: 0, description: "the seeded userData", match: (i) => i.userData?.ConformanceMarker === "before" });
        }
        // GetWorkbinContent's content must include an interaction placed in the workbin before (AMB-GETWORKBIN-ID).
        const expectedId = op.operationName === "GetWorkbinContent" ? await reach(t, "InWorkbin") : id;
        const since = await t.mark(role);
        const sentAt = performance.now();
        const answer = await t.operate(id, bodyFor(t, op, marker));
        if (answer.status < 200 || answer.status > 299) t.fail(`${op.title} answered HTTP ${answer.status || answer.error}; no notification can follow.`);
        const client = await t.notifications(role);
        const matches = matcherFor(op, expected, expectedId, marker);
        const first = await client.waitFor(matches, {
          since,
          within: t.config.timeouts.notificationMs,
          description: `the ${describeVariant(expected)} of ${op.title} on ${id}`,
        });
        t.note(`The ${describeVariant(expected)} arrived ${Math.round(first.receivedAt - sentAt)} ms after the request was sent.`);
        t.expectVariant(expected.variant, first.data, `The ${describeVariant(expected)}`);
        // gws: the referenceId of the success body comes back in the notification it causes (AMB-REFERENCE-ID).
        const referenceId = (answer.body as { referenceId?: unknown } | undefined)?.referenceId;
        const seen: InteractionSeen | undefined = interactionOf(first.data);
        const sentRef = typeof referenceId === "number" && expected.to === "actor" ? referenceId : undefined;
        const gotRef = seen?.referenceId ?? (first.data as { referenceId?: number }).referenceId;
        if (t.profile === "gws" && sentRef !== undefined && gotRef !== undefined && gotRef !== sentRef) {
          t.fail(`The notification carries referenceId ${gotRef}, but ${op.title}'s answer carried ${sentRef} (AMB-REFERENCE-ID).`);
        }
        // Exactly once: a later event for the same agent (a new invitation) fences the window for a duplicate.
        const fenceId = await t.provision(role);
        await client.expectNothingBefore(
          (n) => n.seq > first.seq && matches(n),
          (n) => interactionOf(n.data)?.id === fenceId,
          { since, within: t.config.timeouts.notificationMs, description: `a second ${describeVariant(expected)} before the invitation of ${fenceId}` },
        );
      },
    );
  }
}

check(
  {
    id: "provisioning.invitation",
    title: "A provisioned interaction is offered to the agent: one invitation notification, Invited in its list",
    family: "notifications",
    requirements: ["REQ-ACCEPT-1", "REQ-ME-FULL-1"],
    ambiguities: ["AMB-NOTIFICATION-NAMES"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const since = await t.mark("agent");
    const id = await t.provision("agent");
    const { notification } = await t.expectNotification("agent", id, { since, variant: "invitation", description: "the invitation", match: (i) => i.state === "Invited" });
    const list = await t.get("/api/v2/me/interactions?fields=*");
    const item = ((list.body as { interactions?: { id: string; state?: string }[] })?.interactions ?? []).find((i) => i.id === id);
    if (!item) t.fail(`The invited interaction ${id} is not in the agent's /me/interactions?fields=*.`);
    if (item.state !== "Invited") t.fail(`The invited interaction is listed in state ${String(item.state)}, not Invited.`);
    const client = await t.notifications("agent");
    const fenceId = await t.provision("agent");
    await client.expectNothingBefore(
      (n) => n.seq > notification.seq && interactionOf(n.data)?.id === id,
      (n) => interactionOf(n.data)?.id === fenceId,
      { since, within: t.config.timeouts.notificationMs, description: `a second notification about ${id}` },
    );
  },
);
