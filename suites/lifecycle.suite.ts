// Whole lifecycles of an interaction, step by step: after each step the REST view (GET /interactions/{id} and
// the agent's /me/interactions) agrees with the last notification the agent received about the interaction,
// and the notifications go through the states in the order of the steps — seed: 'the true response arrives on
// the CometD topic (channel) /v2/me/interactions/'.
import { specModel } from "../src/model/catalog.js";
import { schemas } from "../src/model/schemas.js";
import type { ReceivedNotification } from "../src/client/notifications.js";
import type { AccountRole } from "../src/runner/config.js";
import { check, ConformanceFailure, useTarget, type CheckContext } from "../src/suite/check.js";
import type { HttpAnswer } from "../src/suite/http.js";
import { interactionOf, workbinContentOf, type InteractionSeen } from "../src/suite/interactions.js";
import { answered, shown } from "../src/suite/malformed.js";
import { bodyFor } from "../src/suite/scenario.js";

useTarget();
const model = specModel();
const REMOVED = ["Completed", "Revoked"];
const NOTIFIED = ["AMB-NOTIFICATION-NAMES", "AMB-REMOVAL-STATE", "AMB-GET-INTERACTION-WRAP"];

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
  if (!stated) t.fail(`${track.role} has received no notification naming a state for interaction ${track.id} (AMB-NOTIFICATION-NAMES).`);
  const withUserData = about.filter((x) => x.seen.userData !== undefined).at(-1);
  return {
    state: stated.seen.state!,
    seq: stated.n.seq,
    userData: withUserData ? { value: withUserData.seen.userData!, seq: withUserData.n.seq } : undefined,
  };
}

/** Sends `body` as `role`; fails unless it succeeded (2xx without the operation's failure envelope). */
async function perform(t: CheckContext, role: AccountRole, id: string, body: Record<string, unknown>, inState: string): Promise<HttpAnswer> {
  const op = model.operation(String(body.operationName));
  const answer = await t.operate(id, body, role);
  const refused = op.response[t.profile].failure.some((p) => schemas().validate(p, answer.body).valid);
  if (answer.status < 200 || answer.status > 299 || refused) {
    t.fail(`${op.title} (${shown(body)}) by ${role} on interaction ${id} in state ${inState} answered ${answered(answer)} instead of succeeding (AMB-ENVELOPE, AMB-STATE-PRECONDITIONS).`);
  }
  return answer;
}

/** Waits for a notification an operation must cause; a timeout names what was sent and what came back. */
async function caused<T>(sent: string, answer: HttpAnswer, description: string, ambiguities: string[], wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (e) {
    if ((e as Error)?.name !== "NotificationTimeout") throw e;
    throw new ConformanceFailure(`${sent} answered HTTP ${answer.status}, but ${description} did not follow (${ambiguities.join(", ")}): ${(e as Error).message}`);
  }
}

/** Performs a step and waits for the notification it causes. */
async function step(
  t: CheckContext,
  track: Track,
  body: Record<string, unknown>,
  inState: string,
  expected: { description: string; match: (i: InteractionSeen) => boolean },
): Promise<{ interaction: InteractionSeen; answer: HttpAnswer }> {
  const since = await t.mark(track.role);
  const answer = await perform(t, track.role, track.id, body, inState);
  const description = `${expected.description} after ${String(body.operationName)}`;
  const sent = `${String(body.operationName)} (${shown(body)}) by ${track.role} on ${track.id}`;
  const { interaction } = await caused(sent, answer, description, ["AMB-NOTIFICATION-NAMES", "AMB-REMOVAL-STATE"], () =>
    t.expectNotification(track.role, track.id, { since, description, match: expected.match }),
  );
  return { interaction, answer };
}

type Holding =
  /** The agent works on it: GET answers, and the state matches the last notification; it is in the agent's list. */
  | "held"
  /** It left the agent: gone from its lists; if still readable, in the state of the last notification. */
  | "left"
  /** It went to another agent: gone from this agent's lists; what GET shows this agent is not asserted. */
  | "moved";

/** After `after`, the REST view of `track` agrees with its last notification. */
async function expectRestMatches(t: CheckContext, track: Track, after: string, holding: Holding, userData?: { key: string; value: string | undefined }): Promise<void> {
  const last = await lastNotified(t, track);
  const { role, id } = track;
  const seen = await t.get(`/api/v2/interactions/${encodeURIComponent(id)}`, role);
  const interaction = (seen.body as { interaction?: Record<string, unknown> } | undefined)?.interaction;
  const full = await t.get("/api/v2/me/interactions?fields=*", role);
  // Items are 'in the same format as the CometD notifications' (REQ-ME-FULL-2): read them like notifications.
  const items = (full.body as { interactions?: unknown[] } | undefined)?.interactions ?? [];
  const listed = items.map((i) => interactionOf(i) ?? (i as { id?: string; state?: string })).find((i) => i.id === id);

  if (holding === "held") {
    if (seen.status !== 200 || !interaction) t.fail(`After ${after}, GET /interactions/${id} as ${role} answered ${answered(seen)}, though ${role} still holds it (AMB-GET-INTERACTION-WRAP).`);
    if (interaction.state !== last.state) {
      t.fail(`After ${after}, GET /interactions/${id} as ${role} says state ${String(interaction.state)}, but the last notification about it (#${last.seq}) says ${last.state} (AMB-NOTIFICATION-NAMES).`);
    }
    if (!listed) t.fail(`After ${after}, ${role}'s GET /me/interactions?fields=* does not list ${id}, which its last notification shows in state ${last.state} (AMB-NOTIFICATION-NAMES).`);
    if (listed.state !== last.state) {
      t.fail(`After ${after}, ${role}'s GET /me/interactions?fields=* lists ${id} in state ${String(listed.state)}, but the last notification about it (#${last.seq}) says ${last.state} (AMB-NOTIFICATION-NAMES).`);
    }
    if (userData) {
      const rest = ((interaction.userData ?? {}) as Record<string, unknown>)[userData.key];
      const told = last.userData?.value[userData.key];
      if (rest !== userData.value || told !== userData.value) {
        t.fail(
          `After ${after}, userData.${userData.key} is ${JSON.stringify(rest)} by GET /interactions/${id} and ${JSON.stringify(told)} in the last notification carrying userData (#${last.userData?.seq ?? "none"}); ` +
            `both must be ${JSON.stringify(userData.value)} (AMB-USERDATA-SEMANTICS, AMB-NOTIFICATION-NAMES).`,
        );
      }
    }
    return;
  }

  // Gone from the agent's lists (AMB-REMOVAL-STATE: 'The interaction is then absent from the agent's /me/interactions lists').
  if (listed) t.fail(`After ${after}, ${role}'s GET /me/interactions?fields=* still lists ${id} (state ${String(listed.state)}), though its last notification (#${last.seq}) says ${last.state} (AMB-REMOVAL-STATE).`);
  const uris = await t.get("/api/v2/me/interactions", role);
  if (((uris.body as { uris?: string[] } | undefined)?.uris ?? []).some((u) => u.endsWith(`/interactions/${id}`))) {
    t.fail(`After ${after}, ${role}'s GET /me/interactions still lists the URI of ${id}, though its last notification (#${last.seq}) says ${last.state} (AMB-REMOVAL-STATE).`);
  }
  if (seen.status !== 200 || !interaction) {
    t.note(`After ${after}, ${role} can no longer read ${id} (HTTP ${seen.status}).`);
    return;
  }
  if (holding === "moved") {
    t.note(`After ${after}, ${role} still reads ${id} in state ${String(interaction.state)}; it now belongs to another agent, so its state is not compared with ${role}'s removal notification.`);
    return;
  }
  if (interaction.state !== last.state) {
    t.fail(`After ${after}, GET /interactions/${id} as ${role} says state ${String(interaction.state)}, but the last notification about it (#${last.seq}) says ${last.state} (AMB-REMOVAL-STATE).`);
  }
}

/** The notifications `role` received about `id` went through `expected` (each a set of allowed states), in order. */
async function expectStateOrder(t: CheckContext, track: Track, expected: string[][]): Promise<void> {
  const client = await t.notifications(track.role);
  const states: string[] = [];
  for (const n of client.received.filter((m) => m.seq >= track.since)) {
    const seen = interactionOf(n.data);
    if (seen?.id !== track.id || typeof seen.state !== "string") continue;
    if (states.at(-1) !== seen.state) states.push(seen.state);
  }
  const fits = states.length === expected.length && states.every((s, i) => expected[i]!.includes(s));
  if (!fits) {
    t.fail(
      `The notifications to ${track.role} about ${track.id} went through the states ${states.join(" → ") || "(none)"}, ` +
        `not ${expected.map((e) => e.join("|")).join(" → ")} in the order of the steps (AMB-NOTIFICATION-NAMES, AMB-REMOVAL-STATE).`,
    );
  }
}

/** A new interaction offered to `role`, with its invitation notification and REST view checked. */
async function invited(t: CheckContext, role: AccountRole = "agent"): Promise<Track> {
  const since = await t.mark(role);
  const id = await t.provision(role);
  await t.expectNotification(role, id, { since, description: "the invitation", match: (i) => i.state === "Invited" });
  const track = { role, id, since };
  await expectRestMatches(t, track, "the invitation", "held");
  return track;
}

/** Accept on an invited interaction, checked. */
async function accepted(t: CheckContext, track: Track): Promise<void> {
  await step(t, track, bodyFor(t, "Accept"), "Invited", { description: "the Processing notification", match: (i) => i.state === "Processing" });
  await expectRestMatches(t, track, `Accept by ${track.role}`, "held");
}

/** Complete on a Processing interaction, checked: removal notification, gone from the lists. */
async function completed(t: CheckContext, track: Track): Promise<void> {
  await step(t, track, bodyFor(t, "Complete"), "Processing", { description: "the removal notification", match: (i) => REMOVED.includes(i.state ?? "") });
  await expectRestMatches(t, track, `Complete by ${track.role}`, "left");
}

const marker = () => `m-${Math.random().toString(36).slice(2, 10)}`;

check(
  {
    id: "lifecycle.accept-attach-update-delete-complete",
    title: "Accept, AttachUserData, UpdateUserData, DeleteUserData, Complete: REST agrees with each notification, in order",
    family: "success",
    operation: "complete",
    requirements: ["REQ-ACCEPT-1", "REQ-ACCEPT-2", "REQ-ACCEPT-3", "REQ-ACCEPT-6", "REQ-USERDATA-1", "REQ-ATTACHUSERDATA-1", "REQ-UPDATEUSERDATA-1", "REQ-DELETEUSERDATA-1", "REQ-COMPLETE-2", "REQ-COMPLETE-3"],
    ambiguities: [...NOTIFIED, "AMB-USERDATA-INPUT", "AMB-USERDATA-SEMANTICS", "AMB-DELETE-KEYS", "AMB-OWNERSHIP-END"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const track = await invited(t);
    await accepted(t, track);
    const first = marker();
    await step(t, track, bodyFor(t, "AttachUserData", first), "Processing", { description: "the userData notification", match: (i) => i.userData?.ConformanceMarker === first });
    await expectRestMatches(t, track, "AttachUserData", "held", { key: "ConformanceMarker", value: first });
    const second = marker();
    await step(t, track, bodyFor(t, "UpdateUserData", second), "Processing", { description: "the userData notification", match: (i) => i.userData?.ConformanceMarker === second });
    await expectRestMatches(t, track, "UpdateUserData", "held", { key: "ConformanceMarker", value: second });
    // AMB-DELETE-KEYS: bodyFor sends the profile's form (seed userData object, gws keys).
    await step(t, track, bodyFor(t, "DeleteUserData"), "Processing", { description: "the userData notification", match: (i) => !!i.userData && !("ConformanceMarker" in i.userData) });
    await expectRestMatches(t, track, "DeleteUserData", "held", { key: "ConformanceMarker", value: undefined });
    await completed(t, track);
    await expectStateOrder(t, track, [["Invited"], ["Processing"], REMOVED]);
  },
);

check(
  {
    id: "lifecycle.transfer-to-agent2",
    title: "Accept, Transfer to agent2, agent2 accepts and completes: each agent's REST view agrees with its notifications",
    family: "success",
    operation: "transfer",
    requirements: ["REQ-TRANSFER-1", "REQ-ACCEPT-4", "REQ-ACCEPT-1", "REQ-ACCEPT-3", "REQ-COMPLETE-2"],
    ambiguities: [...NOTIFIED, "AMB-TRANSFER-NAME", "AMB-TRANSFER-TARGET", "AMB-OWNERSHIP-END"],
    needs: { accounts: ["agent", "agent2"], features: ["transfer"] },
  },
  async (t: CheckContext) => {
    const mine = await invited(t, "agent");
    await accepted(t, mine);
    const theirs: Track = { role: "agent2", id: mine.id, since: await t.mark("agent2") };
    const transfer = bodyFor(t, "Transfer");
    const { answer } = await step(t, mine, transfer, "Processing", { description: "the removal notification", match: (i) => REMOVED.includes(i.state ?? "") });
    const description = "agent2's invitation after Transfer";
    await caused(`Transfer (${shown(transfer)}) by agent on ${mine.id}`, answer, description, ["AMB-TRANSFER-TARGET", "AMB-NOTIFICATION-NAMES"], () =>
      t.expectNotification("agent2", mine.id, { since: theirs.since, description, match: (i) => i.state === "Invited" }),
    );
    await expectRestMatches(t, mine, "Transfer to agent2", "moved");
    await expectRestMatches(t, theirs, "Transfer to agent2", "held");
    await accepted(t, theirs);
    // agent1 no longer holds it: agent2's work does not bring it back to agent1's list.
    await expectRestMatches(t, mine, "Accept by agent2", "moved");
    await completed(t, theirs);
    await expectStateOrder(t, mine, [["Invited"], ["Processing"], REMOVED]);
    await expectStateOrder(t, theirs, [["Invited"], ["Processing"], REMOVED]);
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
    await step(t, track, bodyFor(t, "PlaceInQueue"), "Processing", { description: "the removal notification", match: (i) => REMOVED.includes(i.state ?? "") });
    await expectRestMatches(t, track, "PlaceInQueue", "left");
    await expectStateOrder(t, track, [["Invited"], ["Processing"], REMOVED]);
  },
);

check(
  {
    id: "lifecycle.workbin-then-content",
    title: "PlaceInWorkbin, then GetWorkbinContent from another Processing interaction lists it",
    family: "success",
    operation: "get-workbin-content",
    requirements: ["REQ-PLACEINWORKBIN-1", "REQ-GETWORKBINCONTENT-1", "REQ-GETWORKBINCONTENT-2", "REQ-GETWORKBINCONTENT-5"],
    ambiguities: [...NOTIFIED, "AMB-WORKBIN-OPS", "AMB-GETWORKBIN-ID", "AMB-WORKBIN-CONTENT"],
    needs: { accounts: ["agent"], features: ["workbins"] },
  },
  async (t: CheckContext) => {
    const workbin = t.config.resources.workbins[0]!;
    const parked = await invited(t);
    await accepted(t, parked);
    await step(t, parked, bodyFor(t, "PlaceInWorkbin"), "Processing", { description: "the InWorkbin notification", match: (i) => i.state === "InWorkbin" });
    // AMB-WORKBIN-OPS: 'After PlaceInWorkbin the interaction leaves the agent's lists; its state InWorkbin'.
    await expectRestMatches(t, parked, "PlaceInWorkbin", "left");

    const working = await invited(t);
    await accepted(t, working);
    const since = await t.mark("agent");
    const request = bodyFor(t, "GetWorkbinContent");
    const answer = await perform(t, "agent", working.id, request, "Processing");
    const client = await t.notifications("agent");
    const description = `the content of workbin ${workbin} listing ${parked.id}`;
    const content = await caused(`GetWorkbinContent (${shown(request)}) on ${working.id}`, answer, description, ["AMB-WORKBIN-CONTENT", "AMB-GETWORKBIN-ID"], () =>
      client.waitFor((n) => workbinContentOf(n.data)?.interactions.some((i) => i.id === parked.id) ?? false, {
        since,
        within: t.config.timeouts.notificationMs,
        description,
      }),
    );
    const item = workbinContentOf(content.data)!.interactions.find((i) => i.id === parked.id)!;
    const parkedLast = await lastNotified(t, parked);
    if (item.state !== undefined && item.state !== parkedLast.state) {
      t.fail(`The content of workbin ${workbin} lists ${parked.id} in state ${item.state}, but its last notification (#${parkedLast.seq}) says ${parkedLast.state} (AMB-WORKBIN-CONTENT, AMB-WORKBIN-OPS).`);
    }
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
    requirements: ["REQ-CANCEL-1", "REQ-CANCEL-2"],
    ambiguities: [...NOTIFIED, "AMB-CANCEL-PRECONDITION"],
    needs: { accounts: ["agent"], features: ["reply"] },
  },
  async (t: CheckContext) => {
    const parent = await invited(t);
    await accepted(t, parent);
    const since = await t.mark("agent");
    const request = bodyFor(t, "Reply");
    const answer = await perform(t, "agent", parent.id, request, "Processing");
    const client = await t.notifications("agent");
    const description = `a notification of the reply created by Reply on ${parent.id}`;
    const created = await caused(`Reply (${shown(request)}) on ${parent.id}`, answer, description, ["AMB-CANCEL-PRECONDITION", "AMB-NOTIFICATION-NAMES"], () =>
      client.waitFor((n) => interactionOf(n.data)?.parentId === parent.id, { since, within: t.config.timeouts.notificationMs, description }),
    );
    const reply: Track = { role: "agent", id: interactionOf(created.data)!.id, since };
    // The reply is not provisioned, so the hook will not end it: if the check stops before its Cancel, cancel it here.
    let cancelled = false;
    try {
      if (interactionOf(created.data)!.state !== "Composing") {
        t.fail(`The reply ${reply.id} created by Reply was notified in state ${String(interactionOf(created.data)!.state)}, not Composing (AMB-CANCEL-PRECONDITION).`);
      }
      await expectRestMatches(t, reply, "Reply", "held");
      await expectRestMatches(t, parent, "Reply", "held");
      cancelled = true;
      await step(t, reply, bodyFor(t, "Cancel"), "Composing", { description: "the removal notification", match: (i) => REMOVED.includes(i.state ?? "") });
    } finally {
      if (!cancelled) await t.operate(reply.id, bodyFor(t, "Cancel"));
    }
    await expectRestMatches(t, reply, "Cancel", "left");
    // The inbound interaction is untouched by the reply's fate.
    await expectRestMatches(t, parent, "Cancel of its reply", "held");
    await expectStateOrder(t, reply, [["Composing"], REMOVED]);
    await expectStateOrder(t, parent, [["Invited"], ["Processing"]]);
  },
);
