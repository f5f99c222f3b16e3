// A raw Bayeux (CometD long-polling) session for the channel checks: every message the suite sends and every reply
// is an HTTP exchange of the check's evidence (credentials redacted), so a check can look at what a CometD library
// would hide: the handshake reply's fields, an error code, advice, a reply to a clientId the server does not know.
// The agents' own notification clients (src/client/notifications.ts) stay the cometd library's.
import { basicAuth } from "../client/basic-auth.js";
import type { AccountRole } from "../runner/config.js";
import type { CheckContext } from "./check.js";
import type { HttpAnswer } from "./http.js";

/** One Bayeux message (a request or a reply); only the members the checks read are typed. */
export interface BayeuxMessage {
  channel: string;
  id?: string;
  clientId?: string;
  successful?: boolean;
  error?: string;
  version?: string;
  supportedConnectionTypes?: unknown;
  subscription?: string | string[];
  advice?: { reconnect?: unknown; timeout?: unknown; interval?: unknown; [name: string]: unknown };
  data?: unknown;
  [member: string]: unknown;
}

/** What one POST to the Bayeux endpoint brought back. */
export interface BayeuxExchange {
  answer: HttpAnswer;
  /** The reply messages (empty when the body is not a JSON array or object of messages). */
  replies: BayeuxMessage[];
}

/** Who the session is: an account's Basic credentials, other credentials, a cookie only, or nobody. */
export type BayeuxIdentity = { role: AccountRole; password?: string } | { cookie: string } | { anonymous: true };

const isMessage = (m: unknown): m is BayeuxMessage =>
  typeof m === "object" && m !== null && typeof (m as { channel?: unknown }).channel === "string";

/** The reply to `channel` among `replies` (the first one). */
export function replyTo(replies: BayeuxMessage[], channel: string): BayeuxMessage | undefined {
  return (
    replies.find((r) => r.channel === channel && r.successful !== undefined) ??
    replies.find((r) => r.channel === channel)
  );
}

/** Whether the server refused: an HTTP status other than 200, or a reply with successful false (or none at all). */
export function refused(x: BayeuxExchange, channel: string): boolean {
  if (x.answer.status !== 200) return true;
  return replyTo(x.replies, channel)?.successful !== true;
}

export class BayeuxSession {
  clientId: string | undefined;
  /** Messages delivered on non-meta channels, in arrival order. */
  readonly delivered: BayeuxMessage[] = [];
  #next = 0;
  readonly #cookies = new Map<string, string>();

  constructor(
    private readonly t: CheckContext,
    private readonly identity: BayeuxIdentity,
  ) {}

  #headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    const id = this.identity;
    if ("role" in id) {
      const account = this.t.config.accounts[id.role];
      if (!account) throw new Error(`No ${id.role} account is configured.`);
      headers.Authorization = basicAuth(account.username, id.password ?? account.password);
    }
    const cookies = [...this.#cookies].map(([k, v]) => `${k}=${v}`);
    if ("cookie" in id) cookies.push(id.cookie);
    if (cookies.length) headers.Cookie = cookies.join("; ");
    return headers;
  }

  /** POSTs `messages` (ids and, once handshaken, clientId added) and returns the replies; delivered data is kept. */
  async send(messages: Omit<BayeuxMessage, "id">[], timeoutMs?: number): Promise<BayeuxExchange> {
    const body = messages.map((m) => ({
      id: String(++this.#next),
      ...(this.clientId && m.channel !== "/meta/handshake" ? { clientId: this.clientId } : {}),
      ...m,
    }));
    const answer = await this.t.send(null, "POST", this.t.config.target.notificationsUrl, body, {
      headers: this.#headers(),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    for (const c of [answer.headers["set-cookie"] ?? []].flat() as string[]) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      if (eq > 0) this.#cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const raw = answer.body;
    const replies = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(isMessage);
    for (const r of replies) if (!r.channel.startsWith("/meta/")) this.delivered.push(r);
    return { answer, replies };
  }

  /** /meta/handshake offering long-polling; on success the session's clientId is set. */
  async handshake(): Promise<BayeuxExchange> {
    const x = await this.send([
      {
        channel: "/meta/handshake",
        version: "1.0",
        minimumVersion: "1.0",
        supportedConnectionTypes: ["long-polling"],
        advice: { timeout: 60_000, interval: 0 },
      },
    ]);
    const reply = replyTo(x.replies, "/meta/handshake");
    if (reply?.successful === true && typeof reply.clientId === "string") this.clientId = reply.clientId;
    return x;
  }

  /** One /meta/connect, held by the server at most `holdMs` (client advice `timeout`). */
  connect(holdMs = 0): Promise<BayeuxExchange> {
    return this.send(
      [{ channel: "/meta/connect", connectionType: "long-polling", advice: { timeout: holdMs } }],
      holdMs + this.t.config.timeouts.requestMs,
    );
  }

  /** Handshake, then the first connect (which a CometD server answers at once); undefined when refused. */
  async open(): Promise<{ handshake: BayeuxExchange; connect?: BayeuxExchange }> {
    const handshake = await this.handshake();
    if (!this.clientId) return { handshake };
    return { handshake, connect: await this.connect(0) };
  }

  subscribe(channel: string): Promise<BayeuxExchange> {
    return this.send([{ channel: "/meta/subscribe", subscription: channel }]);
  }

  unsubscribe(channel: string): Promise<BayeuxExchange> {
    return this.send([{ channel: "/meta/unsubscribe", subscription: channel }]);
  }

  publish(channel: string, data: unknown): Promise<BayeuxExchange> {
    return this.send([{ channel, data }]);
  }

  disconnect(): Promise<BayeuxExchange> {
    return this.send([{ channel: "/meta/disconnect" }]);
  }

  /**
   * Long-polls until a delivered message matches `match` (resolves with it) or `withinMs` passes (undefined). Each
   * connect is held by the server until a message comes or the time left runs out: the wait ends on the event.
   * Stops early, with undefined, when a connect is refused.
   */
  async pollFor(match: (m: BayeuxMessage) => boolean, withinMs: number): Promise<BayeuxMessage | undefined> {
    const deadline = performance.now() + withinMs;
    for (const m of this.delivered) if (match(m)) return m;
    for (let left = withinMs; left > 0; left = deadline - performance.now()) {
      const seen = this.delivered.length;
      const x = await this.connect(Math.ceil(left));
      const found = this.delivered.slice(seen).find(match);
      if (found) return found;
      if (refused(x, "/meta/connect")) return undefined;
    }
    return undefined;
  }
}

/** Whether a delivered message mentions the interaction `id` (any notification form). */
export const mentions = (id: string) => (m: BayeuxMessage) => JSON.stringify(m.data ?? null).includes(id);
