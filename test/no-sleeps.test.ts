// No fixed sleeps (issue 7): waits in the suites, their helpers, the notification client, load mode and bench
// end on an event or at a deadline. A timer may only bound a wait (and be cleared when the event comes); a
// promise that resolves on a timer alone is a sleep, and this test names the file and line of each one.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/process.js";

const SCANNED = ["suites", "src/suite", "src/load", "src/client", "src/bench", "src/runner"];

/** A sleep however it is spelled: a timer that resolves a promise, timers/promises, or a helper named so. */
const SLEEPS: [RegExp, string][] = [
  [
    /new Promise(?:<[^>]*>)?\s*\(\s*\(?\s*(\w+)\s*(?:,\s*\w+\s*)?\)?\s*=>\s*\{?\s*(?:return\s+)?setTimeout\(\s*\1\s*,/,
    "a promise resolved by a timer",
  ],
  [/setTimeout\(\s*resolve\b/, "a timer that resolves a promise"],
  [/from\s+["'](?:node:)?timers\/promises["']/, "timers/promises"],
  [/\b(?:sleep|delay|wait)\(\s*\d/, "a sleep helper called with a duration"],
  [/\.waitForTimeout\(/, "a fixed wait in the browser"],
];

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.[cm]?[jt]s$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every sleep in `source`, as "file:line: what". */
function sleepsIn(file: string, source: string): string[] {
  return source.split("\n").flatMap((line, i) => {
    const found = SLEEPS.find(([re]) => re.test(line));
    return found ? [`${file}:${i + 1}: ${found[1]}`] : [];
  });
}

describe("no fixed sleeps", () => {
  it("finds none in the suites, load mode, bench and the code they use", () => {
    const all = SCANNED.flatMap(files);
    expect(all.length).toBeGreaterThan(30);
    expect(all.flatMap((f) => sleepsIn(relative(ROOT, join(ROOT, f)), readFileSync(join(ROOT, f), "utf8")))).toEqual(
      [],
    );
  });

  it("would find each spelling of a sleep", () => {
    const spellings = [
      "await new Promise((r) => setTimeout(r, 100));",
      "await new Promise(resolve => { setTimeout(resolve, 50) })",
      "await new Promise<void>((done) => setTimeout(done, 10));",
      "setTimeout(resolve, 200);",
      'import { setTimeout } from "node:timers/promises";',
      "await sleep(500);",
      "await page.waitForTimeout(100);",
    ];
    for (const line of spellings) expect(sleepsIn("x.ts", line), line).toHaveLength(1);
    // A deadline that bounds a wait is not a sleep.
    expect(sleepsIn("x.ts", "const timer = setTimeout(() => reject(new Error('late')), within);")).toEqual([]);
  });
});
