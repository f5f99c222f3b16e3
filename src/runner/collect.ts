// The vitest reporter inside the runner: turns each finished test case into a check result, from the record
// the check() wrapper left in the test's meta, and tells the progress listener how far the run is.
import type { TestAnnotation } from "vitest";
import type { Reporter, TestCase, TestModule, TestSpecification } from "vitest/node";
import { PROGRESS_ANNOTATION } from "../explore/progress.js";
import type { CheckRecord, Outcome } from "../suite/check.js";
import type { ProgressListener } from "./progress.js";

export interface CollectedCheck extends CheckRecord {
  durationMs: number;
  /** The test's name, for checks that broke before recording themselves. */
  name: string;
}

export class CheckCollector implements Reporter {
  readonly checks: CollectedCheck[] = [];
  readonly errors: string[] = [];
  /** performance.now() when the first check started and when the last one ended. */
  firstStartedAt?: number;
  lastEndedAt?: number;
  constructor(private readonly progress?: ProgressListener) {}

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.progress?.filesQueued(specifications.length);
  }

  onTestModuleCollected(module: TestModule): void {
    // Tests that --only filtered out are collected in skip mode: they are not part of this run.
    this.progress?.fileCollected([...module.children.allTests()].filter((t) => t.options.mode === "run").length);
  }

  onTestCaseReady(): void {
    this.firstStartedAt ??= performance.now();
  }

  /** A check's progress line (the explorer's), passed on while the check runs. */
  onTestCaseAnnotate(_test: TestCase, annotation: TestAnnotation): void {
    if (annotation.type === PROGRESS_ANNOTATION) this.progress?.note?.(annotation.message);
  }

  onTestCaseResult(test: TestCase): void {
    this.lastEndedAt = performance.now();
    const record = test.meta().gws;
    const result = test.result();
    const durationMs = Math.round(test.diagnostic()?.duration ?? 0);
    // A test skipped without a record was filtered out (--only): it is not part of this run.
    if (!record && result.state === "skipped") return;
    let collected: CollectedCheck;
    if (record) {
      // A test that failed without the wrapper seeing it (e.g. a timeout) is an error of the suite or the target.
      const outcome: Outcome = result.state === "failed" && record.outcome === "passed" ? "error" : record.outcome;
      const reason = record.reason ?? (result.state === "failed" ? result.errors?.[0]?.message : undefined);
      // Records from before expectations were recorded (or broken ones) carry none.
      collected = { ...record, outcome, reason, expectations: record.expectations ?? [], durationMs, name: test.name };
    } else {
      collected = {
        spec: { id: test.name.split(" ")[0]!, title: test.name, family: "success", requirements: [] },
        outcome: "error",
        reason: result.errors?.[0]?.message ?? "The check did not record a result.",
        evidence: { exchanges: [], notifications: [], violations: [], notes: [] },
        expectations: [],
        durationMs,
        name: test.name,
      };
    }
    this.checks.push(collected);
    this.progress?.checkDone(collected);
  }

  onTestModuleEnd(module: TestModule): void {
    this.progress?.fileDone(module.moduleId);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<{ message?: string }>): void {
    for (const m of modules) {
      for (const e of m.errors()) this.errors.push(`${m.moduleId}: ${e.message}`);
    }
    for (const e of unhandled) this.errors.push(e.message ?? String(e));
  }
}
