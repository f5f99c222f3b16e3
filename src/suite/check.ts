// check(): one named conformance check, as a vitest test whose stable id, citations, outcome, expectations and
// evidence travel to the runner's reporter in the test's meta. Checks read like the spec sentence they verify;
// every expectation names its clause, whose level decides whether breaking it fails or warns (levels.ts).
import { afterAll, beforeAll, test, type TestContext } from "vitest";
import type { CheckFamily, NotificationVariant } from "../generated/schema-types.js";
import { specModel, type Profile } from "../model/catalog.js";
import type { ExpectationRecord } from "../model/levels.js";
import { schemas } from "../model/schemas.js";
import { basicAuth } from "../client/basic-auth.js";
import { NotificationTimeout, UnexpectedNotification, HandshakeFailed, type NotificationClient, type ReceivedNotification } from "../client/notifications.js";
import type { AccountRole, Features } from "../runner/config.js";
import { Redactor } from "../runner/redact.js";
import { agentNotifications, connectedAgents, disconnectAgents } from "./agents.js";
import { emptyEvidence, valueAt, type Evidence } from "./evidence.js";
import { ConformanceFailure, Expectations } from "./expect.js";
import { HttpClient, type HttpAnswer } from "./http.js";
import { interactionOf, variantViolations, type InteractionSeen } from "./interactions.js";
import { runContext, type TargetConfig } from "./run-context.js";

export { ConformanceFailure };

/** "warning": only decided expectations (the register's choices) did not hold; see src/model/levels.ts. */
export type Outcome = "passed" | "failed" | "warning" | "not-applicable" | "cant-tell" | "error";

/** A clause whose breach fails the check (the page, gws-facts, HTTP/Bayeux). */
export type Normative = `REQ-${string}` | `FACT-${string}` | `PROTO-${string}`;
/** A clause only the ambiguity register decided: its breach is a warning. */
export type Decided = `AMB-${string}`;
export type Clause = Normative | Decided;

export interface CheckSpec {
  /** Stable id, e.g. "accept.success"; reports and waivers refer to it. */
  id: string;
  title: string;
  family: CheckFamily;
  /** The catalog operation or endpoint it is about, for the report's matrix. */
  operation?: string;
  /** The clauses (REQ-*, FACT-*, PROTO-*) it verifies. */
  requirements: string[];
  /** The ambiguity entries its expectations depend on. */
  ambiguities?: string[];
  needs?: { accounts?: AccountRole[]; features?: (keyof Features)[] };
}

export interface CheckRecord {
  spec: CheckSpec;
  outcome: Outcome;
  reason?: string;
  evidence: Evidence;
  /** Every expectation the check asserted, with its clause and level, in the order asserted. */
  expectations: ExpectationRecord[];
  /** Per accepted operation, ms from sending it to the first notification about its interaction (issue 13). */
  latencies?: { operation: string; ms: number }[];
}

declare module "vitest" {
  interface TaskMeta {
    gws?: CheckRecord;
  }
}

/** A precondition the check needs did not hold (e.g. the provisioning hook failed): no verdict. */
export class CantTell extends Error {
  override name = "CantTell";
}

function classify(error: unknown): Outcome {
  const name = (error as Error)?.name;
  if (name === "CantTell" || error instanceof HandshakeFailed) return "cant-tell";
  if (name === "AssertionError" || error instanceof ConformanceFailure || error instanceof NotificationTimeout || error instanceof UnexpectedNotification) {
    return "failed";
  }
  return "error";
}

/** The reasons a check cannot apply to this configuration, if any. */
function notApplicable(spec: CheckSpec, config: TargetConfig): string | undefined {
  for (const role of spec.needs?.accounts ?? []) {
    if (!config.accounts[role]) return `needs the ${role} account, and accounts.${role} is not configured.`;
  }
  for (const feature of spec.needs?.features ?? []) {
    if (!config.features[feature]) return `needs the ${feature} feature, and features.${feature} is false.`;
  }
  return undefined;
}

let redactor: Redactor | undefined;
const redact = () => (redactor ??= Redactor.forConfig(runContext()));

/** Declares the suite file's use of the target: agents connect before the first check and leave after the last. */
export function useTarget(roles: AccountRole[] = ["agent", "agent2"]): void {
  beforeAll(async () => {
    const config = runContext();
    // Only configured accounts; a refused handshake surfaces in the checks that need it, as "can't tell".
    await Promise.allSettled(roles.filter((r) => config.accounts[r]).map((r) => agentNotifications(r)));
  });
  afterAll(() => disconnectAgents());
}

export function check(spec: CheckSpec, body: (t: CheckContext) => Promise<void>): void {
  test(`${spec.id} — ${spec.title}`, async (ctx) => {
    const config = runContext();
    const record: CheckRecord = { spec, outcome: "passed", evidence: emptyEvidence(), expectations: [] };
    ctx.task.meta.gws = record;
    const reason = notApplicable(spec, config);
    if (reason) {
      record.outcome = "not-applicable";
      record.reason = reason;
      ctx.skip(reason);
      return;
    }
    const t = new CheckContext(config, record.evidence, ctx);
    await t.start();
    try {
      await body(t);
      const warnings = t.expectations.warnings;
      if (warnings.length > 0) {
        record.outcome = "warning";
        record.reason = redact().text(warnings.length === 1 ? warnings[0]! : `${warnings[0]} (and ${warnings.length - 1} more warnings)`);
      }
    } catch (e) {
      record.outcome = classify(e);
      record.reason = redact().text((e as Error)?.message ?? String(e));
      throw e;
    } finally {
      await t.finish();
      record.expectations = t.expectations.records;
      record.latencies = t.latencies;
      ctx.task.meta.gws = redact().value(record);
    }
  }, 20 * runContext().timeouts.requestMs);
}

type Matcher = (i: InteractionSeen, n: ReceivedNotification) => boolean;

const MAX_NOTIFICATION_EVIDENCE = 100;
/** POST /api/v2/me/interactions/{id}: an operation, whose latency to its first notification is measured. */
const OPERATION_PATH = /^\/api\/v2\/me\/interactions\/([^/?#]+)$/;

/** How a refusal is judged: the clause that says the request must be refused, and what its body must be. */
export interface RefusalRule {
  /** The clause requiring the refusal (AMB-*: an acceptance is only a warning). */
  clause: Clause;
  /** The failure envelopes a JSON body may match, and the clause they rest on. */
  failure: string[];
  envelope: Clause;
  /** gws: the statusCodes whose meaning fits (FACT-ENVELOPE-2); none asserted when absent. */
  codes?: number[];
}

export class CheckContext {
  readonly profile: Profile;
  readonly expectations = new Expectations();
  private readonly started = performance.now();
  private readonly cursors = new Map<AccountRole, number>();
  private readonly provisioned: string[] = [];
  /** Interactions the target created for this check (replies): ended when it ends. */
  private readonly created: string[] = [];
  private readonly cookies = new Map<AccountRole, { cookie?: string; csrf?: string }>();
  private readonly cleanups: (() => Promise<unknown>)[] = [];
  /** Operations the target accepted, with when they were sent (performance.now()), for the latency figures. */
  private readonly operated: { operation: string; id: string; at: number }[] = [];
  readonly latencies: { operation: string; ms: number }[] = [];

  constructor(
    readonly config: TargetConfig,
    readonly evidence: Evidence,
    readonly vitest: TestContext,
  ) {
    this.profile = config.profile;
  }

  async start(): Promise<void> {
    for (const [role, client] of await connectedAgents()) this.cursors.set(role, client.cursor());
  }

  /** Runs `cleanup` when the check ends, before its interactions are removed (last registered, first run). */
  defer(cleanup: () => Promise<unknown>): void {
    this.cleanups.unshift(cleanup);
  }

  async finish(): Promise<void> {
    for (const cleanup of this.cleanups) await cleanup().catch(() => undefined);
    for (const id of this.created) await this.send("agent", "POST", `/api/v2/me/interactions/${encodeURIComponent(id)}`, { operationName: "Cancel" }).catch(() => undefined);
    for (const id of [...this.created, ...this.provisioned]) await this.unprovision(id);
    const ours = [...this.provisioned, ...this.created];
    const agents = await connectedAgents();
    for (const op of this.operated) {
      const first = [...agents]
        .map(([, client]) => client.received.find((n) => n.receivedAt > op.at && interactionOf(n.data)?.id === op.id)?.receivedAt)
        .filter((at): at is number => at !== undefined);
      if (first.length) this.latencies.push({ operation: op.operation, ms: Math.round((Math.min(...first) - op.at) * 10) / 10 });
    }
    for (const [role, client] of agents) {
      const since = this.cursors.get(role) ?? 0;
      // Only messages about this check's own interactions: checks run concurrently.
      const mine = (m: ReceivedNotification) => ours.some((id) => JSON.stringify(m.data).includes(id));
      const got = client.received.filter((m) => m.seq >= since && mine(m));
      // Bounded, so a server that floods notifications cannot bloat the results.
      for (const n of got.slice(0, MAX_NOTIFICATION_EVIDENCE)) {
        this.evidence.notifications.push({ agent: role, channel: n.channel, data: n.data, at: Math.round(n.receivedAt - this.started) });
      }
      if (got.length > MAX_NOTIFICATION_EVIDENCE) this.note(`${role} received ${got.length} messages during this check; the first ${MAX_NOTIFICATION_EVIDENCE} are kept as evidence.`);
    }
  }

  note(text: string): void {
    this.evidence.notes.push(text);
  }

  /** Records that `clause` was checked; see Expectations.expect. Returns whether it held. */
  expect(clause: Clause, holds: boolean, message: string | (() => string)): boolean {
    return this.expectations.expect(clause, holds, message);
  }

  /** A normative clause did not hold: the check fails. */
  fail(clause: Normative, message: string): never {
    this.expectations.expect(clause, false, message);
    throw new Error(`${clause} is not normative`);
  }

  /** A decided clause did not hold: a warning; the check goes on. */
  warn(clause: Decided, message: string): void {
    this.expectations.expect(clause, false, message);
  }

  /** The HTTP client, bounded by the request timeout unless `timeoutMs` (a held Bayeux long poll) says longer. */
  private client(timeoutMs = this.config.timeouts.requestMs): HttpClient {
    return new HttpClient({
      baseUrl: this.config.target.baseUrl,
      timeoutMs,
      redactor: redact(),
      since: this.started,
      record: (x) => this.evidence.exchanges.push(x),
    });
  }

  /** Sends as `role` (Basic auth, its session cookie and CSRF token when the target uses them), or anonymously. */
  async send(role: AccountRole | null, method: "GET" | "POST" | "PUT", path: string, body?: unknown, extra: { raw?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...extra.headers };
    if (role) {
      const account = this.config.accounts[role];
      if (!account) throw new CantTell(`No ${role} account is configured.`);
      headers.Authorization = basicAuth(account.username, account.password);
      const jar = this.cookies.get(role) ?? {};
      if (this.config.features.csrf && method !== "GET" && !jar.csrf) await this.send(role, "GET", "/api/v2/me/interactions");
      const { cookie, csrf } = this.cookies.get(role) ?? {};
      if (cookie) headers.Cookie = cookie;
      if (csrf && method !== "GET") headers["X-CSRF-TOKEN"] = csrf;
    }
    const sentAt = performance.now();
    const answer = await this.client(extra.timeoutMs).send(method, path, { headers, body, raw: extra.raw, as: role && !extra.headers?.Authorization ? role : undefined });
    const operated = method === "POST" && answer.status >= 200 && answer.status < 300 ? OPERATION_PATH.exec(path)?.[1] : undefined;
    const operationName = (body as { operationName?: unknown } | undefined)?.operationName;
    if (operated && typeof operationName === "string") this.operated.push({ operation: operationName, id: decodeURIComponent(operated), at: sentAt });
    if (role) this.remember(role, answer);
    return answer;
  }

  private remember(role: AccountRole, answer: HttpAnswer): void {
    const jar = this.cookies.get(role) ?? {};
    const setCookie = answer.headers["set-cookie"] as unknown as string[] | string | undefined;
    const session = [setCookie ?? []].flat().map((c) => c.split(";")[0]!).find((c) => c.startsWith("JSESSIONID="));
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

  get(path: string, role: AccountRole | null = "agent") {
    return this.send(role, "GET", path);
  }

  /** POST /api/v2/me/interactions/{id} with an operation body. */
  operate(id: string, body: unknown, role: AccountRole | null = "agent", extra?: { raw?: string; headers?: Record<string, string> }) {
    return this.send(role, "POST", `/api/v2/me/interactions/${encodeURIComponent(id)}`, body, extra);
  }

  /** Asks the target's provisioning hook for a new interaction offered to `role`; ends it when the check ends. */
  async provision(role: AccountRole = "agent", userData: Record<string, unknown> = {}): Promise<string> {
    const hook = this.config.provisioning;
    if (!hook) throw new CantTell("No provisioning hook is configured (provisioning.url).");
    const account = this.config.accounts[role];
    if (!account) throw new CantTell(`No ${role} account is configured.`);
    const answer = await this.client().send("POST", hook.url, {
      headers: hook.headers,
      body: { agent: account.username, mediaType: "email", userData: { ConformanceCheck: this.vitest.task.name.split(" ")[0], ...userData } },
    });
    const result = schemas().validate("hook/provision-response.json", answer.body);
    if (answer.status < 200 || answer.status > 299 || !result.valid) {
      throw new CantTell(`The provisioning hook answered ${answer.status === 0 ? answer.error : `HTTP ${answer.status}`} instead of 2xx with {"id": ...}.`);
    }
    const id = (answer.body as { id: string }).id;
    this.provisioned.push(id);
    return id;
  }

  /** An interaction the target created for this check (a reply): cancelled and removed when the check ends. */
  adopt(id: string): void {
    if (!this.created.includes(id)) this.created.push(id);
  }

  private async unprovision(id: string): Promise<void> {
    const hook = this.config.provisioning;
    if (!hook) return;
    const answer = await this.client().send("DELETE", `${hook.url}/${encodeURIComponent(id)}`, { headers: hook.headers });
    if (answer.status !== 404 && (answer.status < 200 || answer.status > 299)) {
      this.note(`The hook's DELETE of ${id} answered ${answer.status || answer.error}; the interaction may remain on the target.`);
    }
  }

  /** The position in `role`'s notification stream now: waits with `since` only see what arrives after it. */
  async mark(role: AccountRole = "agent"): Promise<number> {
    return (await this.notifications(role)).cursor();
  }

  async notifications(role: AccountRole): Promise<NotificationClient> {
    try {
      return await agentNotifications(role);
    } catch (e) {
      throw new CantTell(`The ${role} account could not subscribe to notifications: ${(e as Error).message}`);
    }
  }

  /**
   * Waits for `role`'s first notification (seq >= since) that `match`es. Not arriving breaks `clause`: a
   * failure, or for a decided clause a warning and undefined.
   */
  async waitFor(
    role: AccountRole,
    match: (n: ReceivedNotification) => boolean,
    opts: { since: number; clause: Clause; description: string; within?: number },
  ): Promise<ReceivedNotification | undefined> {
    const client = await this.notifications(role);
    try {
      return await client.waitFor(match, { since: opts.since, within: opts.within ?? this.config.timeouts.notificationMs, description: opts.description });
    } catch (e) {
      if (!(e instanceof NotificationTimeout)) throw e;
      this.expect(opts.clause, false, e.message);
      return undefined;
    }
  }

  /** waitFor() for a clause that is normative: it returns the notification or fails. */
  async mustReceive(role: AccountRole, match: (n: ReceivedNotification) => boolean, opts: { since: number; clause: Normative; description: string; within?: number }): Promise<ReceivedNotification> {
    return (await this.waitFor(role, match, opts))!;
  }

  /**
   * Waits for `role`'s first notification (after `since`) about interaction `id` that satisfies `match`, and
   * checks it against the profile's schemas for `variant` (`variantClause`, default `clause`).
   */
  async expectNotification(
    role: AccountRole,
    id: string,
    opts: { since: number; clause: Normative; variant?: NotificationVariant; variantClause?: Clause; match?: Matcher; description: string; within?: number },
  ): Promise<{ interaction: InteractionSeen; notification: ReceivedNotification }> {
    const n = await this.mustReceive(
      role,
      (m) => {
        const i = interactionOf(m.data);
        return i?.id === id && (opts.match?.(i, m) ?? true);
      },
      { ...opts, description: `${opts.description} (interaction ${id})` },
    );
    if (opts.variant) this.expectVariant(opts.variant, n.data, `the ${opts.description}`, opts.variantClause ?? opts.clause);
    return { interaction: interactionOf(n.data)!, notification: n };
  }

  /**
   * Proves `role` received no `match` message before the `fence` one (an event the check caused after
   * everything it judges). A match breaks `clause`; a fence that never comes means the hook broke: can't tell.
   */
  async expectNoneBefore(
    role: AccountRole,
    match: (n: ReceivedNotification) => boolean,
    fence: (n: ReceivedNotification) => boolean,
    opts: { since: number; clause: Clause; description: string },
  ): Promise<void> {
    const client = await this.notifications(role);
    try {
      await client.expectNothingBefore(match, fence, { since: opts.since, within: this.config.timeouts.notificationMs, description: opts.description });
      this.expect(opts.clause, true, "");
    } catch (e) {
      if (e instanceof UnexpectedNotification) this.expect(opts.clause, false, e.message);
      else if (e instanceof NotificationTimeout) throw new CantTell(`The fence invitation never reached ${role}, so no absence can be proven: ${e.message}`);
      else throw e;
    }
  }

  /** Breaks `clause` when the data matches none of the profile's schemas for a notification variant. */
  expectVariant(variant: NotificationVariant, data: unknown, what: string, clause: Clause): boolean {
    const failures = variantViolations(this.profile, variant, data);
    if (failures.length > 0) {
      for (const f of failures) {
        for (const v of f.violations) this.evidence.violations.push({ ...v, schema: f.schema, what, actual: valueAt(data, v.pointer) });
      }
    }
    const first = failures[0]?.violations[0];
    return this.expect(clause, failures.length === 0, () =>
      `${what} is not a ${variant} notification of the ${this.profile} profile (${failures.map((f) => f.schema).join(" or ")})` +
        (first ? `: at ${first.pointer} it ${first.message}.` : "."),
    );
  }

  /**
   * Breaks `clause` when the body matches none of `paths`; then, for a matched schema whose closure is only
   * decided (catalog decidedClosed), warns of members beyond its declared ones (AMB-EXTRA-FIELDS). `explain`
   * names the ambiguity entries behind the expectation, so a failure says which decision it rests on.
   */
  expectBody(paths: string[], answer: HttpAnswer, what: string, clause: Clause, explain: string[] = []): boolean {
    const results = paths.map((schema) => ({ schema, result: schemas().validate(schema, answer.body) }));
    const matched = results.find((r) => r.result.valid);
    if (matched) {
      this.expect(clause, true, "");
      this.expectClosed(matched.schema, answer.body, what);
      return true;
    }
    for (const { schema, result } of results) {
      if (!result.valid) for (const v of result.violations) this.evidence.violations.push({ ...v, schema, what, actual: valueAt(answer.body, v.pointer) });
    }
    const first = results[0]!.result;
    const detail = answer.body === undefined
      ? `the body is ${answer.text ? "not JSON" : "empty"}`
      : !first.valid ? `at ${first.violations[0]!.pointer} it ${first.violations[0]!.message}` : "";
    const other = this.otherProfileMatch(paths, answer.body);
    return this.expect(clause, false,
      `${what} does not match ${paths.join(" or ")} (${this.profile} profile): ${detail}.` +
        (other ? ` It matches the ${other} profile's envelope instead.` : "") +
        (explain.length > 0 ? ` See ${explain.join(", ")}.` : ""),
    );
  }

  /** AMB-EXTRA-FIELDS: the members of `body` beyond those `schema` declares, where its closure is decided. */
  private expectClosed(schema: string, body: unknown, what: string): void {
    if (!specModel().catalog.decidedClosed.includes(schema) || typeof body !== "object" || body === null) return;
    const declared = Object.keys((schemas().files.find((f) => f.path === schema)?.schema.properties ?? {}) as object);
    const extra = Object.keys(body).filter((k) => !declared.includes(k));
    this.expect("AMB-EXTRA-FIELDS", extra.length === 0, () => `${what} carries ${extra.join(", ")} beyond the members the page prints (${declared.join(", ")}).`);
  }

  private otherProfileMatch(paths: string[], body: unknown): string | undefined {
    const other: Profile = this.profile === "seed" ? "gws" : "seed";
    const theirs = specModel().catalog.operations.flatMap((o) => [...o.response[other].success, ...o.response[other].failure]);
    const candidates = [...new Set(theirs)].filter((p) => !paths.includes(p) && !(specModel().catalog.operations.some((o) => o.response[this.profile].success.includes(p) || o.response[this.profile].failure.includes(p))));
    return candidates.some((p) => schemas().validate(p, body).valid) ? other : undefined;
  }

  /**
   * Judges the answer to a request that `rule.clause` says must be refused: an answer must come (PROTO-HTTP-ANSWER),
   * never a 5xx (PROTO-HTTP-5XX); a refusal is a 4xx or a 200 carrying a failure envelope (AMB-ERROR-HTTP-STATUS).
   * A JSON body must be a failure envelope with a fitting code; an empty or non-JSON one is a warning
   * (AMB-ERROR-BODY). Returns "accepted" when the target performed it (only possible for a decided clause).
   */
  expectRefusal(answer: HttpAnswer, rule: RefusalRule, what: string): "refused" | "accepted" {
    this.expect("PROTO-HTTP-ANSWER", answer.status !== 0, () => `${what}: ${answer.error}.`);
    this.expect("PROTO-HTTP-5XX", answer.status < 500, () => `${what} answered HTTP ${answer.status}; a client's mistake must never be a 5xx.`);
    this.expect("PROTO-HTTP-ANSWER", answer.status < 300 || answer.status >= 400, () => `${what} answered HTTP ${answer.status}, a redirect, neither a success nor a refusal.`);
    const refusedBy200 = answer.status === 200 && rule.failure.some((p) => schemas().validate(p, answer.body).valid);
    const refused = (answer.status >= 400 && answer.status < 500) || refusedBy200;
    if (!this.expect(rule.clause, refused, () => `${what} was not refused: HTTP ${answer.status} ${answer.text.slice(0, 200)}.`)) {
      this.note(`${what} was performed (HTTP ${answer.status}); ${rule.clause} only decides that it is refused.`);
      return "accepted";
    }
    if (answer.body === undefined) {
      this.warn("AMB-ERROR-BODY", `${what} was refused with HTTP ${answer.status} and ${answer.text ? "a body that is not JSON" : "an empty body"}, not the failure envelope.`);
      return "refused";
    }
    if (this.expectBody(rule.failure, answer, `${what}'s refusal`, rule.envelope, ["AMB-ENVELOPE", "AMB-ERROR-HTTP-STATUS"]) && rule.codes && this.profile === "gws") {
      const code = (answer.body as { statusCode?: number }).statusCode;
      this.expect("FACT-ENVELOPE-2", rule.codes.includes(code as number), () =>
        `${what}'s refusal carries statusCode ${code}; its documented meaning does not fit: the gws profile accepts ${rule.codes!.join(" or ")} here (AMB-ERROR-CODES).`);
    }
    return "refused";
  }
}
