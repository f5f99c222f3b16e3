// CometD notifications (gws-facts: CometD notifications): cometd-nodejs-server behind /api/v2/notifications,
// long-polling, handshake authenticated like the REST API, and each message delivered only to the sessions
// of the agent it concerns (ServerSession.deliver), never published on a channel other agents share.
import type { IncomingMessage, ServerResponse } from "node:http";
import cometdServerModule from "cometd-nodejs-server";
import type { CometDServer, ServerMessage, ServerSession } from "cometd-nodejs-server";
import type { IncomingHttpHeaders } from "node:http";
import type { Principal } from "./auth.js";
import type { Reading } from "./reading.js";

export const NOTIFICATIONS_PATH = "/api/v2/notifications";
export const INTERACTIONS_CHANNEL = "/v2/me/interactions";
// Subscriptions that cover /v2/me/interactions (gws-facts: 'subscribe to /v2/me/interactions (or /v2/me/*)').
const COVERING = new Set([INTERACTIONS_CHANNEL, "/v2/me/*", "/v2/me/**", "/v2/**"]);

export interface NotifierOptions {
  /** How long a /meta/connect is held when there is nothing to send (cometd `timeout`). */
  holdMs: number;
  bodyLimit: number;
  /** The reference server's reading of what Bayeux leaves open (read when used: variants change it after start). */
  reading: () => Reading["channel"];
}

export class Notifier {
  readonly cometd: CometDServer;
  private readonly sessionsByUser = new Map<string, Set<string>>();
  private readonly userOf = new Map<string, string>();
  private readonly openResponses = new Set<ServerResponse>();
  /** What happens to a client's publish the policy lets through: dropped, or (a mutant) broadcast to every subscriber. */
  clientPublishes: "drop" | "broadcast" = "drop";

  constructor(
    /** Who a Bayeux request is from (the REST API's authentication, unless a mutant changes it). */
    private readonly authenticate: (headers: IncomingHttpHeaders) => Principal | undefined,
    private readonly options: NotifierOptions,
  ) {
    this.cometd = cometdServerModule.createCometDServer({ timeout: options.holdMs, maxInterval: 10_000 });
    this.cometd.policy = {
      canHandshake: (session, _message, callback) => {
        // The context is set synchronously for the request being processed; read it before any callback.
        const request = this.cometd.context.request as IncomingMessage | undefined;
        const principal = request ? this.authenticate(request.headers) : undefined;
        if (!principal) return callback(undefined, false);
        this.track(principal.account.username, session);
        callback(undefined, true);
      },
      // Only the caller's own /v2/me/ channels; clients never publish (no agent can reach another's session).
      canCreate: (_session, _message, channel, callback) => callback(undefined, channel.startsWith("/v2/me/")),
      canSubscribe: (_session, _message, channel, callback) => callback(undefined, channel.name.startsWith("/v2/me/")),
      // A publish on the caller's /v2/me/ channels is refused, or (a variant) acknowledged and dropped below.
      canPublish: (_session, _message, channel, callback) =>
        callback(
          undefined,
          channel.service || (this.options.reading().publishAcknowledged && channel.name.startsWith("/v2/me/")),
        ),
    };
    // What a client publishes on /v2/me/** is never broadcast: notifications come from the server alone.
    this.cometd
      .createServerChannel("/v2/me/**")
      .addListener(
        "message",
        (
          _session: unknown,
          _channel: unknown,
          _message: unknown,
          callback: (failure: unknown, result: boolean) => void,
        ) => callback(undefined, this.clientPublishes === "broadcast"),
      );
    this.editReplies((message) => {
      if (message.channel === "/meta/connect" && message.successful === true && !this.options.reading().connectAdvice)
        delete message.advice;
    });
  }

  /** Lets `edit` change every message the server sends (replies and deliveries) before it goes out. */
  editReplies(edit: (message: ServerMessage) => void): void {
    this.cometd.addExtension({
      outgoing: (_server, _sender, _session, message, callback) => {
        edit(message);
        callback(undefined, true);
      },
    });
  }

  /**
   * The sessions of `username` that receive its notifications: those subscribed to /v2/me/interactions, or (a
   * variant, AMB-CHANNEL-DELIVERY) every session of the user, as a private ServerSession.deliver() reaches it.
   */
  recipients(username: string): ServerSession[] {
    const sessions = this.sessionsOf(username);
    if (this.options.reading().delivery === "every-session") return sessions;
    return sessions.filter((session) => session.subscriptions.some((c) => COVERING.has(c.name)));
  }

  /** Every live session of `username`, oldest first. */
  sessionsOf(username: string): ServerSession[] {
    return [...(this.sessionsByUser.get(username) ?? [])]
      .map((id) => this.cometd.getServerSession(id))
      .filter((s): s is ServerSession => s !== undefined);
  }

  /** Every user with a live session. */
  users(): string[] {
    return [...this.sessionsByUser.keys()];
  }

  private track(username: string, session: ServerSession): void {
    let ids = this.sessionsByUser.get(username);
    if (!ids) this.sessionsByUser.set(username, (ids = new Set()));
    ids.add(session.id);
    this.userOf.set(session.id, username);
    session.addListener("removed", () => {
      ids.delete(session.id);
      this.userOf.delete(session.id);
      if (ids.size === 0) this.sessionsByUser.delete(username);
    });
  }

  /** Delivers `data` on /v2/me/interactions to every session of `username` subscribed to it. */
  deliver(username: string, data: unknown): number {
    const sessions = this.recipients(username);
    for (const session of sessions) session.deliver(null, INTERACTIONS_CHANNEL, data);
    return sessions.length;
  }

  /** Handles one HTTP request to /api/v2/notifications (already authenticated by the caller). */
  handle(request: IncomingMessage, response: ServerResponse): void {
    this.openResponses.add(response);
    response.on("close", () => this.openResponses.delete(response));
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.options.bodyLimit && !refused) {
        refused = true;
        reply(response, 413, {
          statusCode: 1,
          statusMessage: `The Bayeux message exceeds ${this.options.bodyLimit} bytes.`,
        });
        request.resume();
      } else if (!refused) chunks.push(chunk);
    });
    request.on("end", () => {
      if (refused) return;
      let messages: unknown;
      try {
        messages = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return reply(response, 400, { statusCode: 1, statusMessage: "The Bayeux request is not valid JSON." });
      }
      if (typeof messages !== "object" || messages === null) {
        return reply(response, 400, {
          statusCode: 1,
          statusMessage: "The Bayeux request is not a message or a list of messages.",
        });
      }
      const list = (Array.isArray(messages) ? messages : [messages]) as Record<string, unknown>[];
      // A session's messages come from its own user, authenticated on every request (gws-facts: HTTP Basic, or the
      // session cookie): a clientId alone is no credential. Refused in Bayeux before cometd, which would otherwise
      // flush the session's queued notifications into the reply even of a refused /meta/connect.
      if (this.foreign(request, list))
        return reply(
          response,
          200,
          list.map((m) => ({ channel: m?.channel, id: m?.id, successful: false, error: "403::session_not_yours" })),
        );
      // cometd-nodejs-server takes an already-read body from request.body.
      (request as IncomingMessage & { body?: unknown }).body = list;
      this.cometd.handle(request, response);
    });
  }

  /** Whether a message names a live session of another user than the request's (or of anyone, unauthenticated). */
  private foreign(request: IncomingMessage, messages: Record<string, unknown>[]): boolean {
    const owners = messages.map((m) => (typeof m?.clientId === "string" ? this.userOf.get(m.clientId) : undefined));
    if (owners.every((o) => o === undefined)) return false;
    const username = this.authenticate(request.headers)?.account.username;
    return owners.some((o) => o !== undefined && o !== username);
  }

  /** Ends every session (which answers held long polls with /meta/disconnect) and stops cometd's timers. */
  close(): void {
    for (const ids of [...this.sessionsByUser.values()]) {
      for (const id of [...ids]) this.cometd.getServerSession(id)?.disconnect();
    }
    this.cometd.close();
    for (const response of this.openResponses) response.destroy();
  }
}

export function reply(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}
