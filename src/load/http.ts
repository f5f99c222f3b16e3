// The load's HTTP: one agent's session (Basic auth, JSESSIONID, CSRF token) and the provisioning hook's offer and
// withdrawal, every request through one first-in, first-out gate.
import { basicAuth } from "../client/basic-auth.js";
import type { Account } from "../runner/config.js";
import type { TargetConfig } from "../suite/run-context.js";

/**
 * Requests in flight at once, across all agents; the others queue in order, as in a browser's connection pool.
 * Hundreds of simultaneous connections make any server's scheduling unfair (some requests starve for seconds
 * while others cycle), which would be reported as timeouts of a server that is merely saturated.
 */
const IN_FLIGHT = 32;

export interface Answer {
  status: number;
  body: unknown;
  error?: string;
  answeredAt: number;
}

/** One agent's HTTP session: Basic auth, its JSESSIONID and CSRF token when the target uses them. */
export class AgentSession {
  private cookie?: string;
  private csrf?: string;
  readonly httpMs: number[] = [];

  constructor(
    readonly account: Account,
    private readonly config: TargetConfig,
  ) {}

  async send(method: "GET" | "POST", path: string, body?: unknown): Promise<Answer> {
    if (this.config.features.csrf && method !== "GET" && !this.csrf) await this.send("GET", "/api/v2/me/interactions");
    const headers: Record<string, string> = { Authorization: basicAuth(this.account.username, this.account.password) };
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== "GET") headers["X-CSRF-TOKEN"] = this.csrf;
    const answer = await request(this.config, method, `${this.config.target.baseUrl}${path}`, headers, body);
    this.httpMs.push(answer.ms);
    const session = answer.setCookie.map((c) => c.split(";")[0]!).find((c) => c.startsWith("JSESSIONID="));
    if (session) this.cookie = session;
    if (answer.csrf) this.csrf = answer.csrf;
    return answer;
  }
}

/** A first-in, first-out limit on concurrent requests. */
class Gate {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(width: number) {
    this.free = width;
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
const gate = new Gate(IN_FLIGHT);

/** One request; its timeout counts from when it is sent, not from when it queued at the gate. */
function request(
  config: TargetConfig,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer & { ms: number; setCookie: string[]; csrf?: string }> {
  return gate.run(() => send(config, method, url, headers, body));
}

async function send(
  config: TargetConfig,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer & { ms: number; setCookie: string[]; csrf?: string }> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(config.timeouts.requestMs),
    });
    const text = await res.text();
    const answeredAt = performance.now();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return {
      status: res.status,
      body: parsed,
      answeredAt,
      ms: answeredAt - started,
      setCookie: res.headers.getSetCookie(),
      csrf: res.headers.get("x-csrf-token") ?? undefined,
    };
  } catch (e) {
    const err = e as Error;
    const answeredAt = performance.now();
    const error =
      err.name === "TimeoutError"
        ? `no answer within ${config.timeouts.requestMs} ms`
        : ((err.cause as Error | undefined)?.message ?? err.message);
    return { status: 0, body: undefined, error, answeredAt, ms: answeredAt - started, setCookie: [] };
  }
}

/** Asks the provisioning hook to offer a new interaction to `username`; `id` is absent when it refused. */
export async function offer(
  config: TargetConfig,
  username: string,
  tag: string,
): Promise<{ id?: string; answer: Answer }> {
  const hook = config.provisioning!;
  const answer = await request(
    config,
    "POST",
    hook.url,
    { ...hook.headers },
    { agent: username, mediaType: "email", userData: { ConformanceLoad: tag } },
  );
  const id = (answer.body as { id?: unknown } | undefined)?.id;
  return { id: answer.status >= 200 && answer.status < 300 && typeof id === "string" ? id : undefined, answer };
}

/** Removes an interaction through the hook (its optional DELETE). */
export const withdraw = (config: TargetConfig, id: string) =>
  request(config, "DELETE", `${config.provisioning!.url}/${encodeURIComponent(id)}`, {
    ...config.provisioning!.headers,
  });
