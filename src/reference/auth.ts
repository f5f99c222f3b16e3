// HTTP Basic on every request plus the JSESSIONID session cookie, and the optional CSRF token
// (gws-facts: Authentication and roles).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { ReferenceAccount, RoleName } from "./accounts.js";

export const SESSION_COOKIE = "JSESSIONID";
export const CSRF_HEADER = "X-CSRF-TOKEN";
const MAX_SESSIONS = 20_000;

interface Session {
  username: string;
  csrfToken: string;
}

export interface Principal {
  account: ReferenceAccount;
  sessionId: string;
  /** The session was created by this request: the response must set the cookie. */
  newSession: boolean;
  csrfToken: string;
}

const digest = (s: string) => createHash("sha256").update(s).digest();
// Compare digests so that neither length nor content leaks through timing.
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

export class Authenticator {
  private readonly byName = new Map<string, ReferenceAccount>();
  private readonly sessions = new Map<string, Session>();

  constructor(accounts: ReferenceAccount[]) {
    for (const a of accounts) this.byName.set(a.username, a);
  }

  account(username: string): ReferenceAccount | undefined {
    return this.byName.get(username);
  }

  accountById(id: string): ReferenceAccount | undefined {
    return [...this.byName.values()].find((a) => a.id === id);
  }

  /**
   * Basic headers already verified, so a client that sends the same header on every request (as HTTP clients
   * do) is not re-hashed each time. Passwords never change while the server runs; bounded like the sessions.
   */
  private readonly verified = new Map<string, ReferenceAccount>();

  /** The account named by a valid `Authorization: Basic` header, else undefined. */
  fromBasic(header: string | undefined): ReferenceAccount | undefined {
    const known = header === undefined ? undefined : this.verified.get(header);
    if (known) return known;
    const account = this.checkBasic(header);
    if (account && header !== undefined) {
      if (this.verified.size >= MAX_SESSIONS) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(header, account);
    }
    return account;
  }

  private checkBasic(header: string | undefined): ReferenceAccount | undefined {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
    if (!match) return undefined;
    const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const account = this.byName.get(decoded.slice(0, colon));
    const password = decoded.slice(colon + 1);
    // Always compare, so an unknown user takes as long as a wrong password.
    const ok = sameSecret(password, account?.password ?? "\u0000no-such-user");
    return ok ? account : undefined;
  }

  /**
   * Authenticates a request by its Basic header (which wins) or its session cookie. A Basic request without a
   * matching session gets a new one, as GWS issues JSESSIONID on any authenticated request.
   */
  authenticate(headers: IncomingHttpHeaders): Principal | undefined {
    const sessionId = parseCookies(headers.cookie)[SESSION_COOKIE];
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    if (headers.authorization !== undefined) {
      const account = this.fromBasic(headers.authorization);
      if (!account) return undefined;
      if (session && sessionId && session.username === account.username) {
        return { account, sessionId, newSession: false, csrfToken: session.csrfToken };
      }
      const created = this.createSession(account.username);
      return { account, sessionId: created[0], newSession: true, csrfToken: created[1].csrfToken };
    }
    if (!session || !sessionId) return undefined;
    const account = this.byName.get(session.username);
    return account ? { account, sessionId, newSession: false, csrfToken: session.csrfToken } : undefined;
  }

  private createSession(username: string): [string, Session] {
    // Bounded: clients that never send the cookie back would otherwise grow the table forever.
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(18).toString("base64url");
    const session = { username, csrfToken: randomBytes(18).toString("base64url") };
    this.sessions.set(id, session);
    return [id, session];
  }
}

export const hasRole = (account: ReferenceAccount, role: RoleName) => account.roles.includes(role);

export const sessionCookie = (id: string) => `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
