// The suites' HTTP client: supertest against the target URL, bounded by the request timeout, recording every
// exchange as evidence (its credential headers replaced at once, the rest redacted with the check's record). It
// never throws on an HTTP status; a missing answer is reported as status 0.
import { Agent as HttpAgent, type Agent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import request from "supertest";
import type { AccountRole } from "../runner/config.js";
import type { Redactor } from "../runner/redact.js";
import { curlLine, type HttpExchange } from "./evidence.js";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  body: unknown;
  text: string;
  /** Set when no answer came (timeout, refused connection, reset). */
  error?: string;
}

export interface HttpClientOptions {
  baseUrl: string;
  timeoutMs: number;
  redactor: Redactor;
  /** Keeps each exchange as evidence, its credential headers replaced; none: exchanges are not kept. */
  record?: (exchange: HttpExchange) => void;
  /** performance.now() of the check's start, for relative times. */
  since: number;
  /** The connection pool for `protocol` ("http:" or "https:"); none: a new connection per request. */
  agent?: (protocol: string) => Agent;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** A raw body sent as is (for malformed-input checks); otherwise `body` is sent as JSON. */
  raw?: string;
  body?: unknown;
  /** The account role whose credentials the headers carry, for the evidence. */
  as?: AccountRole;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed while sending",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved now",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  HPE_INVALID_CONSTANT: "the answer is not valid HTTP",
};

/**
 * Kept-alive connections, one pool per protocol: a remote target then costs one round trip per request instead of
 * two (a new connection's handshake first). Whoever makes one closes it when done.
 */
export class ConnectionPool {
  private readonly agents = new Map<string, Agent>();

  for(protocol: string): Agent {
    let agent = this.agents.get(protocol);
    if (!agent)
      this.agents.set(protocol, (agent = new (protocol === "https:" ? HttpsAgent : HttpAgent)({ keepAlive: true })));
    return agent;
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

export class HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  async send(method: "GET" | "POST" | "PUT" | "DELETE", url: string, opts: SendOptions = {}): Promise<HttpAnswer> {
    const absolute = /^https?:\/\//.test(url) ? url : `${this.options.baseUrl}${url}`;
    const { origin, pathname, search } = new URL(absolute);
    const headers: Record<string, string> = { ...opts.headers };
    const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["Content-Type"] = "application/json";
    }
    const started = performance.now();
    let answer: HttpAnswer;
    try {
      const verb = method.toLowerCase() as "get";
      const target = request(origin);
      let req = target[verb](pathname + search)
        .timeout({ deadline: this.options.timeoutMs })
        .ok(() => true)
        .buffer(true)
        .parse((res, done) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => done(null, text));
          res.on("error", (e: Error) => done(e, text));
        });
      const pool = this.options.agent?.(new URL(origin).protocol);
      if (pool) req = req.agent(pool);
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      const res = payload === undefined ? await req : await req.send(payload);
      const text = typeof res.body === "string" ? res.body : "";
      answer = { status: res.status, headers: res.headers as Record<string, string>, body: parseJson(text), text };
    } catch (e) {
      const err = e as Error & { code?: string; timeout?: number };
      const code = err.code ?? /\b(E[A-Z]{4,})\b/.exec(err.message)?.[1];
      const reason =
        err.timeout !== undefined || code === "ECONNABORTED" || code === "ETIMEDOUT"
          ? `no answer within ${this.options.timeoutMs} ms`
          : (NETWORK_ERRORS[code ?? ""] ?? err.message);
      answer = { status: 0, headers: {}, body: undefined, text: "", error: reason };
    }
    this.record(method, absolute, headers, opts, payload, answer, started);
    return answer;
  }

  private record(
    method: string,
    url: string,
    headers: Record<string, string>,
    opts: SendOptions,
    payload: string | undefined,
    answer: HttpAnswer,
    started: number,
  ): void {
    if (!this.options.record) return;
    // Headers that carry credentials are replaced now; every other string when the check's record is written out
    // (check.ts), which redacts the whole record once.
    const r = this.options.redactor;
    const requestHeaders = r.headers(headers);
    this.options.record({
      method,
      url,
      requestHeaders,
      ...(opts.as ? { as: opts.as } : {}),
      // What was sent, as sent (a copy: the caller's object may change after).
      requestBody: opts.raw ?? (payload === undefined ? undefined : JSON.parse(payload)),
      status: answer.status,
      responseHeaders: r.headers(answer.headers),
      responseBody: answer.body,
      responseText: answer.body === undefined && answer.text ? answer.text.slice(0, 4096) : undefined,
      error: answer.error,
      at: Math.round(started - this.options.since),
      durationMs: Math.round(performance.now() - started),
      curl: curlLine(method, url, requestHeaders, payload),
    });
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
