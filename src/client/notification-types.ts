// The notification client's public shapes: what it receives, how it is configured and waits, and the errors
// it raises.

/** One Bayeux message received on the subscribed channel. */
export interface ReceivedNotification {
  /** The Bayeux channel, e.g. "/v2/me/interactions". */
  channel: string;
  /** The message's `data` as sent (an object, or an array of them). */
  data: unknown;
  /** performance.now() when the message reached this client. */
  receivedAt: number;
  /** 0, 1, 2, ... in arrival order, per client. */
  seq: number;
}

/** How to reach and authenticate to the CometD endpoint. */
export interface NotificationClientOptions {
  /** The CometD endpoint, e.g. http://127.0.0.1:PORT/api/v2/notifications. */
  url: string;
  /** Basic-auth user for the handshake and every Bayeux request; absent: no credentials are sent. */
  username?: string;
  /** Basic-auth password; never appears in errors. */
  password?: string;
  /** Channel to subscribe to; default "/v2/me/interactions". */
  channel?: string;
  /** connect() rejects after this many ms without a confirmed subscription; default 5000. */
  handshakeTimeoutMs?: number;
  /** Names the account in error messages, e.g. "agent1"; default the username. */
  label?: string;
}

/** Options shared by waitFor() and expectNothingBefore(). */
export interface WaitOptions {
  /** Deadline in ms. */
  within: number;
  /** Only messages with seq >= since count; default 0. */
  since?: number;
  /** What is awaited, for the timeout message. */
  description?: string;
}

/** A wait on notifications reached its deadline. */
export class NotificationTimeout extends Error {
  override name = "NotificationTimeout";
}

/** connect() failed: handshake or subscription refused, unreachable server, or timeout. */
export class HandshakeFailed extends Error {
  override name = "HandshakeFailed";
  constructor(
    message: string,
    /** Why, without the label and URL (e.g. "Bayeux error 403::handshake_denied", "HTTP 401"). */
    readonly reason = message,
    /** The server refused the handshake (Bayeux successful:false, HTTP 401 or 403): credentials, not reachability. */
    readonly refused = false,
  ) {
    super(message);
  }
}

/** An unwanted notification arrived before the fence (see expectNothingBefore). */
export class UnexpectedNotification extends Error {
  override name = "UnexpectedNotification";
}
