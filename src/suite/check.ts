// check(): one named conformance check, as a vitest test whose stable id, citations, outcome and evidence
// travel to the runner's reporter in the test's meta. Checks read like the spec sentence they verify.
import { afterAll, beforeAll, test, type TestContext } from "vitest";
import type { CheckFamily, NotificationVariant } from "../generated/schema-types.js";
import { specModel, type Profile } from "../model/catalog.js";
import { schemas } from "../model/schemas.js";
import { basicAuth } from "../client/basic-auth.js";
import { NotificationTimeout, UnexpectedNotification, HandshakeFailed, type NotificationClient, type ReceivedNotification } from "../client/notifications.js";
import type { AccountRole, Features } from "../runner/config.js";
import { Redactor } from "../runner/redact.js";
import { agentNotifications, connectedAgents, disconnectAgents } from "./agents.js";
import { emptyEvidence, valueAt, type Evidence } from "./evidence.js";
import { HttpClient, type HttpAnswer } from "./http.js";
import { interactionOf, variantViolations, type InteractionSeen } from "./interactions.js";
import { runContext, type TargetConfig } from "./run-context.js";

export type Outcome = "passed" | "failed" | "not-applicable" | "cant-tell" | "error";

export interface CheckSpec {
  /** Stable id, e.g. "accept.success"; reports and waivers refer to it. */
  id: string;
  title: string;
  family: CheckFamily;
  /** The catalog operation or endpoint it is about, for the report's matrix. */
  operation?: string;
  /** The requirement ids (schemas/requirements.json) it verifies. */
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
}

declare module "vitest" {
  interface TaskMeta {
    gws?: CheckRecord;
  }
}

/** The target broke a rule: the check fails. */
export class ConformanceFailure extends Error {
  override name = "ConformanceFailure";
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
    const record: CheckRecord = { spec, outcome: "passed", evidence: emptyEvidence() };
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
    } catch (e) {
      record.outcome = classify(e);
      record.reason = redact().text((e as Error)?.message ?? String(e));
      throw e;
    } finally {
      await t.finish();
      ctx.task.meta.gws = redact().value(record);
    }
  }, 20 * runContext().timeouts.requestMs);
}

type Matcher = (i: InteractionSeen, n: ReceivedNotification) => boolean;

const MAX_NOTIFICATION_EVIDENCE = 100;

export class CheckContext {
  readonly profile: Profile;
  private readonly started = performance.now();
  private readonly cursors = new Map<AccountRole, number>();
  private readonly provisioned: string[] = [];
  private readonly cookies = new Map<AccountRole, { cookie?: string; csrf?: string }>();

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

  async finish(): Promise<void> {
    for (const id of this.provisioned) await this.unprovision(id);
    for (const [role, client] of await connectedAgents()) {
      const since = this.cursors.get(role) ?? 0;
      // Only messages about this check's own interactions: checks run concurrently.
      const mine = (m: ReceivedNotification) => this.provisioned.some((id) => JSON.stringify(m.data).includes(id));
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

  private client(): HttpClient {
    return new HttpClient({
      baseUrl: this.config.target.baseUrl,
      timeoutMs: this.config.timeouts.requestMs,
      redactor: redact(),
      since: this.started,
      record: (x) => this.evidence.exchanges.push(x),
    });
  }

  /** Sends as `role` (Basic auth, its session cookie and CSRF token when the target uses them), or anonymously. */
  async send(role: AccountRole | null, method: "GET" | "POST" | "PUT", path: string, body?: unknown, extra: { raw?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
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
    const answer = await this.client().send(method, path, { headers, body, raw: extra.raw, as: role && !extra.headers?.Authorization ? role : undefined });
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
   * Waits for `role`'s first notification (after `since`) about interaction `id` that satisfies `match`, and checks
   * it against the profile's schemas for `variant`.
   */
  async expectNotification(
    role: AccountRole,
    id: string,
    opts: { since: number; variant?: NotificationVariant; match?: Matcher; description: string; within?: number },
  ): Promise<{ interaction: InteractionSeen; notification: ReceivedNotification }> {
    const client = await this.notifications(role);
    const n = await client.waitFor(
      (m) => {
        const i = interactionOf(m.data);
        return i?.id === id && (opts.match?.(i, m) ?? true);
      },
      { within: opts.within ?? this.config.timeouts.notificationMs, since: opts.since, description: `${opts.description} (interaction ${id})` },
    );
    if (opts.variant) this.expectVariant(opts.variant, n.data, `the ${opts.description}`);
    return { interaction: interactionOf(n.data)!, notification: n };
  }

  /** Fails when the data matches none of the profile's schemas for a notification variant. */
  expectVariant(variant: NotificationVariant, data: unknown, what: string): void {
    const failures = variantViolations(this.profile, variant, data);
    if (failures.length === 0) return;
    for (const f of failures) {
      for (const v of f.violations) this.evidence.violations.push({ ...v, schema: f.schema, what, actual: valueAt(data, v.pointer) });
    }
    const first = failures[0]!.violations[0];
    throw new ConformanceFailure(
      `${what} is not a ${variant} notification of the ${this.profile} profile (${failures.map((f) => f.schema).join(" or ")})` +
        (first ? `: at ${first.pointer} it ${first.message}.` : "."),
    );
  }

  /**
   * Fails when the body does not match any of `paths`. `explain` names the ambiguity entries behind the
   * expectation, so a failure says which decision it rests on.
   */
  expectBody(paths: string[], answer: HttpAnswer, what: string, explain: string[] = []): void {
    const results = paths.map((schema) => ({ schema, result: schemas().validate(schema, answer.body) }));
    if (results.some((r) => r.result.valid)) return;
    for (const { schema, result } of results) {
      if (!result.valid) for (const v of result.violations) this.evidence.violations.push({ ...v, schema, what, actual: valueAt(answer.body, v.pointer) });
    }
    const first = results[0]!.result;
    const detail = answer.body === undefined
      ? `the body is ${answer.text ? "not JSON" : "empty"}`
      : !first.valid ? `at ${first.violations[0]!.pointer} it ${first.violations[0]!.message}` : "";
    const other = this.otherProfileMatch(paths, answer.body);
    throw new ConformanceFailure(
      `${what} does not match ${paths.join(" or ")} (${this.profile} profile): ${detail}.` +
        (other ? ` It matches the ${other} profile's envelope instead.` : "") +
        (explain.length > 0 ? ` See ${explain.join(", ")}.` : ""),
    );
  }

  private otherProfileMatch(paths: string[], body: unknown): string | undefined {
    const other: Profile = this.profile === "seed" ? "gws" : "seed";
    const theirs = specModel().catalog.operations.flatMap((o) => [...o.response[other].success, ...o.response[other].failure]);
    const candidates = [...new Set(theirs)].filter((p) => !paths.includes(p));
    return candidates.some((p) => schemas().validate(p, body).valid) ? other : undefined;
  }

  /** Fails unless the answer is a refusal: a 4xx, or a 200 carrying a failure envelope (AMB-ERROR-HTTP-STATUS). */
  expectRefusal(answer: HttpAnswer, failure: string[], what: string, codes?: number[]): void {
    if (answer.status === 0) throw new ConformanceFailure(`${what}: ${answer.error}.`);
    if (answer.status >= 500) throw new ConformanceFailure(`${what} answered HTTP ${answer.status}; a client's mistake must never be a 5xx.`);
    const refusedBy200 = answer.status === 200 && failure.some((p) => schemas().validate(p, answer.body).valid);
    if (!(answer.status >= 400 && answer.status < 500) && !refusedBy200) {
      throw new ConformanceFailure(`${what} was not refused: HTTP ${answer.status} ${answer.text.slice(0, 200)}.`);
    }
    this.expectBody(failure, answer, `${what}'s refusal`, ["AMB-ENVELOPE", "AMB-ERROR-HTTP-STATUS"]);
    if (codes && this.profile === "gws") {
      const code = (answer.body as { statusCode?: number }).statusCode;
      if (!codes.includes(code as number)) {
        throw new ConformanceFailure(`${what}'s refusal carries statusCode ${code}; the gws profile documents ${codes.join(" or ")} (AMB-ERROR-CODES).`);
      }
    }
  }

  fail(message: string): never {
    throw new ConformanceFailure(message);
  }
}
