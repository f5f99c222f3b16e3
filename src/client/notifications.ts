// Per-agent CometD (Bayeux long-polling) client for GWS notifications on /v2/me/interactions.
// One CometD client per agent, each with its own cookie jar, so a CometD server never sees two agents as one browser.
import { CometD, type Message } from "cometd";
import { basicAuth } from "./basic-auth.js";
import { ensureCometdEnv } from "./cometd-env.js";
import { leave, PerAgentLongPolling, type TransportFailureHook } from "./long-polling.js";
import { reasonOf, refusedBy, safeUrl, summarize } from "./notification-text.js";
import { HandshakeFailed, NotificationTimeout, UnexpectedNotification } from "./notification-types.js";
import type { NotificationClientOptions, ReceivedNotification, WaitOptions } from "./notification-types.js";

export { HandshakeFailed, NotificationTimeout, UnexpectedNotification } from "./notification-types.js";
export type { NotificationClientOptions, ReceivedNotification, WaitOptions } from "./notification-types.js";

/** The GWS channel that carries an agent's interaction notifications. */
export const INTERACTIONS_CHANNEL = "/v2/me/interactions";

/** How many messages a client keeps; older ones are dropped (their seq numbers stay unique). */
const MAX_KEPT = 20_000;

/** Settles a pending wait (later calls are ignored). */
interface Settle<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** A waitFor/expectNothingBefore in progress: fed each new message, cancelled by disconnect(). */
interface PendingWait {
  feed(n: ReceivedNotification): void;
  cancel(): void;
}

/** One agent's CometD session, recording everything received on its channel. */
export class NotificationClient {
  readonly #options: Required<Omit<NotificationClientOptions, "username" | "password">> & NotificationClientOptions;
  readonly #cometd: CometD;
  readonly #received: ReceivedNotification[] = [];
  /** seq of #received[0]: the oldest messages are dropped past MAX_KEPT, so a flooding server cannot exhaust memory. */
  #base = 0;
  readonly #pending = new Set<PendingWait>();
  readonly #subscribedListeners = new Set<(reestablished: boolean) => void>();
  #established = false;
  #closing: Promise<void> | undefined;

  private constructor(options: NotificationClientOptions) {
    this.#options = {
      ...options,
      channel: options.channel ?? INTERACTIONS_CHANNEL,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5_000,
      label: options.label ?? options.username ?? "anonymous",
    };
    ensureCometdEnv();
    this.#cometd = new CometD(this.#options.label);
    // GWS has no websocket; offering it makes the first handshake report a failure before succeeding.
    for (const type of this.#cometd.getTransportTypes()) this.#cometd.unregisterTransport(type);
    this.#cometd.registerTransport("long-polling", new PerAgentLongPolling());
    const credentials =
      options.username === undefined ? {} : { Authorization: basicAuth(options.username, options.password ?? "") };
    this.#cometd.configure({ url: options.url, requestHeaders: credentials });
  }

  /** Handshakes and subscribes; resolves once the server confirms the subscription, else rejects with HandshakeFailed. */
  static async connect(options: NotificationClientOptions): Promise<NotificationClient> {
    const client = new NotificationClient(options);
    await client.#start();
    return client;
  }

  /** Everything received on the channel, in arrival order. */
  get received(): readonly ReceivedNotification[] {
    return this.#received;
  }

  /** The account label used in messages. */
  get label(): string {
    return this.#options.label;
  }

  /** The seq the next message will get: pass it as `since` to wait only for messages after an action. */
  cursor(): number {
    return this.#base + this.#received.length;
  }

  /** The kept messages with seq >= since, in arrival order. */
  receivedSince(since: number): ReceivedNotification[] {
    return this.#received.slice(Math.max(0, since - this.#base));
  }

  /** Calls `listener` on every confirmed (re-)subscription; `reestablished` is true after a re-handshake. Returns a remover. */
  onSubscribed(listener: (reestablished: boolean) => void): () => void {
    this.#subscribedListeners.add(listener);
    return () => this.#subscribedListeners.delete(listener);
  }

  /** Resolves with the first message (seq >= since) matching `match`, received already or later; rejects with NotificationTimeout after `within` ms. */
  waitFor(match: (n: ReceivedNotification) => boolean, opts: WaitOptions): Promise<ReceivedNotification> {
    return this.#scan(opts, (n, done) => {
      if (match(n)) done.resolve(n);
    });
  }

  /** Resolves when a `fence` message (seq >= since) arrives with no `match` message before it; rejects if one came first, or with NotificationTimeout if the fence does not arrive within `within` ms. */
  expectNothingBefore(
    match: (n: ReceivedNotification) => boolean,
    fence: (n: ReceivedNotification) => boolean,
    opts: WaitOptions,
  ): Promise<void> {
    const what = opts.description ?? "an unwanted notification";
    return this.#scan(
      { ...opts, description: `the fence notification (checking for ${what} before it)` },
      (n, done) => {
        // The fence message itself is not "before" the fence, so it is checked first.
        if (fence(n)) done.resolve(undefined);
        else if (match(n))
          done.reject(new UnexpectedNotification(`${this.label}: ${what} arrived before the fence: ${summarize(n)}.`));
      },
    );
  }

  /** Leaves the server (bounded to ~2 s even if it is gone), rejects pending waits and clears timers. Idempotent. */
  disconnect(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #start(): Promise<void> {
    const { url, label, channel, handshakeTimeoutMs } = this.#options;
    const cometd = this.#cometd as CometD & { onTransportFailure: TransportFailureHook };
    try {
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const settle = (error?: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          stopWaiting();
          if (error) reject(error);
          else resolve();
        };
        const fail = (reason: string, refused = false) =>
          settle(
            new HandshakeFailed(`${label}: CometD handshake with ${safeUrl(url)} failed: ${reason}.`, reason, refused),
          );
        const timer = setTimeout(
          () => fail(`no confirmed subscription within ${handshakeTimeoutMs} ms`),
          handshakeTimeoutMs,
        );
        const stopWaiting = this.onSubscribed(() => settle());
        // Until the first subscription is confirmed, and once closing, a failure ends the session instead of retrying.
        const retry = cometd.onTransportFailure.bind(cometd);
        cometd.onTransportFailure = (message, info, handler) =>
          this.#established && !this.#closing ? retry(message, info, handler) : handler({ ...info, action: "none" });
        cometd.addListener("/meta/handshake", (reply: Message) => {
          if (reply.successful)
            this.#subscribe(reply.reestablish === true, (error) =>
              fail(`subscription to ${channel} refused: ${error}`),
            );
          else if (!this.#established) fail(reasonOf(reply), refusedBy(reply));
        });
        cometd.handshake();
      });
    } catch (error) {
      await this.disconnect();
      throw error;
    }
  }

  /** Subscribes after each successful handshake (a re-handshake drops all subscriptions). */
  #subscribe(reestablished: boolean, refused: (error: string) => void): void {
    if (this.#closing) return;
    this.#cometd.subscribe(
      this.#options.channel,
      (message: Message) => this.#record(message),
      (reply: Message) => {
        if (!reply.successful) {
          if (!this.#established) refused(reasonOf(reply));
          return;
        }
        this.#established = true;
        for (const listener of [...this.#subscribedListeners]) listener(reestablished);
      },
    );
  }

  #record(message: Message): void {
    const n: ReceivedNotification = {
      channel: message.channel,
      data: message.data,
      receivedAt: performance.now(),
      seq: this.cursor(),
    };
    this.#received.push(n);
    if (this.#received.length > MAX_KEPT) {
      const drop = this.#received.length - MAX_KEPT / 2;
      this.#received.splice(0, drop);
      this.#base += drop;
    }
    for (const wait of [...this.#pending]) wait.feed(n);
  }

  /** Feeds messages with seq >= since (past, then live) to `step` until it settles or `within` ms pass. */
  #scan<T>(opts: WaitOptions, step: (n: ReceivedNotification, done: Settle<T>) => void): Promise<T> {
    const since = opts.since ?? 0;
    const what = opts.description ?? "a matching notification";
    return new Promise<T>((resolve, reject) => {
      const finish = (settle: () => void) => {
        if (!this.#pending.delete(wait)) return;
        clearTimeout(timer);
        settle();
      };
      const done: Settle<T> = { resolve: (v) => finish(() => resolve(v)), reject: (e) => finish(() => reject(e)) };
      const wait: PendingWait = {
        feed: (n) => {
          // A throwing predicate fails this wait now, instead of being swallowed by cometd's listener loop.
          try {
            if (n.seq >= since) step(n, done);
          } catch (error) {
            done.reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        cancel: () => done.reject(new Error(`${this.label}: disconnected while waiting for ${what}.`)),
      };
      const timer = setTimeout(
        () =>
          done.reject(
            new NotificationTimeout(
              `${this.label}: timed out after ${opts.within} ms waiting for ${what}; ${this.#summary(since)}.`,
            ),
          ),
        opts.within,
      );
      this.#pending.add(wait);
      for (const n of this.receivedSince(since)) if (this.#pending.has(wait)) wait.feed(n);
      if (this.#closing) wait.cancel();
    });
  }

  /** "received N message(s) since seq S, last: ..." for timeout messages. */
  #summary(since: number): string {
    const got = this.receivedSince(since);
    if (got.length === 0) return `received nothing since seq ${since}`;
    return `received ${got.length} message(s) since seq ${since}, last: ${got.slice(-3).map(summarize).join("; ")}`;
  }

  async #close(): Promise<void> {
    for (const wait of [...this.#pending]) wait.cancel();
    await leave(this.#cometd);
  }
}
