// Mutants that break the notification channel itself (Bayeux).
import type { Mutant } from "./support.js";

export const CHANNEL_MUTANTS: Mutant[] = [
  {
    name: "handshake-reply-bare",
    description: "The handshake reply leaves out the version Bayeux requires.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.editReplies((message) => {
        if (message.channel === "/meta/handshake") delete message.version;
      }),
  },
  {
    name: "unknown-client-accepted",
    description: "A message with a clientId the server does not know gets a successful reply.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.editReplies((message) => {
        if (typeof message.error === "string" && message.error.startsWith("402")) {
          message.successful = true;
          delete message.error;
          delete message.advice;
        }
      }),
  },
  {
    name: "wildcard-subscribers-see-all",
    description:
      "Any channel may be subscribed to, and a session subscribed to /** or /v2/** receives every agent's notifications.",
    family: "channel",
    apply: (_app, engine) => {
      const n = engine.notifier;
      n.cometd.policy!.canCreate = (_session, _message, _channel, callback) => callback(undefined, true);
      n.cometd.policy!.canSubscribe = (_session, _message, _channel, callback) => callback(undefined, true);
      const own = n.recipients.bind(n);
      n.recipients = (username) => [
        ...own(username),
        ...n
          .users()
          .filter((u) => u !== username)
          .flatMap((u) => n.sessionsOf(u))
          .filter((s) => s.subscriptions.some((c) => c.name === "/**" || c.name === "/v2/**")),
      ];
    },
  },
  {
    name: "publish-broadcasts",
    description: "A client may publish on /v2/me/interactions, and what it publishes reaches every subscribed agent.",
    family: "channel",
    apply: (_app, engine) => {
      engine.notifier.cometd.policy!.canPublish = (_session, _message, _channel, callback) => callback(undefined, true);
      engine.notifier.clientPublishes = "broadcast";
    },
  },
  {
    name: "non-agents-see-all",
    description:
      "Sessions of accounts without the Agent role (the admin, the role-less account) receive every agent's notifications.",
    family: "channel",
    apply: (_app, engine) => {
      const n = engine.notifier;
      const own = n.recipients.bind(n);
      const nonAgents = () => n.users().filter((u) => !engine.auth.account(u)?.roles.includes("Agent"));
      n.recipients = (username) => [...own(username), ...nonAgents().flatMap((u) => own(u))];
    },
  },
  {
    name: "cookie-handshake-refused",
    description:
      "The notification channel ignores the JSESSIONID cookie: only a Basic header authenticates a handshake.",
    family: "channel",
    apply: (_app, engine) => {
      const authenticate = engine.channelAuthenticate;
      engine.channelAuthenticate = (headers) => (headers.authorization ? authenticate(headers) : undefined);
    },
  },
  {
    name: "connect-advice-garbled",
    description: "The /meta/connect reply advises a negative interval.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.editReplies((message) => {
        if (message.channel === "/meta/connect" && message.advice)
          message.advice = { ...message.advice, interval: -1000 };
      }),
  },
  {
    name: "unsubscribe-refused",
    description: "A session may not cancel its subscription: /meta/unsubscribe is answered successful false.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.editReplies((message) => {
        if (message.channel === "/meta/unsubscribe" && message.successful === true) {
          message.successful = false;
          message.error = "403::unsubscribe_denied";
        }
      }),
  },
  {
    name: "disconnect-ignored",
    description: "/meta/disconnect is answered successful but the session lives on.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.cometd.addExtension({
        incoming: (_server, _session, message, callback) => {
          if (message.channel === "/meta/disconnect") message.channel = "/meta/connect";
          callback(undefined, true);
        },
      }),
  },
  {
    name: "only-first-session-delivered",
    description:
      "Only an agent's first session receives its notifications; a second one, or one opened after a new handshake, gets nothing.",
    family: "channel",
    apply: (_app, engine) => {
      const n = engine.notifier;
      const own = n.recipients.bind(n);
      n.recipients = (username) => own(username).slice(0, 1);
    },
  },
];
