// `gws-conformance run --baseline old/results.json` (issue 15): the results, the report, the CLI and the exit code
// say what regressed, what was fixed and what is new since an earlier run; only a regression exits 1.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BaselineDiff, CheckResult, ConformanceResults } from "../src/generated/schema-types.js";
import { diffBaseline, isBad, withBaseline } from "../src/runner/baseline.js";
import { runAgainst, type ConformanceRun } from "./support/conformance.js";

const ONLY = ["--only", "accept.*"];
const resultsOf = (run: ConformanceRun) => join(run.reportDir, "results.json");
const diffOf = (run: ConformanceRun) =>
  JSON.parse(readFileSync(join(run.reportDir, "baseline-diff.json"), "utf8")) as BaselineDiff;

describe("--baseline", () => {
  it("exits 1 on a regression and names it; a fix and a failure that was already there exit 0", async () => {
    const clean = await runAgainst({ profile: "seed" }, ONLY);
    expect(clean.exitCode).toBe(0);

    // The same server broken: what passed before fails now.
    const broken = await runAgainst({ profile: "seed", mutant: "accept-wrong-state" }, [
      ...ONLY,
      "--baseline",
      resultsOf(clean),
    ]);
    expect(broken.exitCode).toBe(1);
    const regressed = diffOf(broken).regressed;
    expect(regressed.length).toBeGreaterThan(0);
    // Failed, or cant-tell where the broken Accept keeps a check from reaching its precondition.
    expect(regressed.filter((c) => c.was !== "passed" || !isBad(c.now!))).toEqual([]);
    expect(regressed.some((c) => c.now === "failed")).toBe(true);
    expect(broken.results!.baseline).toEqual(diffOf(broken));
    expect(broken.stdout).toContain(`regressed  ${regressed[0]!.id}: passed → ${regressed[0]!.now}`);
    expect(broken.results!.summary).toMatch(
      /Since the baseline of \d{4}-\d\d-\d\d \([^)]+\): \d+ regressions?, 0 fixed/,
    );
    const html = readFileSync(join(broken.reportDir, "index.html"), "utf8");
    expect(html).toContain(`<section id="baseline"><h2>Since the baseline: ${regressed.length} regressed, 0 fixed`);

    // Still broken, against the broken run: non-conformant, but nothing regressed, so the gate passes.
    const still = await runAgainst({ profile: "seed", mutant: "accept-wrong-state" }, [
      ...ONLY,
      "--baseline",
      resultsOf(broken),
    ]);
    expect(still.results!.verdict).toBe("non-conformant");
    expect(still.exitCode).toBe(0);
    expect(diffOf(still)).toMatchObject({ regressed: [], fixed: [], stillBad: regressed.length });

    // Repaired: the failures are fixed; checks the baseline did not run are new.
    const repaired = await runAgainst({ profile: "seed" }, [
      "--only",
      "accept.*,reject.success",
      "--baseline",
      resultsOf(broken),
    ]);
    expect(repaired.exitCode).toBe(0);
    const diff = diffOf(repaired);
    expect(diff.fixed.map((c) => c.id)).toEqual(regressed.map((c) => c.id));
    expect(diff.new).toEqual([{ id: "reject.success", now: "passed" }]);
  }, 120_000);

  it("refuses a baseline that is not an earlier run's results, in one sentence, before running", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gws-baseline-"));
    writeFileSync(join(dir, "not.json"), "{");
    writeFileSync(join(dir, "other.json"), JSON.stringify({ checks: [] }));
    for (const [file, says] of [
      [join(dir, "missing.json"), "does not exist."],
      [join(dir, "not.json"), "is not JSON; give the results.json of an earlier run."],
      [join(dir, "other.json"), "is not a gws-conformance results.json"],
    ] as const) {
      const run = await runAgainst({ profile: "seed" }, [...ONLY, "--baseline", file]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`The baseline ${file} ${says}`);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.results).toBeUndefined();
    }
  }, 60_000);

  it("keeps exit codes that say the run cannot be trusted", () => {
    const check = (id: string, outcome: CheckResult["outcome"]) => ({ id, outcome }) as CheckResult;
    const was = {
      startedAt: "2026-01-01T00:00:00Z",
      suite: { version: "0.1.0" },
      profile: "seed",
    } as ConformanceResults;
    const diff = diffBaseline("old.json", { ...was, checks: [check("a.b", "passed"), check("c.d", "failed")] }, [
      check("a.b", "error"),
      check("c.d", "warning"),
    ]);
    expect(diff.regressed).toEqual([{ id: "a.b", was: "passed", now: "error" }]);
    expect(diff.fixed).toEqual([{ id: "c.d", was: "failed", now: "warning" }]);
    const internal = { exitCode: 5, summary: "The suite itself failed." } as ConformanceResults;
    expect(withBaseline(internal, diff).exitCode).toBe(5);
    expect(withBaseline({ ...internal, exitCode: 0 }, diff).exitCode).toBe(1);
  });
});
