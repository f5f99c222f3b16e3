// Progress during a run: on a terminal one line rewritten in place with checks done/total, the latest family
// and elapsed time; in logs (no terminal, or CI) a plain line per suite file and every 25 checks; none with
// --quiet; always on stderr, so stdout keeps the summary.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CheckFamily } from "../src/generated/schema-types.js";
import type { CollectedCheck } from "../src/runner/collect.js";
import { Progress, type ProgressStream } from "../src/runner/progress.js";
import type { Outcome } from "../src/suite/check.js";
import { runCli } from "./support/conformance.js";

const CLEAR_LINE = "\r\x1b[2K";

function fakeStream(isTTY: boolean, columns = 120): ProgressStream & { writes: string[] } {
  const writes: string[] = [];
  return { isTTY, columns, writes, write: (text: string) => writes.push(text) };
}

function check(family: CheckFamily, outcome: Outcome = "passed"): CollectedCheck {
  return {
    spec: { id: `x.${family}`, title: family, family, requirements: [] },
    outcome,
    evidence: { exchanges: [], notifications: [], violations: [], notes: [] },
    expectations: [],
    durationMs: 1,
    name: `x.${family} — ${family}`,
  };
}

describe("on a terminal", () => {
  afterEach(() => vi.useRealTimers());

  it("rewrites one line in place with checks done/total, the latest family, failures and elapsed time", () => {
    vi.useFakeTimers();
    let now = 1_000;
    const stream = fakeStream(true);
    const progress = new Progress(stream, { env: {}, now: () => now });
    progress.filesQueued(2);
    progress.fileCollected(3);
    now = 1_500;
    progress.checkDone(check("envelope"));
    now = 2_250;
    progress.checkDone(check("success", "failed"));
    expect(stream.writes.at(-1)).toBe(`${CLEAR_LINE}2/3+ checks · success · 1 failed · 1.3 s`);
    progress.fileDone("/x/suites/operations.suite.ts");
    progress.fileCollected(1);
    progress.checkDone(check("lists", "cant-tell"));
    expect(stream.writes.at(-1)).toBe(`${CLEAR_LINE}3/4 checks · lists · 1 failed · 1 can't tell · 1.3 s`);
    // While no check finishes, the elapsed time still moves.
    now = 5_000;
    vi.advanceTimersByTime(1_000);
    expect(stream.writes.at(-1)).toBe(`${CLEAR_LINE}3/4 checks · lists · 1 failed · 1 can't tell · 4.0 s`);
    for (const w of stream.writes) {
      expect(w.startsWith(CLEAR_LINE), `a write did not start by clearing the line: ${JSON.stringify(w)}`).toBe(true);
      expect(w, "a live write ended a line").not.toContain("\n");
    }
    progress.stop();
    expect(stream.writes.at(-1)).toBe(CLEAR_LINE);
    const written = stream.writes.length;
    vi.advanceTimersByTime(5_000);
    expect(stream.writes.length, "the line was redrawn after stop()").toBe(written);
  });

  it("counts warnings beside the failures (a warning under --strict is the failure it becomes)", () => {
    const stream = fakeStream(true);
    const progress = new Progress(stream, { env: {}, now: () => 0 });
    progress.filesQueued(1);
    progress.fileCollected(4);
    progress.checkDone(check("envelope", "warning"));
    expect(stream.writes.at(-1)).toBe(`${CLEAR_LINE}1/4 checks · envelope · 1 warning · 0.0 s`);
    progress.checkDone(check("success", "failed"));
    progress.checkDone(check("lists", "warning"));
    expect(stream.writes.at(-1)).toBe(`${CLEAR_LINE}3/4 checks · lists · 1 failed · 2 warnings · 0.0 s`);
    progress.stop();
    const strict = fakeStream(false);
    const strictly = new Progress(strict, { every: 2, now: () => 0, strict: true });
    strictly.filesQueued(1);
    strictly.fileCollected(2);
    strictly.checkDone(check("envelope", "warning"));
    strictly.checkDone(check("lists", "failed"));
    expect(strict.writes).toEqual(["progress: 2/2 checks · lists · 2 failed · 0.0 s\n"]);
  });

  it("cuts the line to the terminal's width, so it never wraps", () => {
    const stream = fakeStream(true, 20);
    const progress = new Progress(stream, { env: {} });
    progress.filesQueued(1);
    progress.fileCollected(300);
    progress.checkDone(check("notifications"));
    progress.stop();
    expect(stream.writes.slice(0, -1).every((w) => w.length - CLEAR_LINE.length <= 19)).toBe(true);
    expect(stream.writes.at(-2)).toBe(`${CLEAR_LINE}1/300 checks · noti`);
    // A pseudo-terminal may report no width: then nothing is cut.
    const unsized = fakeStream(true, 0);
    const whole = new Progress(unsized, { env: {}, now: () => 0 });
    whole.filesQueued(1);
    whole.fileCollected(1);
    whole.stop();
    expect(unsized.writes[0]).toBe(`${CLEAR_LINE}0/1 checks · 0.0 s`);
  });

  it("writes plain lines under CI, as a log keeps them", () => {
    const stream = fakeStream(true);
    const progress = new Progress(stream, { env: { CI: "true" }, now: () => 0 });
    progress.filesQueued(1);
    progress.fileCollected(1);
    progress.checkDone(check("envelope"));
    progress.fileDone("/x/suites/operations.suite.ts");
    progress.stop();
    expect(stream.writes).toEqual(["progress: 1/1 checks · envelope · 0.0 s (operations suite done)\n"]);
  });
});

describe("in a log", () => {
  it("writes a line per suite file and every `every` checks, not one per check", () => {
    const stream = fakeStream(false);
    const progress = new Progress(stream, { every: 3, now: () => 0 });
    progress.filesQueued(2);
    progress.fileCollected(7);
    for (let i = 0; i < 7; i++) progress.checkDone(check("preconditions"));
    progress.fileDone("/x/suites/preconditions.suite.ts");
    progress.stop();
    expect(stream.writes).toEqual([
      "progress: 3/7+ checks · preconditions · 0.0 s\n",
      "progress: 6/7+ checks · preconditions · 0.0 s\n",
      "progress: 7/7+ checks · preconditions · 0.0 s (preconditions suite done)\n",
    ]);
  });
});

describe("gws-conformance run", () => {
  it("prints plain progress lines on stderr when stderr is not a terminal, and keeps stdout for the summary", async () => {
    const run = await runCli(["--only", "*.refused-when-*"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const checks = run.results!.checks.length;
    expect(checks).toBeGreaterThan(50);
    const lines = run.stderr.split("\n").filter((l) => l.startsWith("progress: "));
    // One line per 25 checks, and one at the end: one worker runs every suite as one file.
    expect(lines).toHaveLength(1 + Math.floor(checks / 25));
    expect(lines.at(-1)).toMatch(/ \(all suites done\)$/);
    // Before a file with matching checks finishes, no family has been seen yet.
    for (const line of lines)
      expect(line).toMatch(/^progress: \d+\/\d+\+? checks( · [a-z-]+)? · \d+\.\d s( \(all suites done\))?$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^progress: ${checks}/${checks} checks · `));
    expect(run.stdout).not.toContain("progress: ");
    expect(run.stdout).toMatch(/^Verdict: conformant/m);
  });

  it("prints no progress with --quiet, and only the verdict on stdout", async () => {
    const run = await runCli(["--quiet", "--only", "accept.*"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("progress: ");
    expect(run.stdout).toMatch(/^Verdict: conformant/);
    expect(run.stdout).not.toContain("Preflight");
  });
});
