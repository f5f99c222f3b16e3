// The channel checks' shared steps (suites/channel-*.suite.ts): a Bayeux session closed when the check ends, an
// account's subscribed session, an invitation the agent has received, and absences proven against a fence: the
// agent's own client has the event, and the probed session's next connect reply, which carries everything queued
// for it, has come back without it.
import { randomBytes } from "node:crypto";
import { INTERACTIONS_CHANNEL } from "../client/notifications.js";
import type { AccountRole } from "../runner/config.js";
import { BayeuxSession, mentions, refused, type BayeuxIdentity, type BayeuxMessage } from "./bayeux.js";
import { CantTell, type CheckContext, type CheckSpec, type Clause } from "./check.js";

export const spec = (
  id: string,
  title: string,
  requirements: string[],
  ambiguities: string[],
  accounts: AccountRole[] = ["agent"],
): CheckSpec => ({
  id: `channel.${id}`,
  title,
  family: "channel",
  operation: "notifications",
  requirements,
  ambiguities: ["AMB-CHANNEL-NAME", ...ambiguities],
  needs: { accounts },
});

/** A session that says goodbye when the check ends. */
export function session(t: CheckContext, identity: BayeuxIdentity): BayeuxSession {
  const s = new BayeuxSession(t, identity);
  t.defer(async () => {
    if (s.clientId) await s.disconnect();
  });
  return s;
}

export const shown = (x: { answer: { status: number; text: string; error?: string } }) =>
  x.answer.status === 0 ? `no answer (${x.answer.error})` : `HTTP ${x.answer.status} ${x.answer.text.slice(0, 200)}`;

/** An account's session, handshaken and subscribed to /v2/me/interactions; can't tell when the server refuses it. */
export async function subscribed(t: CheckContext, role: AccountRole): Promise<BayeuxSession> {
  const s = session(t, { role });
  const { handshake, connect } = await s.open();
  if (!s.clientId || !connect || refused(connect, "/meta/connect"))
    throw new CantTell(`The ${role} account's Bayeux session could not be opened: ${shown(connect ?? handshake)}.`);
  const sub = await s.subscribe(INTERACTIONS_CHANNEL);
  if (refused(sub, "/meta/subscribe"))
    throw new CantTell(`The ${role} account could not subscribe to ${INTERACTIONS_CHANNEL}: ${shown(sub)}.`);
  return s;
}

/** Offers `role` a new interaction and waits until its own notification client has the invitation. */
export async function invite(t: CheckContext, role: AccountRole = "agent"): Promise<string> {
  const since = await t.mark(role);
  const id = await t.provision(role);
  await t.expectNotification(role, id, { since, clause: "FACT-NOTIFICATION-852", description: `${role}'s invitation` });
  return id;
}

/**
 * Proves that nothing `unwanted` reached `s` before the fence: `fence` is an interaction offered to `s`'s own
 * account after the event, so its invitation comes after anything queued for the event. Can't tell without it.
 */
export async function expectNoneBeforeFence(
  t: CheckContext,
  s: BayeuxSession,
  unwanted: (m: BayeuxMessage) => boolean,
  fence: string,
  clause: Clause,
  what: string,
): Promise<void> {
  const arrived = await s.pollFor(mentions(fence), t.config.timeouts.notificationMs);
  if (!arrived)
    throw new CantTell(
      `The fence invitation of ${fence} never reached the Bayeux session, so no absence can be proven.`,
    );
  const before = s.delivered.slice(0, s.delivered.indexOf(arrived));
  const leak = before.find(unwanted);
  t.expect(clause, leak === undefined, () => `${what}: ${JSON.stringify(leak?.data).slice(0, 200)}.`);
}

/**
 * A client whose handshake should be refused still tries: subscribe and connect with the clientId it got, or one it
 * makes up. After the agent's next invitation has reached the agent, the client's connect must bring none of it.
 */
export async function expectNothingReaches(t: CheckContext, s: BayeuxSession, who: string): Promise<void> {
  s.clientId ??= `conformance-${randomBytes(12).toString("hex")}`;
  await s.subscribe(INTERACTIONS_CHANNEL);
  await s.subscribe("/v2/me/*");
  await s.connect(0);
  const id = await invite(t);
  const last = await s.connect(0);
  t.expect("PROTO-HTTP-5XX", last.answer.status < 500, `${who}'s /meta/connect answered ${shown(last)}.`);
  t.expect("FACT-NOTIFICATIONS", !s.delivered.some(mentions(id)), `${who} received the agent's invitation of ${id}.`);
}

/** Bayeux advice, where given, is well formed: non-negative integer timeout and interval, a known reconnect. */
export function adviceProblems(advice: BayeuxMessage["advice"]): string[] {
  if (advice === undefined) return [];
  if (typeof advice !== "object" || advice === null) return [`advice is ${JSON.stringify(advice)}, not an object`];
  const problems: string[] = [];
  for (const name of ["timeout", "interval"] as const) {
    const v = advice[name];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0))
      problems.push(`${name} ${JSON.stringify(v)} is not a non-negative integer`);
  }
  if (advice.reconnect !== undefined && !["retry", "handshake", "none"].includes(advice.reconnect as string))
    problems.push(`reconnect ${JSON.stringify(advice.reconnect)} is not retry, handshake or none`);
  return problems;
}
