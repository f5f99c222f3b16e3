// Conforming variants of the notification channel (Bayeux): refusals, advice, publishing and who may handshake.
import type { Variant } from "../variants.js";

export const CHANNEL_VARIANTS: Variant[] = [
  {
    name: "channel-refusal-http",
    description:
      "A CometD request without valid credentials is refused with an HTTP 401 (or 403) before any Bayeux processing, not with a Bayeux reply.",
    register: "AMB-CHANNEL-REFUSAL",
    apply: (r) => void (r.channel.httpRefusal = true),
  },
  {
    name: "unknown-client-other-error",
    description: "A message with an unknown clientId is refused with error 401::unknown client and no advice.",
    register: "AMB-CHANNEL-UNKNOWN-CLIENT",
    apply: (_r, engine) =>
      engine.notifier.editReplies((message) => {
        if (typeof message.error === "string" && message.error.startsWith("402")) {
          message.error = "401::unknown client";
          delete message.advice;
        }
      }),
  },
  {
    name: "no-connect-advice",
    description: "/meta/connect replies carry no advice (the handshake's stands).",
    register: "AMB-CHANNEL-ADVICE",
    apply: (r) => void (r.channel.connectAdvice = false),
  },
  {
    name: "publish-acknowledged",
    description: "A client's publish on /v2/me/** is acknowledged, and delivered to no one.",
    register: "AMB-CHANNEL-PUBLISH",
    apply: (r) => void (r.channel.publishAcknowledged = true),
  },
  {
    name: "direct-delivery",
    description:
      "Each notification goes to every session of the agent, subscribed to /v2/me/interactions or not, as CometD's ServerSession.deliver() sends a private message, so an unsubscribe stops nothing.",
    register: "AMB-CHANNEL-DELIVERY",
    apply: (r) => void (r.channel.delivery = "every-session"),
  },
  {
    name: "channel-agents-only",
    description: "Only accounts with the Agent role may handshake with the notification channel.",
    register: "AMB-CHANNEL-ROLES",
    apply: (_r, engine) => {
      const authenticate = engine.channelAuthenticate;
      engine.channelAuthenticate = (headers) => {
        const principal = authenticate(headers);
        return principal?.account.roles.includes("Agent") ? principal : undefined;
      };
    },
  },
];
