// CheckContext: what a check's body is given (`t`). It is a front for the harness's rooms: the HTTP session as
// each account (session.ts), the interactions the check works on (provisioner.ts), the agents' notifications
// (inbox.ts) and the assertions on documents (assertions.ts), over one Expectations record and one Evidence.
import type { TestContext } from "vitest";
import type { NotificationVariant } from "../generated/schema-types.js";
import type { ReceivedNotification } from "../client/notifications.js";
import type { Profile } from "../model/catalog.js";
import type { AccountRole } from "../runner/config.js";
import { Assertions } from "./assertions.js";
import type { Clause, Decided, Normative, RefusalRule } from "./clause.js";
import type { Evidence } from "./evidence.js";
import { Expectations } from "./expect.js";
import type { HttpAnswer } from "./http.js";
import { Inbox } from "./inbox.js";
import type { InteractionSeen } from "./interactions.js";
import { Provisioner } from "./provisioner.js";
import type { TargetConfig } from "./run-context.js";
import { TargetSession, type SendExtra } from "./session.js";

export class CheckContext {
  readonly profile: Profile;
  readonly expectations = new Expectations();
  readonly latencies: { operation: string; ms: number }[] = [];
  private readonly started = performance.now();
  private readonly cleanups: (() => Promise<unknown>)[] = [];
  private readonly session: TargetSession;
  private readonly interactions: Provisioner;
  private readonly inbox: Inbox;
  private readonly assertions: Assertions;

  constructor(
    readonly config: TargetConfig,
    readonly evidence: Evidence,
    readonly vitest: TestContext,
    /** Whether exchanges and notifications are kept as evidence (not for the explorer's search, which keeps none). */
    record = true,
  ) {
    this.profile = config.profile;
    const note = (text: string) => this.note(text);
    this.session = new TargetSession(config, evidence, this.started, record);
    this.interactions = new Provisioner(config, this.session, vitest.task.name.split(" ")[0]!, note);
    this.assertions = new Assertions(this.profile, this.expectations, evidence, note);
    this.inbox = new Inbox({
      config,
      evidence,
      expectations: this.expectations,
      started: this.started,
      record,
      note,
      expectVariant: (...args) => this.assertions.expectVariant(...args),
    });
  }

  start(): Promise<void> {
    return this.inbox.start();
  }

  /** Runs `cleanup` when the check ends, before its interactions are removed (last registered, first run). */
  defer(cleanup: () => Promise<unknown>): void {
    this.cleanups.unshift(cleanup);
  }

  async finish(): Promise<void> {
    for (const cleanup of this.cleanups) await cleanup().catch(() => undefined);
    await this.interactions.finish();
    this.latencies.push(...(await this.inbox.finish(this.interactions.ids, this.session.operated)));
    this.session.close();
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

  /** Sends as `role` (Basic auth, its session cookie and CSRF token when the target uses them), or anonymously. */
  send(role: AccountRole | null, method: "GET" | "POST" | "PUT", path: string, body?: unknown, extra?: SendExtra) {
    return this.session.send(role, method, path, body, extra);
  }

  get(path: string, role: AccountRole | null = "agent"): Promise<HttpAnswer> {
    return this.send(role, "GET", path);
  }

  /** POST /api/v2/me/interactions/{id} with an operation body. */
  operate(id: string, body: unknown, role: AccountRole | null = "agent", extra?: SendExtra): Promise<HttpAnswer> {
    return this.send(role, "POST", `/api/v2/me/interactions/${encodeURIComponent(id)}`, body, extra);
  }

  /** Asks the target's provisioning hook for a new interaction offered to `role`; ends it when the check ends. */
  provision(role: AccountRole = "agent", userData: Record<string, unknown> = {}): Promise<string> {
    return this.interactions.provision(role, userData);
  }

  /** An interaction the target created for this check (a reply): cancelled and removed when the check ends. */
  adopt(id: string): void {
    this.interactions.adopt(id);
  }

  /** The position in `role`'s notification stream now: waits with `since` only see what arrives after it. */
  mark(role: AccountRole = "agent"): Promise<number> {
    return this.inbox.mark(role);
  }

  notifications(role: AccountRole) {
    return this.inbox.notifications(role);
  }

  waitFor(...args: Parameters<Inbox["waitFor"]>): Promise<ReceivedNotification | undefined> {
    return this.inbox.waitFor(...args);
  }

  mustReceive(...args: Parameters<Inbox["mustReceive"]>): Promise<ReceivedNotification> {
    return this.inbox.mustReceive(...args);
  }

  expectNotification(
    ...args: Parameters<Inbox["expectNotification"]>
  ): Promise<{ interaction: InteractionSeen; notification: ReceivedNotification }> {
    return this.inbox.expectNotification(...args);
  }

  expectNoneBefore(...args: Parameters<Inbox["expectNoneBefore"]>): Promise<void> {
    return this.inbox.expectNoneBefore(...args);
  }

  expectVariant(variant: NotificationVariant, data: unknown, what: string, clause: Clause): boolean {
    return this.assertions.expectVariant(variant, data, what, clause);
  }

  expectBody(paths: string[], answer: HttpAnswer, what: string, clause: Clause, explain: string[] = []): boolean {
    return this.assertions.expectBody(paths, answer, what, clause, explain);
  }

  expectRefusal(answer: HttpAnswer, rule: RefusalRule, what: string): "refused" | "accepted" {
    return this.assertions.expectRefusal(answer, rule, what);
  }
}
