// The lifecycle checks' shared steps (suites/lifecycle-*.suite.ts): after each step the REST view
// (GET /interactions/{id} and the agent's /me/interactions) agrees with the last notification, the notifications
// go through the states in the order of the steps, and the invitation, Accept and Complete steps, each checked.
import type { AccountRole } from "../runner/config.js";
import type { CheckContext, Clause } from "./check.js";
import { interactionOf } from "./interactions.js";
import { answered } from "./malformed.js";
import { bodyFor, REMOVED } from "./scenario.js";
import { Op } from "../generated/vocabulary.js";
import { specModel } from "../model/catalog.js";
import { lastNotified, outcomeNotification, removal, step, WORKING, type Track } from "./lifecycle-steps.js";

export {
  lastNotified,
  marker,
  NOTIFIED,
  outcomeNotification,
  perform,
  removal,
  statesThrough,
  step,
  type Track,
} from "./lifecycle-steps.js";

export type Holding =
  /** The agent works on it: GET answers, and the state matches the last notification; it is in the agent's list. */
  | "held"
  /** It left the agent: gone from its lists (`leaves`); if still readable, in the state of the last notification. */
  | { left: Clause }
  /** It went to another agent: gone from this agent's lists; what GET shows this agent is not asserted. */
  | { moved: Clause };

/** After `after`, the REST view of `track` agrees with its last notification. */
export async function expectRestMatches(
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
export async function expectStateOrder(
  t: CheckContext,
  track: Track,
  expected: (string[] | "removed")[],
): Promise<void> {
  const client = await t.notifications(track.role);
  const states: string[] = [];
  for (const n of client.receivedSince(track.since)) {
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
    `The notifications to ${track.role} about ${track.id} show its removal as ${removedAs.join(", ")}, not ${REMOVED.join(" or ")}.`,
  );
}

/** A new interaction offered to `role`, with its invitation notification and REST view checked. */
export async function invited(t: CheckContext, role: AccountRole = "agent"): Promise<Track> {
  const since = await t.mark(role);
  const id = await t.provision(role);
  await t.expectNotification(role, id, {
    since,
    clause: "REQ-ACCEPT-1",
    description: "the invitation",
    match: (i) => i.state === specModel().catalog.offeredIn,
  });
  const track = { role, id, since };
  await expectRestMatches(t, track, "the invitation", "held");
  return track;
}

/** Accept on an invited interaction, checked. */
export async function accepted(t: CheckContext, track: Track): Promise<void> {
  await step(t, track, bodyFor(t, Op.Accept), undefined, outcomeNotification(Op.Accept));
  await expectRestMatches(t, track, `${Op.Accept} by ${track.role}`, "held");
}

/** Complete on a Processing interaction, checked: removal notification, gone from the lists. */
export async function completed(t: CheckContext, track: Track): Promise<void> {
  const end = removal(Op.Complete);
  await step(t, track, bodyFor(t, Op.Complete), undefined, end);
  await expectRestMatches(t, track, `${Op.Complete} by ${track.role}`, { left: end.leaves });
}
