// Issue 12's warnings through the runner, on crafted check results (no run): a check whose only broken expectations
// are decided warns and the run stays conformant (exit 0); --strict turns it into a failure naming the clause (exit
// 1); a waiver has nothing to waive in a warning but may waive the failure --strict made; results.json stays valid.
import { describe, expect, it } from "vitest";
import { schemas } from "../src/model/schemas.js";
import { verdictText } from "../src/runner/print.js";
import { EXIT } from "../src/runner/run.js";
import { check, checks, conclude, valid } from "./support/warnings.js";

describe("a warning without --strict", () => {
  const results = conclude(checks());

  it("never fails the run: conformant, exit 0, the warning counted", () => {
    expect(results.exitCode).toBe(EXIT.conformant);
    expect(results.verdict).toBe("conformant");
    expect(results.strict).toBe(false);
    expect(results.counts).toMatchObject({ passed: 1, warning: 1, failed: 0 });
    expect(results.summary).toMatch(
      /^Conformant, 1 warning: .*1 check broke only decided expectations \(--strict fails them\)\.$/,
    );
    expect(verdictText(results)).toBe("conformant, 1 warning");
    expect(verdictText({ verdict: "conformant", counts: { ...results.counts, warning: 3 } })).toBe(
      "conformant, 3 warnings",
    );
    expect(verdictText({ verdict: "conformant", counts: { ...results.counts, warning: 0 } })).toBe("conformant");
    valid(results);
  });

  it("keeps every expectation, with its clause, level and outcome, valid against the results schema", () => {
    expect(results.checks[0]!.expectations.map((e) => [e.clause, e.level, e.outcome])).toEqual([
      ["REQ-ACCEPT-8", "page", "held"],
      ["AMB-EXTRA-FIELDS", "decided", "warned"],
    ]);
    const broken = structuredClone(results);
    broken.checks[0]!.expectations[0]!.level = "normative" as never;
    expect(schemas().validate("results/results.json", broken).valid).toBe(false);
    const missing = structuredClone(results) as unknown as { checks: Record<string, unknown>[] };
    delete missing.checks[0]!.expectations;
    expect(schemas().validate("results/results.json", missing).valid).toBe(false);
  });

  it("leaves a waiver of the warning check unused, so the run stays conformant (not with waivers)", () => {
    const waived = conclude(checks(), {
      waivers: [{ check: "accept.envelope", reason: "known", owner: "qa", expires: "2999-01-01" }],
    });
    expect(waived.waivers[0]!.status).toBe("unused");
    expect(waived.checks[0]!.outcome).toBe("warning");
    expect(waived.checks[0]!.waiver).toBeUndefined();
    expect([waived.verdict, waived.exitCode]).toEqual(["conformant", 0]);
  });

  it("with waived failures too: conformant with waivers, and the warnings said", () => {
    const list = [...checks(), check("reject.envelope", "failed", [], "broken")];
    const r = conclude(list, {
      waivers: [{ check: "reject.envelope", reason: "known", owner: "qa", expires: "2999-01-01" }],
    });
    expect([r.verdict, r.exitCode]).toEqual(["conformant-with-waivers", 0]);
    expect(r.summary).toMatch(/^Conformant with waivers, 1 warning: every failure is waived \(1 waived\)/);
    expect(verdictText(r)).toBe("conformant-with-waivers, 1 warning");
  });

  it("does not hide a failure: non-conformant (exit 1), the warnings counted beside", () => {
    const r = conclude([...checks(), check("reject.envelope", "failed", [], "broken")]);
    expect([r.verdict, r.exitCode]).toEqual(["non-conformant", 1]);
    expect(r.summary).toBe("1 check(s) failed; 1 warning.");
    expect(verdictText(r)).toBe("non-conformant");
  });
});

describe("--strict", () => {
  const results = conclude(checks(), { strict: true });
  const envelope = results.checks[0]!;

  it("turns every warning into a failure naming the clause: non-conformant, exit 1", () => {
    expect(envelope.outcome).toBe("failed");
    expect(envelope.reason).toBe(
      "Failed because --strict makes decided expectations normative: AMB-EXTRA-FIELDS did not hold. Accept's success body carries extra beyond the members the page prints (status). [decided: AMB-EXTRA-FIELDS]",
    );
    expect(envelope.expectations.find((e) => e.clause === "AMB-EXTRA-FIELDS")).toMatchObject({
      level: "decided",
      outcome: "failed",
    });
    expect(results.checks[1]!.outcome).toBe("passed");
    expect([results.verdict, results.exitCode, results.strict]).toEqual(["non-conformant", EXIT.nonConformant, true]);
    expect(results.counts).toMatchObject({ failed: 1, warning: 0, passed: 1 });
    expect(results.summary).toBe("1 check(s) failed (1 only because --strict makes decided expectations normative).");
    valid(results);
  });

  it("leaves a run without warnings as it was", () => {
    const r = conclude([checks()[1]!], { strict: true });
    expect([r.verdict, r.exitCode, r.summary]).toEqual(["conformant", 0, "Every applicable check passed (1)."]);
  });

  it("lets a waiver waive the failure it made", () => {
    const r = conclude(checks(), {
      strict: true,
      waivers: [
        { check: "accept.envelope", reason: "register choice we disagree with", owner: "qa", expires: "2999-01-01" },
      ],
    });
    expect(r.waivers[0]!.status).toBe("applied");
    expect([r.verdict, r.exitCode]).toEqual(["conformant-with-waivers", 0]);
  });
});
