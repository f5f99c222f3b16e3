// Credentials never reach a report, log or test output: every secret of the run, and the forms it travels in
// (Basic tokens, cookies, CSRF tokens, hook headers), is replaced before anything is written.
import { basicToken } from "../client/basic-auth.js";
import type { RunConfig } from "./config.js";

export const REDACTED = "[REDACTED]";

/** Header names whose values are always secret, whatever they hold. */
const SECRET_HEADERS = new Set(["authorization", "cookie", "set-cookie", "x-csrf-token", "proxy-authorization"]);

export class Redactor {
  private readonly secrets: string[];
  private readonly secretHeaders: Set<string>;

  constructor(secrets: Iterable<string>, extraSecretHeaders: Iterable<string> = []) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...new Set([...secrets].filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
    this.secretHeaders = new Set([...SECRET_HEADERS, ...[...extraSecretHeaders].map((h) => h.toLowerCase())]);
  }

  static forConfig(config: Pick<RunConfig, "accounts" | "provisioning">): Redactor {
    const secrets: string[] = [];
    const { agentPool = [], ...named } = config.accounts;
    for (const account of [...Object.values(named), ...agentPool]) {
      if (!account) continue;
      secrets.push(account.password, basicToken(account.username, account.password));
    }
    const headers = Object.keys(config.provisioning?.headers ?? {});
    secrets.push(...Object.values(config.provisioning?.headers ?? {}));
    return new Redactor(secrets, headers);
  }

  /** Adds a secret learned during the run (a session cookie, a CSRF token). */
  add(secret: string): void {
    if (secret.length >= 3 && !this.secrets.includes(secret)) {
      this.secrets.push(secret);
      this.secrets.sort((a, b) => b.length - a.length);
    }
  }

  /**
   * Each secret, longest first, found by the engine's native substring search. Not one regular expression:
   * a run learns a session secret or two per check, and recompiling an alternation of hundreds of secrets
   * for every one of them cost more than all the searching (the bench's profile).
   */
  text(value: string): string {
    const shortest = this.secrets.at(-1)?.length;
    if (shortest === undefined || value.length < shortest) return value;
    let out = value;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    return out;
  }

  headers(headers: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(", ") : String(value);
      out[name] = this.secretHeaders.has(name.toLowerCase()) ? REDACTED : this.text(text);
    }
    return out;
  }

  /** Any JSON value, with every string (keys included) redacted. */
  value<T>(value: T): T {
    if (typeof value === "string") return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.value(v)) as T;
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.value(v)])) as T;
    }
    return value;
  }
}
