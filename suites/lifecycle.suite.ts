// Whole lifecycles of an interaction, step by step: after each step the REST view (GET /interactions/{id} and
// the agent's /me/interactions) agrees with the last notification the agent received about the interaction,
// and the notifications go through the states in the order of the steps — seed: 'the true response arrives on
// the CometD topic (channel) /v2/me/interactions/'; the fields=* list is 'in the same format as CometD notifications'.
import type { Operation } from "../src/generated/schema-types.js";
import { specModel } from "../src/model/catalog.js";
import type { ReceivedNotification } from "../src/client/notifications.js";
import type { AccountRole } from "../src/runner/config.js";
import { check, useTarget, type CheckContext, type Clause, type Normative } from "../src/suite/check.js";
import type { HttpAnswer } from "../src/suite/http.js";
import { interactionOf, workbinContentOf, type InteractionSeen } from "../src/suite/interactions.js";
import { answered, shown } from "../src/suite/malformed.js";
import { bodyFor, REMOVED, replyTo, succeeded } from "../src/suite/scenario.js";

useTarget();
const model = specModel();
const NOTIFIED = [
  "AMB-NOTIFICATION-NAMES",
  "AMB-REMOVAL-STATE",
  "AMB-GET-INTERACTION-WRAP",
  "AMB-NOTIFICATION-SEQUENCE",
];
/** States in which an agent works on an interaction: a later one, in a step that ends it, is its removal. */
const WORKING = ["Invited", "Processing", "Composing"];

/** One interaction as one agent sees it: where its notifications start, and which states they must go through. */
interface Track {
  role: AccountRole;
  id: string;
  /** The agent's notification cursor before the interaction reached it. */
  since: number;
}

/** What the notifications `role` received about `id` (from `since`) said last. */
interface LastNotified {
  /** The last state named, and the notification's seq. */
  state: string;
  seq: number;
  /** The last notification that carried userData (a PropertiesUpdated message may name no state). */
  userData?: { value: Record<string, unknown>; seq: number };
}

async function lastNotified(t: CheckContext, track: Track): Promise<LastNotified> {
  const client = await t.notifications(track.role);
  const about = client.received
    .filter((n) => n.seq >= track.since)
    .map((n) => ({ n, seen: interactionOf(n.data) }))
    .filter((x): x is { n: ReceivedNotification; seen: InteractionSeen } => x.seen?.id === track.id);
  const stated = about.filter((x) => typeof x.seen.state === "string").at(-1);
  if (!stated)
    t.fail(
      "FACT-NOTIFICATION-852",
      `${track.role} has received no notification naming a state for interaction ${track.id}.`,
    );
  const withUserData = about.filter((x) => x.seen.userData !== undefined).at(-1);
  return {
    state: stated.seen.state!,
    seq: stated.n.seq,
    userData: withUserData ? { value: withUserData.seen.userData!, seq: withUserData.n.seq } : undefined,
  };
}

/** Sends `body` as `role`; fails (the operation's validClause) unless it was performed. */
async function perform(
  t: CheckContext,
  role: AccountRole,
  id: string,
  body: Record<string, unknown>,
  inState: string,
): Promise<HttpAnswer> {
  const op = model.operation(String(body.operationName));
  const answer = await t.operate(id, body, role);
  t.expect(
    op.validClause as Clause,
    succeeded(t, op, answer),
    () =>
      `${op.title} (${shown(body)}) by ${role} on interaction ${id} in state ${inState} answered ${answered(answer)} instead of succeeding.`,
  );
  return answer;
}

/** Performs a step and waits for the notification it causes (`clause`: why it must come). */
async function step(
  t: CheckContext,
  track: Track,
  body: Record<string, unknown>,
  inState: string,
  expected: { description: string; match: (i: InteractionSeen) => boolean; clause?: Normative },
): Promise<{ interaction: InteractionSeen; answer: HttpAnswer }> {
  const since = await t.mark(track.role);
  const answer = await perform(t, track.role, track.id, body, inState);
  const description = `${expected.description} after ${String(body.operationName)} (${shown(body)}, answered HTTP ${answer.status})`;
  const { interaction } = await t.expectNotification(track.role, track.id, {
    since,
    clause: expected.clause ?? "FACT-NOTIFICATION-852",
    description,
    match: expected.match,
  });
  return { interaction, answer };
}

/** The notification of a step that ends the agent's work on it: any state it does not work in (AMB-REMOVAL-STATE). */
const removal = (op: Operation | string) => ({
  description: "the removal notification",
  match: (i: InteractionSeen) => i.state !== undefined && !WORKING.includes(i.state),
  leaves: (typeof op === "string" ? model.operation(op) : op).outcome.leavesClause as Clause,
});

type Holding =
  /** The agent works on it: GET answers, and the state matches the last notification; it is in the agent's list. */
  | "held"
  /** It left the agent: gone from its lists (`leaves`); if still readable, in the state of the last notification. */
  | { left: Clause }
  /** It went to another agent: gone from this agent's lists; what GET shows this agent is not asserted. */
  | { moved: Clause };

/** After `after`, the REST view of `track` agrees with its last notification. */
async function expectRestMatches(
  t: CheckContext,
  track: Track,
  after: string,
  holding: Holding,
  userData?: { key: string; value: string | undefined },
): Promise<void> {
  const last = await lastNotified(t, track);
  const { role, id } = track;
  const seen = await t.get(`/api/v2/interactions/${encodeURIComponent(id)}`, role);
  const interaction = (seen.body as { interaction?: Record<string, unknown> } | undefined)?.interaction;
  const full = await t.get("/api/v2/me/interactions?fields=*", role);
  // Items are 'in the same format as the CometD notifications' (REQ-ME-FULL-2): read them like notifications.
  const items = (full.body as { interactions?: unknown[] } | undefined)?.interactions ?? [];
  const listed = items.map((i) => interactionOf(i) ?? (i as { id?: string; state?: string })).find((i) => i.id === id);
  const told = `the last notification about it (#${last.seq}) says ${last.state}`;

  if (holding === "held") {
    if (!interaction)
      t.fail(
        "FACT-SINGULAR",
        `After ${after}, GET /interactions/${id} as ${role} answered ${answered(seen)}, though ${role} still holds it.`,
      );
    t.expect(
      "REQ-ACCEPT-6",
      interaction.state === last.state,
      `After ${after}, GET /interactions/${id} as ${role} says state ${String(interaction.state)}, but ${told}.`,
    );
    if (!listed)
      t.fail(
        "REQ-ME-FULL-1",
        `After ${after}, ${role}'s GET /me/interactions?fields=* does not list ${id}, which ${told}.`,
      );
    t.expect(
      "REQ-ME-FULL-2",
      listed.state === last.state,
      `After ${after}, ${role}'s GET /me/interactions?fields=* lists ${id} in state ${String(listed.state)}, but ${told}.`,
    );
    if (userData) {
      const rest = ((interaction.userData ?? {}) as Record<string, unknown>)[userData.key];
      const notified = last.userData?.value[userData.key];
      t.expect(
        "FACT-USERDATA",
        rest === userData.value && notified === userData.value,
        () =>
          `After ${after}, userData.${userData.key} is ${JSON.stringify(rest)} by GET /interactions/${id} and ${JSON.stringify(notified)} in the last notification carrying userData (#${last.userData?.seq ?? "none"}); ` +
          `both must be ${JSON.stringify(userData.value)}.`,
      );
    }
    return;
  }

  // Gone from the agent's lists: its ownership ended (the clause of the step that ended it).
  const leaves = "left" in holding ? holding.left : holding.moved;
  t.expect(
    leaves,
    !listed,
    `After ${after}, ${role}'s GET /me/interactions?fields=* still lists ${id} (state ${String(listed?.state)}), though ${told}.`,
  );
  const uris = await t.get("/api/v2/me/interactions", role);
  t.expect(
    leaves,
    !((uris.body as { uris?: string[] } | undefined)?.uris ?? []).some((u) => u.endsWith(`/interactions/${id}`)),
    `After ${after}, ${role}'s GET /me/interactions still lists the URI of ${id}, though ${told}.`,
  );
  if (seen.status !== 200 || !interaction) {
    t.note(`After ${after}, ${role} can no longer read ${id} (HTTP ${seen.status}; AMB-RELEASED-READ).`);
    return;
  }
  if ("moved" in holding) {
    t.note(
      `After ${after}, ${role} still reads ${id} in state ${String(interaction.state)}; it now belongs to another agent, so its state is not compared with ${role}'s removal notification.`,
    );
    return;
  }
  t.expect(
    "REQ-ACCEPT-6",
    interaction.state === last.state,
    `After ${after}, GET /interactions/${id} as ${role} says state ${String(interaction.state)}, but ${told}.`,
  );
}

/**
 * The notifications `role` received about `id` went through `expected` in the order of the steps (REQ-ACCEPT-6):
 * each a set of states, or "removed" for a state the agent does not work in, which the register expects to be
 * Completed or Revoked (AMB-REMOVAL-STATE, a warning otherwise).
 */
async function expectStateOrder(t: CheckContext, track: Track, expected: (string[] | "removed")[]): Promise<void> {
  const client = await t.notifications(track.role);
  const states: string[] = [];
  for (const n of client.received.filter((m) => m.seq >= track.since)) {
    const seen = interactionOf(n.data);
    if (seen?.id !== track.id || typeof seen.state !== "string") continue;
    if (states.at(-1) !== seen.state) states.push(seen.state);
  }
  const fits =
    states.length === expected.length &&
    states.every((s, i) => (expected[i] === "removed" ? !WORKING.includes(s) : expected[i]!.includes(s)));
  t.expect(
    "REQ-ACCEPT-6",
    fits,
    () =>
      `The notifications to ${track.role} about ${track.id} went through the states ${states.join(" → ") || "(none)"}, ` +
      `not ${expected.map((e) => (e === "removed" ? "(removed)" : e.join("|"))).join(" → ")} in the order of the steps.`,
  );
  const removedAs = states.filter((_, i) => expected[i] === "removed");
  t.expect(
    "AMB-REMOVAL-STATE",
    removedAs.every((s) => REMOVED.includes(s)),
    `The notifications to ${track.role} about ${track.id} show its removal as ${removedAs.join(", ")}, not Completed or Revoked.`,
  );
}

/** A new interaction offered to `role`, with its invitation notification and REST view checked. */
async function invited(t: CheckContext, role: AccountRole = "agent"): Promise<Track> {
  const since = await t.mark(role);
  const id = await t.provision(role);
  await t.expectNotification(role, id, {
    since,
    clause: "REQ-ACCEPT-1",
    description: "the invitation",
    match: (i) => i.state === "Invited",
  });
  const track = { role, id, since };
  await expectRestMatches(t, track, "the invitation", "held");
  return track;
}

/** Accept on an invited interaction, checked. */
async function accepted(t: CheckContext, track: Track): Promise<void> {
  await step(t, track, bodyFor(t, "Accept"), "Invited", {
    description: "the Processing notification",
    match: (i) => i.state === "Processing",
  });
  await expectRestMatches(t, track, `Accept by ${track.role}`, "held");
}

/** Complete on a Processing interaction, checked: removal notification, gone from the lists. */
async function completed(t: CheckContext, track: Track): Promise<void> {
  const end = removal("Complete");
  await step(t, track, bodyFor(t, "Complete"), "Processing", end);
  await expectRestMatches(t, track, `Complete by ${track.role}`, { left: end.leaves });
}

const marker = () => `m-${Math.random().toString(36).slice(2, 10)}`;

check(
  {
    id: "lifecycle.accept-attach-update-delete-complete",
    title:
      "Accept, AttachUserData, UpdateUserData, DeleteUserData, Complete: REST agrees with each notification, in order",
    family: "success",
    operation: "complete",
    requirements: [
      "REQ-ACCEPT-1",
      "REQ-ACCEPT-2",
      "REQ-ACCEPT-3",
      "REQ-ACCEPT-6",
      "REQ-USERDATA-1",
      "REQ-ATTACHUSERDATA-1",
      "REQ-UPDATEUSERDATA-1",
      "REQ-DELETEUSERDATA-1",
      "REQ-COMPLETE-2",
      "REQ-COMPLETE-3",
      "FACT-USERDATA",
    ],
    ambiguities: [...NOTIFIED, "AMB-USERDATA-INPUT", "AMB-USERDATA-SEMANTICS", "AMB-DELETE-KEYS", "AMB-OWNERSHIP-END"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const track = await invited(t);
    await accepted(t, track);
    const first = marker();
    await step(t, track, bodyFor(t, "AttachUserData", first), "Processing", {
      description: "the userData notification",
      match: (i) => i.userData?.ConformanceMarker === first,
    });
    await expectRestMatches(t, track, "AttachUserData", "held", { key: "ConformanceMarker", value: first });
    const second = marker();
    await step(t, track, bodyFor(t, "UpdateUserData", second), "Processing", {
      description: "the userData notification",
      match: (i) => i.userData?.ConformanceMarker === second,
    });
    await expectRestMatches(t, track, "UpdateUserData", "held", { key: "ConformanceMarker", value: second });
    // AMB-DELETE-KEYS: bodyFor sends the profile's form (seed: a userData object with the key's current value, gws keys).
    await step(t, track, bodyFor(t, "DeleteUserData", second), "Processing", {
      description: "the userData notification",
      match: (i) => !!i.userData && !("ConformanceMarker" in i.userData),
    });
    await expectRestMatches(t, track, "DeleteUserData", "held", { key: "ConformanceMarker", value: undefined });
    await completed(t, track);
    await expectStateOrder(t, track, [["Invited"], ["Processing"], "removed"]);
  },
);

check(
  {
    id: "lifecycle.transfer-to-agent2",
    title:
      "Accept, Transfer to agent2, agent2 works on it and completes it: each agent's REST view agrees with its notifications",
    family: "success",
    operation: "transfer",
    requirements: ["REQ-TRANSFER-1", "REQ-ACCEPT-4", "REQ-ACCEPT-1", "REQ-ACCEPT-3", "REQ-COMPLETE-2"],
    ambiguities: [...NOTIFIED, "AMB-TRANSFER-NAME", "AMB-TRANSFER-TARGET", "AMB-TRANSFER-OUTCOME", "AMB-OWNERSHIP-END"],
    needs: { accounts: ["agent", "agent2"], features: ["transfer"] },
  },
  async (t: CheckContext) => {
    const mine = await invited(t, "agent");
    await accepted(t, mine);
    const theirs: Track = { role: "agent2", id: mine.id, since: await t.mark("agent2") };
    const end = removal("Transfer");
    const transfer = bodyFor(t, "Transfer");
    await step(t, mine, transfer, "Processing", end);
    const given = await t.expectNotification("agent2", mine.id, {
      since: theirs.since,
      clause: "REQ-TRANSFER-1",
      description: `agent2's notification after Transfer (${shown(transfer)})`,
      match: (i) => i.state !== undefined,
    });
    // The register expects an invitation; a target that owns it at once (AMB-TRANSFER-OUTCOME) goes on from Processing.
    const direct = given.interaction.state !== "Invited";
    if (direct)
      t.warn(
        "AMB-TRANSFER-OUTCOME",
        `After Transfer agent2 was notified of ${mine.id} in state ${String(given.interaction.state)}, not Invited.`,
      );
    await expectRestMatches(t, mine, "Transfer to agent2", { moved: end.leaves });
    await expectRestMatches(t, theirs, "Transfer to agent2", "held");
    if (!direct) await accepted(t, theirs);
    // agent1 no longer holds it: agent2's work does not bring it back to agent1's list.
    await expectRestMatches(t, mine, "agent2's work on it", { moved: end.leaves });
    await completed(t, theirs);
    await expectStateOrder(t, mine, [["Invited"], ["Processing"], "removed"]);
    await expectStateOrder(t, theirs, direct ? [["Processing"], "removed"] : [["Invited"], ["Processing"], "removed"]);
  },
);

check(
  {
    id: "lifecycle.place-in-queue",
    title: "Accept, PlaceInQueue: REST agrees with each notification, in order, and the agent no longer holds it",
    family: "success",
    operation: "place-in-queue",
    requirements: ["REQ-ACCEPT-1", "REQ-ACCEPT-2", "REQ-ACCEPT-4", "REQ-PLACEINQUEUE-1"],
    ambiguities: [...NOTIFIED, "AMB-OWNERSHIP-END"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const track = await invited(t);
    await accepted(t, track);
    const end = removal("PlaceInQueue");
    await step(t, track, bodyFor(t, "PlaceInQueue"), "Processing", end);
    await expectRestMatches(t, track, "PlaceInQueue", { left: end.leaves });
    await expectStateOrder(t, track, [["Invited"], ["Processing"], "removed"]);
  },
);

check(
  {
    id: "lifecycle.workbin-then-content",
    title: "PlaceInWorkbin, then GetWorkbinContent from another Processing interaction lists it",
    family: "success",
    operation: "get-workbin-content",
    requirements: [
      "REQ-PLACEINWORKBIN-1",
      "REQ-GETWORKBINCONTENT-1",
      "REQ-GETWORKBINCONTENT-2",
      "REQ-GETWORKBINCONTENT-5",
      "FACT-WORKBIN",
    ],
    ambiguities: [...NOTIFIED, "AMB-WORKBIN-OPS", "AMB-GETWORKBIN-ID", "AMB-WORKBIN-CONTENT"],
    needs: { accounts: ["agent"], features: ["workbins"] },
  },
  async (t: CheckContext) => {
    const workbin = t.config.resources.workbins[0]!;
    const parked = await invited(t);
    await accepted(t, parked);
    await step(t, parked, bodyFor(t, "PlaceInWorkbin"), "Processing", {
      description: "the InWorkbin notification",
      match: (i) => i.state === "InWorkbin",
      clause: "FACT-WORKBIN",
    });
    // AMB-WORKBIN-OPS: that it leaves the agent's lists is decided (the page: 'to continue the processing later').
    await expectRestMatches(t, parked, "PlaceInWorkbin", { left: "AMB-WORKBIN-OPS" });

    const working = await invited(t);
    await accepted(t, working);
    const since = await t.mark("agent");
    const request = bodyFor(t, "GetWorkbinContent");
    const answer = await perform(t, "agent", working.id, request, "Processing");
    const content = await t.mustReceive(
      "agent",
      (n) => workbinContentOf(n.data)?.interactions.some((i) => i.id === parked.id) ?? false,
      {
        since,
        clause: "REQ-GETWORKBINCONTENT-2",
        description: `the content of workbin ${workbin} listing ${parked.id} after GetWorkbinContent (${shown(request)}) on ${working.id} answered HTTP ${answer.status}`,
      },
    );
    const item = workbinContentOf(content.data)!.interactions.find((i) => i.id === parked.id)!;
    const parkedLast = await lastNotified(t, parked);
    t.expect(
      "REQ-GETWORKBINCONTENT-5",
      item.state === undefined || item.state === parkedLast.state,
      `The content of workbin ${workbin} lists ${parked.id} in state ${String(item.state)}, but its last notification (#${parkedLast.seq}) says ${parkedLast.state}.`,
    );
    // AMB-GETWORKBIN-ID: the interaction it is posted to does not change.
    await expectRestMatches(t, working, "GetWorkbinContent", "held");
    await expectStateOrder(t, parked, [["Invited"], ["Processing"], ["InWorkbin"]]);
    await expectStateOrder(t, working, [["Invited"], ["Processing"]]);
  },
);

check(
  {
    id: "lifecycle.reply-then-cancel",
    title: "Reply creates a Composing reply, Cancel abandons it: REST agrees with each notification, in order",
    family: "success",
    operation: "cancel",
    requirements: ["REQ-CANCEL-1", "REQ-CANCEL-2", "FACT-REPLY", "FACT-REPLY-NOTIFICATION"],
    ambiguities: [...NOTIFIED, "AMB-CANCEL-PRECONDITION", "AMB-REPLY-LINK"],
    needs: { accounts: ["agent"], features: ["reply"] },
  },
  async (t: CheckContext) => {
    const parent = await invited(t);
    await accepted(t, parent);
    const since = await t.mark("agent");
    const made = await replyTo(t, parent.id);
    t.expect(
      "FACT-REPLY",
      succeeded(t, model.operation("Reply"), made.answer),
      `Reply on ${parent.id} answered ${answered(made.answer)} instead of succeeding.`,
    );
    const created = made.reply!;
    const reply: Track = { role: "agent", id: created.id, since };
    const state = interactionOf(created.notification.data)!.state;
    t.expect(
      "FACT-REPLY",
      state === "Composing",
      `The reply ${reply.id} created by Reply was notified in state ${String(state)}, not Composing.`,
    );
    await expectRestMatches(t, reply, "Reply", "held");
    await expectRestMatches(t, parent, "Reply", "held");
    const end = removal("Cancel");
    await step(t, reply, bodyFor(t, "Cancel"), "Composing", end);
    await expectRestMatches(t, reply, "Cancel", { left: end.leaves });
    // The inbound interaction is untouched by the reply's fate.
    await expectRestMatches(t, parent, "Cancel of its reply", "held");
    await expectStateOrder(t, reply, [["Composing"], "removed"]);
    await expectStateOrder(t, parent, [["Invited"], ["Processing"]]);
  },
);
