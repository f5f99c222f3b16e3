// Bayeux client libraries as an application uses them, for the handshake refusal tests: the project's own
// NotificationClient, the CometD project's JavaScript client and faye (an independent client). Each opens a session
// with the given credentials and says what the application was told: refused (and why), or subscribed to
// /v2/me/interactions; a subscribed session can then wait for a message. Waits end on an event or a deadline.
import { CometD, type Message } from "cometd";
import Faye from "faye";
import { basicAuth } from "../../src/client/basic-auth.js";
import { ensureCometdEnv } from "../../src/client/cometd-env.js";
import { leave } from "../../src/client/long-polling.js";
import { reasonOf } from "../../src/client/notification-text.js";
import { HandshakeFailed, INTERACTIONS_CHANNEL, NotificationClient } from "../../src/client/notifications.js";

/** How long the application may wait to be told: the tests' bound, and each wait's deadline. */
export const WITHIN = 2_000;

/** What the application was told, and how long after the session began; undefined: nothing within WITHIN ms. */
export type Outcome = { refused?: string; subscribed?: true; ms: number } | undefined;

export interface Session {
  outcome: Promise<Outcome>;
  /** Resolves once a message whose data mentions `text` arrives; rejects after WITHIN ms. */
  received(text: string): Promise<void>;
  /** Anything else the library told the application (faye's transport events). */
  events: string[];
  /** Ends the session, and any retry loop it is in. */
  stop(): Promise<void>;
}

export type Library = (url: string, username: string, password: string) => Session;

/** Resolves with the first outcome `begin` settles, or with undefined once WITHIN ms pass. */
function outcome(
  begin: (settle: (told: { refused: string } | { subscribed: true }) => void) => void,
): Promise<Outcome> {
  const began = performance.now();
  return new Promise((resolve) => {
    const deadline = setTimeout(() => resolve(undefined), WITHIN);
    begin((told) => {
      clearTimeout(deadline);
      resolve({ ...told, ms: performance.now() - began });
    });
  });
}

/** The messages a session received, and waits for one that mentions a text. */
function inbox() {
  const seen: string[] = [];
  const waiting = new Set<() => void>();
  return {
    add: (data: unknown) => {
      seen.push(JSON.stringify(data));
      for (const check of [...waiting]) check();
    },
    received: (text: string) =>
      new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`No message mentioning ${text} within ${WITHIN} ms.`));
        }, WITHIN);
        const check = () => {
          if (!seen.some((s) => s.includes(text))) return;
          clearTimeout(deadline);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      }),
  };
}

type FayeDispatcher = { _envelopes: Map<string, { timer?: NodeJS.Timeout }>; close(): void };

export const LIBRARIES: Record<"NotificationClient" | "cometd" | "faye", Library> = {
  // The project's client: connect() resolves once subscribed, or rejects with HandshakeFailed.
  NotificationClient: (url, username, password) => {
    let client: NotificationClient | undefined;
    return {
      outcome: outcome((settle) =>
        NotificationClient.connect({ url, username, password, handshakeTimeoutMs: 5 * WITHIN }).then(
          (connected) => {
            client = connected;
            settle({ subscribed: true });
          },
          (e: unknown) =>
            settle({
              refused: e instanceof HandshakeFailed ? `${e.refused ? "refused" : "failed"}: ${e.reason}` : `${e}`,
            }),
        ),
      ),
      received: async (text) =>
        void (await client!.waitFor((n) => JSON.stringify(n.data).includes(text), { within: WITHIN })),
      events: [],
      stop: async () => client?.disconnect(),
    };
  },
  // The CometD project's client: its handshake callback sees every handshake reply, the first one reported.
  cometd: (url, username, password) => {
    ensureCometdEnv();
    const cometd = new CometD();
    cometd.unregisterTransport("websocket"); // GWS has no websocket
    cometd.configure({ url, requestHeaders: { Authorization: basicAuth(username, password) } });
    const box = inbox();
    return {
      outcome: outcome((settle) =>
        cometd.handshake((reply: Message) => {
          if (!reply.successful) return settle({ refused: reasonOf(reply) });
          cometd.subscribe(
            INTERACTIONS_CHANNEL,
            (message: Message) => box.add(message.data),
            (subscribed: Message) => void (subscribed.successful && settle({ subscribed: true })),
          );
        }),
      ),
      received: box.received,
      events: [],
      stop: () => leave(cometd),
    };
  },
  // faye calls back only a successful handshake and never settles the subscription of a refused one
  // (faye/faye#542): an application learns of a refusal through an extension. Its handshake retry interval
  // (default 5 s) is shortened to 1 ms so that a retry, if faye made one, would reach the server before a fence.
  faye: (url, username, password) => {
    const client = new Faye.Client(url, { retry: 0.001 });
    client.disable("websocket");
    client.setHeader("Authorization", basicAuth(username, password));
    const events: string[] = [];
    client.on("transport:up", () => events.push("transport:up"));
    client.on("transport:down", () => events.push("transport:down"));
    const box = inbox();
    let stopped = false;
    return {
      outcome: outcome((settle) => {
        client.addExtension({
          incoming: (message, callback) => {
            if (message.channel === "/meta/handshake" && message.successful === false)
              settle({ refused: `Bayeux error ${message.error}` });
            callback(message);
          },
          // Once stopped, nothing more is sent (faye has no call that ends a handshake retry loop).
          outgoing: (message, callback) => callback(stopped ? null : message),
        });
        client.subscribe(INTERACTIONS_CHANNEL, box.add).then(() => settle({ subscribed: true }));
      }),
      received: box.received,
      events,
      stop: async () => {
        stopped = true;
        // A request still awaiting its Bayeux reply (a handshake after an HTTP 401, a held long poll) holds a timer.
        const dispatcher = (client as unknown as { _dispatcher: FayeDispatcher })._dispatcher;
        for (const envelope of dispatcher._envelopes.values()) clearTimeout(envelope.timer);
        dispatcher._envelopes.clear();
        dispatcher.close();
      },
    };
  },
};
