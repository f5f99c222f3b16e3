// Assertions on documents: a body against the profile's schemas (with the decided closure of an envelope), a
// notification against its variant, and the answer to a request that must be refused. Each breaks a named clause,
// records the schema violations as evidence, and says in one sentence what was wrong.
import type { NotificationVariant } from "../generated/schema-types.js";
import { specModel, type Profile } from "../model/catalog.js";
import { schemas } from "../model/schemas.js";
import type { Clause, Decided, RefusalRule } from "./clause.js";
import { valueAt, type Evidence } from "./evidence.js";
import type { Expectations } from "./expect.js";
import type { HttpAnswer } from "./http.js";
import { variantViolations } from "./interactions.js";

export class Assertions {
  constructor(
    private readonly profile: Profile,
    private readonly expectations: Expectations,
    private readonly evidence: Evidence,
    private readonly note: (text: string) => void,
  ) {}

  private expect(clause: Clause, holds: boolean, message: string | (() => string)): boolean {
    return this.expectations.expect(clause, holds, message);
  }

  private warn(clause: Decided, message: string): void {
    this.expectations.expect(clause, false, message);
  }

  /** Breaks `clause` when the data matches none of the profile's schemas for a notification variant. */
  expectVariant(variant: NotificationVariant, data: unknown, what: string, clause: Clause): boolean {
    const failures = variantViolations(this.profile, variant, data);
    for (const f of failures) {
      for (const v of f.violations)
        this.evidence.violations.push({ ...v, schema: f.schema, what, actual: valueAt(data, v.pointer) });
    }
    const first = failures[0]?.violations[0];
    const schemasTried = failures.map((f) => f.schema).join(" or ");
    return this.expect(
      clause,
      failures.length === 0,
      () =>
        `${what} is not a ${variant} notification of the ${this.profile} profile (${schemasTried})` +
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
      if (!result.valid)
        for (const v of result.violations)
          this.evidence.violations.push({ ...v, schema, what, actual: valueAt(answer.body, v.pointer) });
    }
    const first = results[0]!.result;
    const detail =
      answer.body === undefined
        ? `the body is ${answer.text ? "not JSON" : "empty"}`
        : !first.valid
          ? `at ${first.violations[0]!.pointer} it ${first.violations[0]!.message}`
          : "";
    const other = this.otherProfileMatch(paths, answer.body);
    return this.expect(
      clause,
      false,
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
    this.expect(
      "AMB-EXTRA-FIELDS",
      extra.length === 0,
      () => `${what} carries ${extra.join(", ")} beyond the members the page prints (${declared.join(", ")}).`,
    );
  }

  private otherProfileMatch(paths: string[], body: unknown): string | undefined {
    const other: Profile = this.profile === "seed" ? "gws" : "seed";
    const { operations } = specModel().catalog;
    const theirs = operations.flatMap((o) => [...o.response[other].success, ...o.response[other].failure]);
    const ours = (p: string) =>
      operations.some(
        (o) => o.response[this.profile].success.includes(p) || o.response[this.profile].failure.includes(p),
      );
    const candidates = [...new Set(theirs)].filter((p) => !paths.includes(p) && !ours(p));
    return candidates.some((p) => schemas().validate(p, body).valid) ? other : undefined;
  }

  /**
   * Judges the answer to a request that `rule.clause` says must be refused: an answer must come (PROTO-HTTP-ANSWER),
   * never a 5xx (PROTO-HTTP-5XX); a refusal is a 4xx or a 200 carrying a failure envelope (AMB-ERROR-HTTP-STATUS).
   * A JSON body must be a failure envelope with a fitting code; an empty or non-JSON one is a warning
   * (AMB-ERROR-BODY). Returns "accepted" when the target performed it (only possible for a decided clause).
   */
  expectRefusal(answer: HttpAnswer, rule: RefusalRule, what: string): "refused" | "accepted" {
    const status = answer.status;
    this.expect("PROTO-HTTP-ANSWER", status !== 0, () => `${what}: ${answer.error}.`);
    this.expect(
      "PROTO-HTTP-5XX",
      status < 500,
      () => `${what} answered HTTP ${status}; a client's mistake must never be a 5xx.`,
    );
    this.expect(
      "PROTO-HTTP-ANSWER",
      status < 300 || status >= 400,
      () => `${what} answered HTTP ${status}, a redirect, neither a success nor a refusal.`,
    );
    const refusedBy200 = status === 200 && rule.failure.some((p) => schemas().validate(p, answer.body).valid);
    const refused = (status >= 400 && status < 500) || refusedBy200;
    if (
      !this.expect(rule.clause, refused, () => `${what} was not refused: HTTP ${status} ${answer.text.slice(0, 200)}.`)
    ) {
      this.note(`${what} was performed (HTTP ${status}); ${rule.clause} only decides that it is refused.`);
      return "accepted";
    }
    if (answer.body === undefined) {
      const body = answer.text ? "a body that is not JSON" : "an empty body";
      this.warn("AMB-ERROR-BODY", `${what} was refused with HTTP ${status} and ${body}, not the failure envelope.`);
      return "refused";
    }
    const explain = ["AMB-ENVELOPE", "AMB-ERROR-HTTP-STATUS"];
    if (
      this.expectBody(rule.failure, answer, `${what}'s refusal`, rule.envelope, explain) &&
      rule.codes &&
      this.profile === "gws"
    ) {
      const code = (answer.body as { statusCode?: number }).statusCode;
      this.expect(
        "FACT-ENVELOPE-2",
        rule.codes.includes(code as number),
        () =>
          `${what}'s refusal carries statusCode ${code}; its documented meaning does not fit: ` +
          `the gws profile accepts ${rule.codes!.join(" or ")} here (AMB-ERROR-CODES).`,
      );
    }
    return "refused";
  }
}
