// HTTP as the configured accounts: Basic auth, each account's JSESSIONID and CSRF token when the target issues
// them, every exchange recorded as the check's evidence (redacted with its record: check.ts), and when each
// accepted operation was sent.
import { basicAuth } from "../client/basic-auth.js";
import type { AccountRole } from "../runner/config.js";
import { CantTell } from "./clause.js";
import type { Evidence, HttpExchange } from "./evidence.js";
import { ConnectionPool, HttpClient, type HttpAnswer } from "./http.js";
import { redact } from "./redaction.js";
import type { TargetConfig } from "./run-context.js";

/** POST /api/v2/me/interactions/{id}: an operation, whose latency to its first notification is measured. */
const OPERATION_PATH = /^\/api\/v2\/me\/interactions\/([^/?#]+)$/;

export interface SendExtra {
  raw?: string;
  headers?: Record<string, string>;
  /** A longer bound than the request timeout, for a held Bayeux long poll. */
  timeoutMs?: number;
}

/** An operation the target accepted, with when it was sent (performance.now()). */
export interface Operated {
  operation: string;
  id: string;
  at: number;
}

export class TargetSession {
  private readonly cookies = new Map<AccountRole, { cookie?: string; csrf?: string }>();
  readonly operated: Operated[] = [];

  constructor(
    private readonly config: TargetConfig,
    private readonly evidence: Evidence,
    /** performance.now() of the check's start, for the exchanges' relative times. */
    private readonly started: number,
    /** Whether exchanges are kept as evidence. */
    private readonly record = true,
  ) {}

  /** The check's own connections: closed when it ends, so a connection one check breaks never carries into another. */
  private readonly connections = new ConnectionPool();

  /** The HTTP client, bounded by the request timeout unless `timeoutMs` says longer. */
  client(timeoutMs = this.config.timeouts.requestMs): HttpClient {
    return new HttpClient({
      baseUrl: this.config.target.baseUrl,
      timeoutMs,
      redactor: redact(),
      since: this.started,
      ...(this.record ? { record: (x: HttpExchange) => this.evidence.exchanges.push(x) } : {}),
      agent: (protocol) => this.connections.for(protocol),
    });
  }

  /** Closes the check's connections. */
  close(): void {
    this.connections.close();
  }

  /** Sends as `role` (Basic auth, its session cookie and CSRF token when the target uses them), or anonymously. */
  async send(
    role: AccountRole | null,
    method: "GET" | "POST" | "PUT",
    path: string,
    body?: unknown,
    extra: SendExtra = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...extra.headers };
    if (role) {
      const account = this.config.accounts[role];
      if (!account) throw new CantTell(`No ${role} account is configured.`);
      headers.Authorization = basicAuth(account.username, account.password);
      const jar = this.cookies.get(role) ?? {};
      if (this.config.features.csrf && method !== "GET" && !jar.csrf)
        await this.send(role, "GET", "/api/v2/me/interactions");
      const { cookie, csrf } = this.cookies.get(role) ?? {};
      if (cookie) headers.Cookie = cookie;
      if (csrf && method !== "GET") headers["X-CSRF-TOKEN"] = csrf;
    }
    const sentAt = performance.now();
    const answer = await this.client(extra.timeoutMs).send(method, path, {
      headers,
      body,
      raw: extra.raw,
      as: role && !extra.headers?.Authorization ? role : undefined,
    });
    const operated =
      method === "POST" && answer.status >= 200 && answer.status < 300 ? OPERATION_PATH.exec(path)?.[1] : undefined;
    const operationName = (body as { operationName?: unknown } | undefined)?.operationName;
    if (operated && typeof operationName === "string")
      this.operated.push({ operation: operationName, id: decodeURIComponent(operated), at: sentAt });
    if (role) this.remember(role, answer);
    return answer;
  }

  private remember(role: AccountRole, answer: HttpAnswer): void {
    const jar = this.cookies.get(role) ?? {};
    const setCookie = answer.headers["set-cookie"] as unknown as string[] | string | undefined;
    const session = [setCookie ?? []]
      .flat()
      .map((c) => c.split(";")[0]!)
      .find((c) => c.startsWith("JSESSIONID="));
    if (session) {
      jar.cookie = session;
      redact().add(session.slice("JSESSIONID=".length));
    }
    const token = answer.headers["x-csrf-token"];
    if (token) {
      jar.csrf = token;
      redact().add(token);
    }
    this.cookies.set(role, jar);
  }
}
