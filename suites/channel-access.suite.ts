// The notification channel, who may use it (issue 13; gws-facts: CometD notifications, Authentication and roles;
// Bayeux 1.0.0): the handshake reply, handshakes without or with wrong credentials, the admin and the role-less
// account, a JSESSIONID alone, subscriptions beyond one's own channel, and what a client publishes.
import { randomBytes } from "node:crypto";
import { State } from "../src/generated/vocabulary.js";
import { basicAuth } from "../src/client/basic-auth.js";
import { INTERACTIONS_CHANNEL } from "../src/client/notifications.js";
import { mentions, refused, replyTo } from "../src/suite/bayeux.js";
import {
  expectNoneBeforeFence,
  expectNothingReaches,
  invite,
  session,
  shown,
  spec,
  subscribed,
} from "../src/suite/channel.js";
import { check, useTarget } from "../src/suite/check.js";
import { interactionOf } from "../src/suite/interactions.js";

useTarget();

check(
  spec(
    "handshake-reply",
    "A handshake with the agent's credentials succeeds with the fields Bayeux requires, offering long-polling",
    ["PROTO-BAYEUX-HANDSHAKE", "FACT-NOTIFICATIONS"],
    [],
  ),
  async (t) => {
    const s = session(t, { role: "agent" });
    const { handshake, connect } = await s.open();
    const reply = replyTo(handshake.replies, "/meta/handshake");
    t.expect(
      "FACT-NOTIFICATIONS",
      handshake.answer.status === 200 && reply?.successful === true,
      `The agent's handshake was not successful: ${shown(handshake)}.`,
    );
    const missing = [
      typeof reply?.clientId === "string" && reply.clientId.length > 0 ? "" : "clientId",
      typeof reply?.version === "string" && reply.version.length > 0 ? "" : "version",
      Array.isArray(reply?.supportedConnectionTypes) ? "" : "supportedConnectionTypes",
    ].filter(Boolean);
    t.expect(
      "PROTO-BAYEUX-HANDSHAKE",
      missing.length === 0,
      `The successful handshake reply lacks ${missing.join(", ")}: ${JSON.stringify(reply)}.`,
    );
    const types = reply!.supportedConnectionTypes as unknown[];
    t.expect(
      "FACT-NOTIFICATIONS",
      types.includes("long-polling"),
      `The handshake reply offers ${JSON.stringify(types)}, not long-polling (GWS notifications are long-polling).`,
    );
    t.expect(
      "PROTO-BAYEUX-HANDSHAKE",
      connect !== undefined && !refused(connect, "/meta/connect"),
      () => `A /meta/connect with the clientId the handshake gave was refused: ${shown(connect!)}.`,
    );
  },
);

for (const [id, title, identity, who] of [
  [
    "handshake-without-credentials",
    "A handshake without credentials is refused, and the client receives nothing of the agent",
    { anonymous: true },
    "a client without credentials",
  ],
  [
    "handshake-wrong-password",
    "A handshake with a wrong password is refused, and the client receives nothing of the agent",
    { role: "agent", password: "conformance-wrong-password" },
    "a client with a wrong password",
  ],
] as const) {
  check(spec(id, title, ["FACT-AUTH", "FACT-NOTIFICATIONS", "PROTO-HTTP-5XX"], ["AMB-CHANNEL-REFUSAL"]), async (t) => {
    const s = session(t, identity);
    const hs = await s.handshake();
    t.expect(
      "PROTO-HTTP-5XX",
      hs.answer.status < 500,
      `The handshake of ${who} answered ${shown(hs)}; a bad credential is the client's mistake, never a 5xx.`,
    );
    // Refused either by an HTTP status or by a Bayeux reply with successful false (AMB-CHANNEL-REFUSAL).
    t.expect(
      "FACT-AUTH",
      refused(hs, "/meta/handshake"),
      `The handshake of ${who} succeeded: ${shown(hs)}; the handshake is authenticated with HTTP Basic like every request.`,
    );
    await expectNothingReaches(t, s, who);
  });
}

for (const [role, who] of [
  ["admin", "the Contact Center Admin"],
  ["unprivileged", "an account without a role"],
] as const) {
  check(
    spec(
      `${role}-receives-nothing`,
      `${who[0]!.toUpperCase()}${who.slice(1)} may or may not handshake, and receives no agent's notifications`,
      ["FACT-NOTIFICATIONS", "FACT-ROLES"],
      ["AMB-CHANNEL-ROLES"],
      ["agent", role],
    ),
    async (t) => {
      const s = session(t, { role });
      const { handshake } = await s.open();
      t.note(
        s.clientId
          ? `${who} may handshake (AMB-CHANNEL-ROLES: accepted).`
          : `${who}'s handshake was refused: ${shown(handshake)}.`,
      );
      await expectNothingReaches(t, s, who);
    },
  );
}

check(
  spec(
    "subscribe-beyond-own",
    "agent2 subscribing to wildcard channels receives nothing of agent1's interactions",
    ["FACT-NOTIFICATIONS"],
    [],
    ["agent", "agent2"],
  ),
  async (t) => {
    const s = await subscribed(t, "agent2");
    for (const channel of ["/**", "/v2/**", "/v2/*", "/v2/me/**", "/v2/me/*"]) {
      const sub = await s.subscribe(channel);
      t.note(`agent2's subscription to ${channel}: ${refused(sub, "/meta/subscribe") ? "refused" : "accepted"}.`);
    }
    const id = await invite(t, "agent");
    const fence = await t.provision("agent2");
    await expectNoneBeforeFence(
      t,
      s,
      mentions(id),
      fence,
      "FACT-NOTIFICATIONS",
      `agent2, subscribed to wildcards, received agent1's interaction ${id}`,
    );
  },
);

check(
  spec(
    "publish",
    "What agent2 publishes on /v2/me/interactions reaches no other agent",
    ["FACT-NOTIFICATIONS"],
    ["AMB-CHANNEL-PUBLISH"],
    ["agent", "agent2"],
  ),
  async (t) => {
    const s = await subscribed(t, "agent2");
    const since = await t.mark("agent");
    const id = await invite(t, "agent");
    const marker = `ConformanceForged-${randomBytes(6).toString("hex")}`;
    const forged = {
      messageTypeName: "InteractionStateMessage",
      id,
      state: State.Completed,
      capabilities: [],
      userData: { [marker]: true },
    };
    const pub = await s.publish(INTERACTIONS_CHANNEL, forged);
    t.expect("PROTO-HTTP-5XX", pub.answer.status < 500, `agent2's publish answered ${shown(pub)}.`);
    t.expect(
      "AMB-CHANNEL-PUBLISH",
      refused(pub, INTERACTIONS_CHANNEL),
      `agent2's publish on ${INTERACTIONS_CHANNEL} was acknowledged: ${shown(pub)}.`,
    );
    const fence = await t.provision("agent");
    await t.expectNoneBefore(
      "agent",
      (n) => JSON.stringify(n.data).includes(marker),
      (n) => interactionOf(n.data)?.id === fence,
      {
        since,
        clause: "FACT-NOTIFICATIONS",
        description: `the notification agent2 published about agent1's ${id}`,
      },
    );
  },
);

check(
  spec(
    "cookie-handshake",
    "The JSESSIONID a REST request is given authenticates a handshake on its own, which then receives the agent's notifications",
    ["FACT-AUTH", "FACT-NOTIFICATIONS"],
    [],
  ),
  async (t) => {
    const agent = t.config.accounts.agent!;
    const get = await t.send(null, "GET", "/api/v2/me/interactions", undefined, {
      headers: { Authorization: basicAuth(agent.username, agent.password) },
    });
    const cookie = [get.headers["set-cookie"] ?? []]
      .flat()
      .map((c) => String(c).split(";")[0]!)
      .find((c) => c.startsWith("JSESSIONID="));
    t.expect(
      "FACT-AUTH",
      cookie !== undefined,
      `GET /api/v2/me/interactions with Basic auth set no JSESSIONID cookie (HTTP ${get.status}).`,
    );
    const s = session(t, { cookie: cookie! });
    const { handshake } = await s.open();
    t.expect(
      "FACT-NOTIFICATIONS",
      s.clientId !== undefined,
      `A handshake with only the JSESSIONID cookie was refused: ${shown(handshake)}.`,
    );
    const sub = await s.subscribe(INTERACTIONS_CHANNEL);
    t.expect(
      "FACT-NOTIFICATIONS",
      !refused(sub, "/meta/subscribe"),
      `The cookie session's subscription to ${INTERACTIONS_CHANNEL} was refused: ${shown(sub)}.`,
    );
    const id = await t.provision("agent");
    const got = await s.pollFor(mentions(id), t.config.timeouts.notificationMs);
    t.expect(
      "FACT-NOTIFICATIONS",
      got !== undefined,
      `The cookie session did not receive the agent's invitation of ${id} within ${t.config.timeouts.notificationMs} ms.`,
    );
  },
);
