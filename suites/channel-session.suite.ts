// The notification channel, a session's life (issue 13; Bayeux 1.0.0): a clientId the server never issued, the
// advice it gives, unsubscribe, disconnect, a new handshake after the session ended, and a second session.
import { randomBytes } from "node:crypto";
import { INTERACTIONS_CHANNEL } from "../src/client/notifications.js";
import { mentions, refused, replyTo } from "../src/suite/bayeux.js";
import {
  adviceProblems,
  expectNoneBeforeFence,
  invite,
  session,
  shown,
  spec,
  subscribed,
} from "../src/suite/channel.js";
import { CantTell, check, useTarget } from "../src/suite/check.js";

useTarget();

check(
  spec(
    "unknown-client",
    "Messages with a clientId the server never issued are refused and receive nothing",
    ["PROTO-BAYEUX-CLIENT-ID", "PROTO-HTTP-5XX"],
    ["AMB-CHANNEL-UNKNOWN-CLIENT"],
  ),
  async (t) => {
    const s = session(t, { role: "agent" });
    s.clientId = `conformance-${randomBytes(12).toString("hex")}`;
    const connect = await s.connect(0);
    t.expect(
      "PROTO-HTTP-5XX",
      connect.answer.status < 500,
      `A /meta/connect with an unknown clientId answered ${shown(connect)}.`,
    );
    t.expect(
      "PROTO-BAYEUX-CLIENT-ID",
      refused(connect, "/meta/connect"),
      `A /meta/connect with a clientId the server never issued succeeded: ${shown(connect)}.`,
    );
    const reply = replyTo(connect.replies, "/meta/connect");
    if (reply) {
      t.expect(
        "AMB-CHANNEL-UNKNOWN-CLIENT",
        typeof reply.error === "string" && reply.error.startsWith("402"),
        `The unknown client's connect reply has error ${JSON.stringify(reply.error)}, not 402 (Bayeux's unknown client).`,
      );
      t.expect(
        "AMB-CHANNEL-UNKNOWN-CLIENT",
        reply.advice?.reconnect === "handshake",
        `The unknown client's connect reply advises ${JSON.stringify(reply.advice)}, not reconnect handshake.`,
      );
    }
    const sub = await s.subscribe(INTERACTIONS_CHANNEL);
    t.expect(
      "PROTO-BAYEUX-CLIENT-ID",
      refused(sub, "/meta/subscribe"),
      `A /meta/subscribe with a clientId the server never issued succeeded: ${shown(sub)}.`,
    );
    const id = await invite(t);
    await s.connect(0);
    t.expect(
      "PROTO-BAYEUX-CLIENT-ID",
      !s.delivered.some(mentions(id)),
      `A client the server never issued received the agent's invitation of ${id}.`,
    );
    s.clientId = undefined;
  },
);

check(
  spec(
    "connect-advice",
    "The handshake and connect replies' advice is well formed, and the connect reply gives it",
    ["PROTO-BAYEUX-ADVICE"],
    ["AMB-CHANNEL-ADVICE"],
  ),
  async (t) => {
    const s = session(t, { role: "agent" });
    const { handshake, connect } = await s.open();
    if (!connect) throw new CantTell(`The agent's handshake was refused: ${shown(handshake)}.`);
    const second = await s.connect(0);
    for (const [what, x, channel] of [
      ["handshake", handshake, "/meta/handshake"],
      ["first connect", connect, "/meta/connect"],
      ["second connect", second, "/meta/connect"],
    ] as const) {
      const problems = adviceProblems(replyTo(x.replies, channel)?.advice);
      t.expect(
        "PROTO-BAYEUX-ADVICE",
        problems.length === 0,
        `The ${what} reply's advice is malformed: ${problems.join("; ")}.`,
      );
    }
    // A connect reply that flushes messages (a server may deliver the agent's notifications to this session too,
    // AMB-CHANNEL-DELIVERY) is answered at once; the advice is judged on the first one that carries none.
    const empty = [connect, second].find((x) => x.replies.every((r) => r.channel === "/meta/connect"));
    if (!empty)
      return t.note("Both connect replies carried messages, so whether an empty one gives advice is not judged.");
    const advice = replyTo(empty.replies, "/meta/connect")?.advice;
    const given = ["reconnect", "timeout", "interval"].filter((k) => advice?.[k] !== undefined);
    t.expect(
      "AMB-CHANNEL-ADVICE",
      given.length === 3,
      `The ${empty === connect ? "first" : "second"} connect reply's advice gives ${given.length ? given.join(", ") : "nothing"}, not reconnect, timeout and interval.`,
    );
  },
);

check(
  spec(
    "unsubscribe",
    "A session may unsubscribe from /v2/me/interactions, and then (decided) receives none of the agent's notifications",
    ["PROTO-BAYEUX-UNSUBSCRIBE"],
    ["AMB-CHANNEL-DELIVERY"],
  ),
  async (t) => {
    const s = await subscribed(t, "agent");
    const unsub = await s.unsubscribe(INTERACTIONS_CHANNEL);
    t.expect(
      "PROTO-BAYEUX-UNSUBSCRIBE",
      !refused(unsub, "/meta/unsubscribe"),
      `The unsubscribe from ${INTERACTIONS_CHANNEL} was refused: ${shown(unsub)}.`,
    );
    const id = await invite(t);
    await s.connect(0);
    // Subscribed again, the fence's invitation comes after anything queued for the unsubscribed session.
    const again = await s.subscribe(INTERACTIONS_CHANNEL);
    if (refused(again, "/meta/subscribe"))
      throw new CantTell(`Subscribing again, for the fence, was refused: ${shown(again)}.`);
    const fence = await t.provision("agent");
    // Bayeux 4.5 stops what is *published* to the channel; a server may deliver an agent's notifications privately
    // to each of its sessions (ServerSession.deliver), which no client library shows to an unsubscribed listener.
    await expectNoneBeforeFence(
      t,
      s,
      mentions(id),
      fence,
      "AMB-CHANNEL-DELIVERY",
      `The unsubscribed session received the agent's invitation of ${id}`,
    );
  },
);

check(
  spec(
    "disconnect",
    "After /meta/disconnect the session is gone: its clientId is refused and receives nothing",
    ["PROTO-BAYEUX-DISCONNECT"],
    [],
  ),
  async (t) => {
    const s = await subscribed(t, "agent");
    const bye = await s.disconnect();
    t.expect(
      "PROTO-BAYEUX-DISCONNECT",
      !refused(bye, "/meta/disconnect"),
      `The /meta/disconnect was refused: ${shown(bye)}.`,
    );
    const after = await s.connect(0);
    t.expect(
      "PROTO-BAYEUX-DISCONNECT",
      refused(after, "/meta/connect"),
      `A /meta/connect with the disconnected clientId succeeded: ${shown(after)}.`,
    );
    const id = await invite(t);
    await s.connect(0);
    t.expect(
      "PROTO-BAYEUX-DISCONNECT",
      !s.delivered.some(mentions(id)),
      `The disconnected session received the agent's invitation of ${id}.`,
    );
    s.clientId = undefined;
  },
);

check(
  spec(
    "rehandshake",
    "A client whose session ended handshakes again, subscribes again and receives the next notification",
    ["PROTO-BAYEUX-RECONNECT", "PROTO-BAYEUX-CLIENT-ID"],
    ["AMB-CHANNEL-UNKNOWN-CLIENT"],
  ),
  async (t) => {
    const s = await subscribed(t, "agent");
    const old = s.clientId;
    await s.disconnect();
    const stale = await s.connect(0);
    t.expect(
      "PROTO-BAYEUX-CLIENT-ID",
      refused(stale, "/meta/connect"),
      `A /meta/connect with the ended session's clientId succeeded: ${shown(stale)}.`,
    );
    s.clientId = undefined;
    const { handshake, connect } = await s.open();
    t.expect(
      "PROTO-BAYEUX-RECONNECT",
      s.clientId !== undefined && s.clientId !== old && connect !== undefined && !refused(connect, "/meta/connect"),
      `The new handshake did not open a new session: ${shown(connect ?? handshake)}.`,
    );
    const sub = await s.subscribe(INTERACTIONS_CHANNEL);
    t.expect(
      "PROTO-BAYEUX-RECONNECT",
      !refused(sub, "/meta/subscribe"),
      `The new session's subscription was refused: ${shown(sub)}.`,
    );
    const id = await t.provision("agent");
    const got = await s.pollFor(mentions(id), t.config.timeouts.notificationMs);
    t.expect(
      "PROTO-BAYEUX-RECONNECT",
      got !== undefined,
      `The new session did not receive the agent's invitation of ${id} within ${t.config.timeouts.notificationMs} ms.`,
    );
  },
);

check(
  spec(
    "second-session",
    "A second session of the agent receives the agent's notifications, and so does the first",
    ["PROTO-BAYEUX-SUBSCRIBE", "FACT-NOTIFICATIONS"],
    ["AMB-CHANNEL-SESSIONS"],
  ),
  async (t) => {
    const s = await subscribed(t, "agent");
    const since = await t.mark("agent");
    const id = await t.provision("agent");
    const got = await s.pollFor(mentions(id), t.config.timeouts.notificationMs);
    t.expect(
      "PROTO-BAYEUX-SUBSCRIBE",
      got !== undefined,
      `The agent's second session did not receive its invitation of ${id} within ${t.config.timeouts.notificationMs} ms.`,
    );
    await t.expectNotification("agent", id, {
      since,
      clause: "PROTO-BAYEUX-SUBSCRIBE",
      description: "the first session's copy of the invitation",
    });
  },
);
