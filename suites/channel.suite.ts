// The notification channel as a conformance subject (issue 13): the Bayeux layer itself, spoken message by message
// (src/suite/bayeux.ts), so each reply is evidence. Who may handshake and receive what (gws-facts: CometD
// notifications, Authentication and roles), what the handshake and connect replies carry, and the session's life:
// unknown clientId, unsubscribe, disconnect, a new handshake, a second session (Bayeux 1.0.0). Every absence is
// proven against a fence: the agent's own notification client has received the event, and the probed session's
// next connect reply, which carries everything queued for it, has come back without it.
import { randomBytes } from "node:crypto";
import { basicAuth } from "../src/client/basic-auth.js";
import { INTERACTIONS_CHANNEL } from "../src/client/notifications.js";
import type { AccountRole } from "../src/runner/config.js";
import { BayeuxSession, mentions, refused, replyTo, type BayeuxIdentity, type BayeuxMessage } from "../src/suite/bayeux.js";
import { CantTell, check, useTarget, type CheckContext, type CheckSpec, type Normative } from "../src/suite/check.js";
import { interactionOf } from "../src/suite/interactions.js";

useTarget();

const spec = (id: string, title: string, requirements: string[], ambiguities: string[], accounts: AccountRole[] = ["agent"]): CheckSpec => ({
  id: `channel.${id}`,
  title,
  family: "channel",
  operation: "notifications",
  requirements,
  ambiguities: ["AMB-CHANNEL-NAME", ...ambiguities],
  needs: { accounts },
});

/** A session that says goodbye when the check ends. */
function session(t: CheckContext, identity: BayeuxIdentity): BayeuxSession {
  const s = new BayeuxSession(t, identity);
  t.defer(async () => {
    if (s.clientId) await s.disconnect();
  });
  return s;
}

const shown = (x: { answer: { status: number; text: string; error?: string } }) =>
  x.answer.status === 0 ? `no answer (${x.answer.error})` : `HTTP ${x.answer.status} ${x.answer.text.slice(0, 200)}`;

/** An account's session, handshaken and subscribed to /v2/me/interactions; can't tell when the server refuses it. */
async function subscribed(t: CheckContext, role: AccountRole): Promise<BayeuxSession> {
  const s = session(t, { role });
  const { handshake, connect } = await s.open();
  if (!s.clientId || !connect || refused(connect, "/meta/connect")) throw new CantTell(`The ${role} account's Bayeux session could not be opened: ${shown(connect ?? handshake)}.`);
  const sub = await s.subscribe(INTERACTIONS_CHANNEL);
  if (refused(sub, "/meta/subscribe")) throw new CantTell(`The ${role} account could not subscribe to ${INTERACTIONS_CHANNEL}: ${shown(sub)}.`);
  return s;
}

/** Offers `role` a new interaction and waits until its own notification client has the invitation. */
async function invite(t: CheckContext, role: AccountRole = "agent"): Promise<string> {
  const since = await t.mark(role);
  const id = await t.provision(role);
  await t.expectNotification(role, id, { since, clause: "FACT-NOTIFICATION-852", description: `${role}'s invitation` });
  return id;
}

/**
 * Proves that nothing `unwanted` reached `s` before the fence: `fence` is an interaction offered to `s`'s own
 * account after the event, so its invitation comes after anything queued for the event. Can't tell without it.
 */
async function expectNoneBeforeFence(t: CheckContext, s: BayeuxSession, unwanted: (m: BayeuxMessage) => boolean, fence: string, clause: Normative, what: string): Promise<void> {
  const arrived = await s.pollFor(mentions(fence), t.config.timeouts.notificationMs);
  if (!arrived) throw new CantTell(`The fence invitation of ${fence} never reached the Bayeux session, so no absence can be proven.`);
  const before = s.delivered.slice(0, s.delivered.indexOf(arrived));
  const leak = before.find(unwanted);
  t.expect(clause, leak === undefined, () => `${what}: ${JSON.stringify(leak?.data).slice(0, 200)}.`);
}

/**
 * A client whose handshake should be refused still tries: subscribe and connect with the clientId it got, or one it
 * makes up. After the agent's next invitation has reached the agent, the client's connect must bring none of it.
 */
async function expectNothingReaches(t: CheckContext, s: BayeuxSession, who: string): Promise<void> {
  s.clientId ??= `conformance-${randomBytes(12).toString("hex")}`;
  await s.subscribe(INTERACTIONS_CHANNEL);
  await s.subscribe("/v2/me/*");
  await s.connect(0);
  const id = await invite(t);
  const last = await s.connect(0);
  t.expect("PROTO-HTTP-5XX", last.answer.status < 500, `${who}'s /meta/connect answered ${shown(last)}.`);
  t.expect("FACT-NOTIFICATIONS", !s.delivered.some(mentions(id)), `${who} received the agent's invitation of ${id}.`);
}

check(
  spec("handshake-reply", "A handshake with the agent's credentials succeeds with the fields Bayeux requires, offering long-polling", ["PROTO-BAYEUX-HANDSHAKE", "FACT-NOTIFICATIONS"], []),
  async (t) => {
    const s = session(t, { role: "agent" });
    const { handshake, connect } = await s.open();
    const reply = replyTo(handshake.replies, "/meta/handshake");
    t.expect("FACT-NOTIFICATIONS", handshake.answer.status === 200 && reply?.successful === true, `The agent's handshake was not successful: ${shown(handshake)}.`);
    const missing = [
      typeof reply?.clientId === "string" && reply.clientId.length > 0 ? "" : "clientId",
      typeof reply?.version === "string" && reply.version.length > 0 ? "" : "version",
      Array.isArray(reply?.supportedConnectionTypes) ? "" : "supportedConnectionTypes",
    ].filter(Boolean);
    t.expect("PROTO-BAYEUX-HANDSHAKE", missing.length === 0, `The successful handshake reply lacks ${missing.join(", ")}: ${JSON.stringify(reply)}.`);
    const types = reply!.supportedConnectionTypes as unknown[];
    t.expect("FACT-NOTIFICATIONS", types.includes("long-polling"), `The handshake reply offers ${JSON.stringify(types)}, not long-polling (GWS notifications are long-polling).`);
    t.expect("PROTO-BAYEUX-HANDSHAKE", connect !== undefined && !refused(connect, "/meta/connect"), () => `A /meta/connect with the clientId the handshake gave was refused: ${shown(connect!)}.`);
  },
);

for (const [id, title, identity, who] of [
  ["handshake-without-credentials", "A handshake without credentials is refused, and the client receives nothing of the agent", { anonymous: true }, "a client without credentials"],
  ["handshake-wrong-password", "A handshake with a wrong password is refused, and the client receives nothing of the agent", { role: "agent", password: "conformance-wrong-password" }, "a client with a wrong password"],
] as const) {
  check(spec(id, title, ["FACT-AUTH", "FACT-NOTIFICATIONS", "PROTO-HTTP-5XX"], ["AMB-CHANNEL-REFUSAL"]), async (t) => {
    const s = session(t, identity);
    const hs = await s.handshake();
    t.expect("PROTO-HTTP-5XX", hs.answer.status < 500, `The handshake of ${who} answered ${shown(hs)}; a bad credential is the client's mistake, never a 5xx.`);
    // Refused either by an HTTP status or by a Bayeux reply with successful false (AMB-CHANNEL-REFUSAL).
    t.expect("FACT-AUTH", refused(hs, "/meta/handshake"), `The handshake of ${who} succeeded: ${shown(hs)}; the handshake is authenticated with HTTP Basic like every request.`);
    await expectNothingReaches(t, s, who);
  });
}

for (const [role, who] of [["admin", "the Contact Center Admin"], ["unprivileged", "an account without a role"]] as const) {
  check(
    spec(`${role}-receives-nothing`, `${who[0]!.toUpperCase()}${who.slice(1)} may or may not handshake, and receives no agent's notifications`, ["FACT-NOTIFICATIONS", "FACT-ROLES"], ["AMB-CHANNEL-ROLES"], ["agent", role]),
    async (t) => {
      const s = session(t, { role });
      const { handshake } = await s.open();
      t.note(s.clientId ? `${who} may handshake (AMB-CHANNEL-ROLES: accepted).` : `${who}'s handshake was refused: ${shown(handshake)}.`);
      await expectNothingReaches(t, s, who);
    },
  );
}

check(
  spec("unknown-client", "Messages with a clientId the server never issued are refused and receive nothing", ["PROTO-BAYEUX-CLIENT-ID", "PROTO-HTTP-5XX"], ["AMB-CHANNEL-UNKNOWN-CLIENT"]),
  async (t) => {
    const s = session(t, { role: "agent" });
    s.clientId = `conformance-${randomBytes(12).toString("hex")}`;
    const connect = await s.connect(0);
    t.expect("PROTO-HTTP-5XX", connect.answer.status < 500, `A /meta/connect with an unknown clientId answered ${shown(connect)}.`);
    t.expect("PROTO-BAYEUX-CLIENT-ID", refused(connect, "/meta/connect"), `A /meta/connect with a clientId the server never issued succeeded: ${shown(connect)}.`);
    const reply = replyTo(connect.replies, "/meta/connect");
    if (reply) {
      t.expect("AMB-CHANNEL-UNKNOWN-CLIENT", typeof reply.error === "string" && reply.error.startsWith("402"), `The unknown client's connect reply has error ${JSON.stringify(reply.error)}, not 402 (Bayeux's unknown client).`);
      t.expect("AMB-CHANNEL-UNKNOWN-CLIENT", reply.advice?.reconnect === "handshake", `The unknown client's connect reply advises ${JSON.stringify(reply.advice)}, not reconnect handshake.`);
    }
    const sub = await s.subscribe(INTERACTIONS_CHANNEL);
    t.expect("PROTO-BAYEUX-CLIENT-ID", refused(sub, "/meta/subscribe"), `A /meta/subscribe with a clientId the server never issued succeeded: ${shown(sub)}.`);
    const id = await invite(t);
    await s.connect(0);
    t.expect("PROTO-BAYEUX-CLIENT-ID", !s.delivered.some(mentions(id)), `A client the server never issued received the agent's invitation of ${id}.`);
    s.clientId = undefined;
  },
);

check(
  spec("subscribe-beyond-own", "agent2 subscribing to wildcard channels receives nothing of agent1's interactions", ["FACT-NOTIFICATIONS"], [], ["agent", "agent2"]),
  async (t) => {
    const s = await subscribed(t, "agent2");
    for (const channel of ["/**", "/v2/**", "/v2/*", "/v2/me/**", "/v2/me/*"]) {
      const sub = await s.subscribe(channel);
      t.note(`agent2's subscription to ${channel}: ${refused(sub, "/meta/subscribe") ? "refused" : "accepted"}.`);
    }
    const id = await invite(t, "agent");
    const fence = await t.provision("agent2");
    await expectNoneBeforeFence(t, s, mentions(id), fence, "FACT-NOTIFICATIONS", `agent2, subscribed to wildcards, received agent1's interaction ${id}`);
  },
);

check(
  spec("publish", "What agent2 publishes on /v2/me/interactions reaches no other agent", ["FACT-NOTIFICATIONS"], ["AMB-CHANNEL-PUBLISH"], ["agent", "agent2"]),
  async (t) => {
    const s = await subscribed(t, "agent2");
    const since = await t.mark("agent");
    const id = await invite(t, "agent");
    const marker = `ConformanceForged-${randomBytes(6).toString("hex")}`;
    const forged = { messageTypeName: "InteractionStateMessage", id, state: "Completed", capabilities: [], userData: { [marker]: true } };
    const pub = await s.publish(INTERACTIONS_CHANNEL, forged);
    t.expect("PROTO-HTTP-5XX", pub.answer.status < 500, `agent2's publish answered ${shown(pub)}.`);
    t.expect("AMB-CHANNEL-PUBLISH", refused(pub, INTERACTIONS_CHANNEL), `agent2's publish on ${INTERACTIONS_CHANNEL} was acknowledged: ${shown(pub)}.`);
    const fence = await t.provision("agent");
    await t.expectNoneBefore("agent", (n) => JSON.stringify(n.data).includes(marker), (n) => interactionOf(n.data)?.id === fence, {
      since,
      clause: "FACT-NOTIFICATIONS",
      description: `the notification agent2 published about agent1's ${id}`,
    });
  },
);

check(
  spec("cookie-handshake", "The JSESSIONID a REST request is given authenticates a handshake on its own, which then receives the agent's notifications", ["FACT-AUTH", "FACT-NOTIFICATIONS"], []),
  async (t) => {
    const agent = t.config.accounts.agent!;
    const get = await t.send(null, "GET", "/api/v2/me/interactions", undefined, { headers: { Authorization: basicAuth(agent.username, agent.password) } });
    const cookie = [get.headers["set-cookie"] ?? []].flat().map((c) => String(c).split(";")[0]!).find((c) => c.startsWith("JSESSIONID="));
    t.expect("FACT-AUTH", cookie !== undefined, `GET /api/v2/me/interactions with Basic auth set no JSESSIONID cookie (HTTP ${get.status}).`);
    const s = session(t, { cookie: cookie! });
    const { handshake } = await s.open();
    t.expect("FACT-NOTIFICATIONS", s.clientId !== undefined, `A handshake with only the JSESSIONID cookie was refused: ${shown(handshake)}.`);
    const sub = await s.subscribe(INTERACTIONS_CHANNEL);
    t.expect("FACT-NOTIFICATIONS", !refused(sub, "/meta/subscribe"), `The cookie session's subscription to ${INTERACTIONS_CHANNEL} was refused: ${shown(sub)}.`);
    const id = await t.provision("agent");
    const got = await s.pollFor(mentions(id), t.config.timeouts.notificationMs);
    t.expect("FACT-NOTIFICATIONS", got !== undefined, `The cookie session did not receive the agent's invitation of ${id} within ${t.config.timeouts.notificationMs} ms.`);
  },
);

/** Bayeux advice, where given, is well formed: non-negative integer timeout and interval, a known reconnect. */
function adviceProblems(advice: BayeuxMessage["advice"]): string[] {
  if (advice === undefined) return [];
  if (typeof advice !== "object" || advice === null) return [`advice is ${JSON.stringify(advice)}, not an object`];
  const problems: string[] = [];
  for (const name of ["timeout", "interval"] as const) {
    const v = advice[name];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) problems.push(`${name} ${JSON.stringify(v)} is not a non-negative integer`);
  }
  if (advice.reconnect !== undefined && !["retry", "handshake", "none"].includes(advice.reconnect as string)) problems.push(`reconnect ${JSON.stringify(advice.reconnect)} is not retry, handshake or none`);
  return problems;
}

check(
  spec("connect-advice", "The handshake and connect replies' advice is well formed, and the connect reply gives it", ["PROTO-BAYEUX-ADVICE"], ["AMB-CHANNEL-ADVICE"]),
  async (t) => {
    const s = session(t, { role: "agent" });
    const { handshake, connect } = await s.open();
    if (!connect) throw new CantTell(`The agent's handshake was refused: ${shown(handshake)}.`);
    const second = await s.connect(0);
    for (const [what, x, channel] of [["handshake", handshake, "/meta/handshake"], ["first connect", connect, "/meta/connect"], ["second connect", second, "/meta/connect"]] as const) {
      const problems = adviceProblems(replyTo(x.replies, channel)?.advice);
      t.expect("PROTO-BAYEUX-ADVICE", problems.length === 0, `The ${what} reply's advice is malformed: ${problems.join("; ")}.`);
    }
    const advice = replyTo(connect.replies, "/meta/connect")?.advice;
    const given = ["reconnect", "timeout", "interval"].filter((k) => advice?.[k] !== undefined);
    t.expect("AMB-CHANNEL-ADVICE", given.length === 3, `The first connect reply's advice gives ${given.length ? given.join(", ") : "nothing"}, not reconnect, timeout and interval.`);
  },
);

check(
  spec("unsubscribe", "After /meta/unsubscribe the session receives nothing more of the channel", ["PROTO-BAYEUX-UNSUBSCRIBE"], []),
  async (t) => {
    const s = await subscribed(t, "agent");
    const unsub = await s.unsubscribe(INTERACTIONS_CHANNEL);
    t.expect("PROTO-BAYEUX-UNSUBSCRIBE", !refused(unsub, "/meta/unsubscribe"), `The unsubscribe from ${INTERACTIONS_CHANNEL} was refused: ${shown(unsub)}.`);
    const id = await invite(t);
    await s.connect(0);
    // Subscribed again, the fence's invitation comes after anything queued for the unsubscribed session.
    const again = await s.subscribe(INTERACTIONS_CHANNEL);
    if (refused(again, "/meta/subscribe")) throw new CantTell(`Subscribing again, for the fence, was refused: ${shown(again)}.`);
    const fence = await t.provision("agent");
    await expectNoneBeforeFence(t, s, mentions(id), fence, "PROTO-BAYEUX-UNSUBSCRIBE", `The unsubscribed session received the agent's invitation of ${id}`);
  },
);

check(
  spec("disconnect", "After /meta/disconnect the session is gone: its clientId is refused and receives nothing", ["PROTO-BAYEUX-DISCONNECT"], []),
  async (t) => {
    const s = await subscribed(t, "agent");
    const bye = await s.disconnect();
    t.expect("PROTO-BAYEUX-DISCONNECT", !refused(bye, "/meta/disconnect"), `The /meta/disconnect was refused: ${shown(bye)}.`);
    const after = await s.connect(0);
    t.expect("PROTO-BAYEUX-DISCONNECT", refused(after, "/meta/connect"), `A /meta/connect with the disconnected clientId succeeded: ${shown(after)}.`);
    const id = await invite(t);
    await s.connect(0);
    t.expect("PROTO-BAYEUX-DISCONNECT", !s.delivered.some(mentions(id)), `The disconnected session received the agent's invitation of ${id}.`);
    s.clientId = undefined;
  },
);

check(
  spec("rehandshake", "A client whose session ended handshakes again, subscribes again and receives the next notification", ["PROTO-BAYEUX-RECONNECT", "PROTO-BAYEUX-CLIENT-ID"], ["AMB-CHANNEL-UNKNOWN-CLIENT"]),
  async (t) => {
    const s = await subscribed(t, "agent");
    const old = s.clientId;
    await s.disconnect();
    const stale = await s.connect(0);
    t.expect("PROTO-BAYEUX-CLIENT-ID", refused(stale, "/meta/connect"), `A /meta/connect with the ended session's clientId succeeded: ${shown(stale)}.`);
    s.clientId = undefined;
    const { handshake, connect } = await s.open();
    t.expect("PROTO-BAYEUX-RECONNECT", s.clientId !== undefined && s.clientId !== old && connect !== undefined && !refused(connect, "/meta/connect"), `The new handshake did not open a new session: ${shown(connect ?? handshake)}.`);
    const sub = await s.subscribe(INTERACTIONS_CHANNEL);
    t.expect("PROTO-BAYEUX-RECONNECT", !refused(sub, "/meta/subscribe"), `The new session's subscription was refused: ${shown(sub)}.`);
    const id = await t.provision("agent");
    const got = await s.pollFor(mentions(id), t.config.timeouts.notificationMs);
    t.expect("PROTO-BAYEUX-RECONNECT", got !== undefined, `The new session did not receive the agent's invitation of ${id} within ${t.config.timeouts.notificationMs} ms.`);
  },
);

check(
  spec("second-session", "A second session of the agent receives the agent's notifications, and so does the first", ["PROTO-BAYEUX-SUBSCRIBE", "FACT-NOTIFICATIONS"], ["AMB-CHANNEL-SESSIONS"]),
  async (t) => {
    const s = await subscribed(t, "agent");
    const since = await t.mark("agent");
    const id = await t.provision("agent");
    const got = await s.pollFor(mentions(id), t.config.timeouts.notificationMs);
    t.expect("PROTO-BAYEUX-SUBSCRIBE", got !== undefined, `The agent's second session did not receive its invitation of ${id} within ${t.config.timeouts.notificationMs} ms.`);
    await t.expectNotification("agent", id, { since, clause: "PROTO-BAYEUX-SUBSCRIBE", description: "the first session's copy of the invitation" });
  },
);
