// A small real CometD server (cometd-nodejs-server behind node:http on 127.0.0.1) for the notification client tests.
// Unknown users get HTTP 401 before CometD; a known user with a wrong password gets Bayeux 403::handshake_denied.
import http from "node:http";
import type { AddressInfo } from "node:net";
import cometdServerModule from "cometd-nodejs-server";
import type { CometDServer, ServerSession } from "cometd-nodejs-server";

export const NOTIFICATIONS_PATH = "/api/v2/notifications";
const CHANNEL = "/v2/me/interactions";

/** The running test server. */
export interface MiniCometd {
  /** The CometD endpoint URL. */
  readonly url: string;
  /** How many replies carried `multiple-clients` advice (two clients sharing one browser cookie). */
  readonly multipleClientsAdvices: number;
  /** Delivers `data` on /v2/me/interactions to each of the user's sessions subscribed to it; returns how many. */
  deliverTo(username: string, data: unknown): number;
  /** How many live sessions the user has. */
  sessionCount(username: string): number;
  /** Forgets the user's sessions without telling the clients (like a server restart): their next /meta/connect gets 402::session_unknown. */
  dropSessions(username: string): void;
  /** From now on, holds every HTTP request unanswered (a hung server) until close(). */
  freeze(): void;
  /** Ends every session (answering held long polls, unless `abrupt`: then connections are cut first), stops CometD's timers and closes all connections. */
  close(options?: { abrupt?: boolean }): Promise<void>;
}

/** cometd-nodejs-server internals used by dropSessions(): the same two steps its /meta/disconnect handler takes. */
interface Internals {
  _removeServerSession(session: ServerSession, timeout: boolean): unknown;
}
interface SessionInternals {
  _flush(): void;
}

/** Starts a server for `users` (username -> password) on 127.0.0.1 with an OS-picked port. */
export async function startMiniCometd(users: Record<string, string>): Promise<MiniCometd> {
  const cometd: CometDServer = cometdServerModule.createCometDServer({ timeout: 10_000 });
  const sessionsByUser = new Map<string, Set<string>>();
  const held = new Set<http.ServerResponse>();
  let frozen = false;
  let multipleClientsAdvices = 0;

  cometd.policy = {
    canHandshake(session, _message, callback) {
      // Only valid synchronously, while CometD processes this request.
      const request = cometd.context.request as http.IncomingMessage;
      const credentials = basicCredentials(request.headers.authorization);
      const ok = credentials !== undefined && users[credentials.username] === credentials.password;
      if (ok) {
        const ids = sessionsByUser.get(credentials.username) ?? new Set<string>();
        sessionsByUser.set(credentials.username, ids.add(session.id));
        session.addListener("removed", () => ids.delete(session.id));
      }
      callback(undefined, ok);
    },
  };
  cometd.addExtension({
    outgoing(_server, _sender, _session, message, callback) {
      if (message.advice?.["multiple-clients"]) multipleClientsAdvices++;
      callback(undefined, true);
    },
  });

  const server = http.createServer((request, response) => {
    if (frozen) {
      held.add(response);
      return;
    }
    if (!request.url?.startsWith(NOTIFICATIONS_PATH)) return void response.writeHead(404).end();
    const credentials = basicCredentials(request.headers.authorization);
    if (credentials === undefined || !(credentials.username in users)) return void response.writeHead(401).end();
    cometd.handle(request, response);
  });
  // Above any idle gap of the client's pooled sockets, so a reused socket is never closed under it.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const sessionsOf = (username: string): ServerSession[] =>
    [...(sessionsByUser.get(username) ?? [])].flatMap((id) => cometd.getServerSession(id) ?? []);

  return {
    url: `http://127.0.0.1:${port}${NOTIFICATIONS_PATH}`,
    get multipleClientsAdvices() {
      return multipleClientsAdvices;
    },
    deliverTo(username, data) {
      const subscribed = sessionsOf(username).filter((s) => s.subscriptions.some((c) => c.name === CHANNEL));
      for (const session of subscribed) session.deliver(null, CHANNEL, data);
      return subscribed.length;
    },
    sessionCount: (username) => sessionsOf(username).length,
    dropSessions(username) {
      for (const session of sessionsOf(username)) {
        (cometd as unknown as Internals)._removeServerSession(session, false);
        // Answers the held /meta/connect normally, so the client's next one finds no session.
        (session as unknown as SessionInternals)._flush();
      }
    },
    freeze() {
      frozen = true;
    },
    async close({ abrupt = false } = {}) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (abrupt) server.closeAllConnections();
      // disconnect() answers each held /meta/connect and clears its hold timer, which would otherwise keep Node alive.
      for (const username of sessionsByUser.keys()) for (const session of sessionsOf(username)) session.disconnect();
      cometd.close();
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A port on 127.0.0.1 with nothing listening (bound by the OS, then released). */
export async function unusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An HTTP server on 127.0.0.1 that accepts requests and never answers them. */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${NOTIFICATIONS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
