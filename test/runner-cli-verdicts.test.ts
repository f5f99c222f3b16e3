// `gws-conformance run`'s verdicts: green on the reference server in each profile, the envelope checks failing
// across profiles with the ambiguity entry named, a warning that --strict turns into a failure, and JUnit counts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROFILES, specModel } from "../src/model/catalog.js";
import { schemas } from "../src/model/schemas.js";
import { successBody } from "../src/reference/envelope.js";
import { startReferenceServer } from "../src/reference/server.js";
import { configFor, runAgainst, runCli } from "./support/conformance.js";

describe.each(PROFILES)("against the embedded reference server, %s profile", (profile) => {
  it("passes every check and exits 0 (npm run conformance)", async () => {
    const run = await runCli(["--profile", profile]);
    expect(run.exitCode, run.stdout.slice(-3000) + run.stderr).toBe(0);
    const results = run.results!;
    expect(schemas().validate("results/results.json", results)).toEqual({ valid: true });
    expect(results.verdict).toBe("conformant");
    expect(results.target.embedded).toBe(true);
    const notPassed = results.checks.filter((c) => c.outcome !== "passed" && c.outcome !== "not-applicable");
    expect(notPassed.map((c) => `${c.id}: ${c.outcome} ${c.reason}`)).toEqual([]);
    expect(results.counts.passed).toBeGreaterThan(110);
    // Only the CSRF check needs a feature the reference server has off by default.
    expect(results.checks.filter((c) => c.outcome === "not-applicable").map((c) => c.id)).toEqual(["permissions.csrf"]);
    const ids = results.checks.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const c of results.checks) {
      for (const r of c.requirements) expect(() => specModel().requirement(r), c.id).not.toThrow();
      for (const a of c.ambiguities) expect(() => specModel().ambiguity(a), c.id).not.toThrow();
    }
    expect(run.stdout).toMatch(/Verdict: conformant/);
  });
});

describe.each([
  ["seed", "gws"],
  ["gws", "seed"],
] as const)("the %s suite against the reference server in the %s profile", (suiteProfile, serverProfile) => {
  it("fails the envelope checks, naming AMB-ENVELOPE", async () => {
    const run = await runAgainst({ profile: serverProfile, suiteProfile }, ["--only", "*.envelope"]);
    expect(run.exitCode).toBe(1);
    const envelope = run.results!.checks;
    const failed = envelope.filter((c) => c.outcome === "failed");
    // Exactly the operations whose server success body the suite's profile does not accept fail, and Transfer,
    // whose target each profile names otherwise (AMB-TRANSFER-TARGET); each failure points at the register.
    const differ = specModel().catalog.operations.filter((o) => {
      const body = successBody(o.response[serverProfile], serverProfile === "gws" ? 1 : undefined);
      return (
        o.operationName === "Transfer" ||
        !o.response[suiteProfile].success.some((p) => schemas().validate(p, body).valid)
      );
    });
    expect(failed.map((c) => c.id).sort()).toEqual(differ.map((o) => `${o.id}.envelope`).sort());
    for (const c of failed) expect(c.reason, c.id).toMatch(/AMB-ENVELOPE|AMB-TRANSFER-TARGET|AMB-DELETE-KEYS/);
    expect(failed.some((c) => /matches the (seed|gws) profile's envelope instead/.test(c.reason ?? ""))).toBe(true);
    expect(run.check("accept.envelope").outcome).toBe("failed");
  });
});

describe("warnings (issue 12: only decided expectations broke)", () => {
  it("exit 0 and 'conformant, 1 warning' without --strict; with --strict the check fails naming the clause, exit 1", async () => {
    // An extra member in Accept's success body: the seed envelope's closure is only decided (AMB-EXTRA-FIELDS).
    const server = await startReferenceServer({
      profile: "seed",
      configure: (app) =>
        app.addHook("onSend", async (request, _reply, payload) =>
          request.method === "POST" && payload === '{"status":"ok"}' ? '{"status":"ok","extra":1}' : payload,
        ),
    });
    try {
      const lenient = await runCli(["--only", "accept.envelope"], configFor(server));
      expect(lenient.exitCode, lenient.stdout + lenient.stderr).toBe(0);
      expect(lenient.check("accept.envelope").outcome).toBe("warning");
      expect(lenient.results!.strict).toBe(false);
      expect(lenient.results!.verdict).toBe("conformant");
      expect(lenient.stdout).toMatch(/^Verdict: conformant, 1 warning \(seed profile, /m);
      expect(lenient.stdout).toMatch(/^ {2}Conformant, 1 warning: /m);
      expect(lenient.stdout).toMatch(/^ {2}0 passed, 0 failed, 1 warning, 0 waived, /m);
      expect(lenient.stdout).toMatch(
        /^Checks that did not pass:\n {2}warning +accept\.envelope — .*\[decided: AMB-EXTRA-FIELDS\]$/m,
      );
      expect(readFileSync(join(lenient.reportDir, "junit.xml"), "utf8")).toContain(
        '<property name="outcome" value="warning"/>',
      );

      const strict = await runCli(["--strict", "--only", "accept.envelope"], configFor(server));
      expect(strict.exitCode, strict.stdout + strict.stderr).toBe(1);
      expect(strict.results!.strict).toBe(true);
      expect(strict.check("accept.envelope").outcome).toBe("failed");
      expect(strict.check("accept.envelope").reason).toMatch(
        /^Failed because --strict makes decided expectations normative: AMB-EXTRA-FIELDS did not hold\./,
      );
      expect(strict.stdout).toMatch(/^Verdict: non-conformant \(seed profile, --strict, /m);
      expect(schemas().validate("results/results.json", strict.results)).toEqual({ valid: true });
    } finally {
      await server.close();
    }
  });
});

describe("JUnit XML", () => {
  it("counts what results.json counts", async () => {
    const run = await runCli(["--only", "accept.*,permissions.csrf"]);
    const xml = readFileSync(join(run.reportDir, "junit.xml"), "utf8");
    const r = run.results!;
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*tests="${r.checks.length}" failures="${r.counts.failed}"`));
    expect(xml.match(/<testcase /g)).toHaveLength(r.checks.length);
    expect(xml).toMatch(/<skipped message="not applicable: needs the csrf feature/);
  });
});
