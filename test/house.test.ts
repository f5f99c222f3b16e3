// The house rules a reader can rely on (issue 14): no hand-written source file over 250 lines, so each has one job
// that fits on a few screens; generated code is exempt. The linter and the formatter run in `npm test` itself.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const MAX_LINES = 250;
const GENERATED = ["src/generated"];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (GENERATED.includes(path)) return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

describe("the house", () => {
  it(`has no hand-written source file over ${MAX_LINES} lines`, () => {
    const files = ["src", "suites", "test", "bin"].flatMap(sources);
    expect(files.length).toBeGreaterThan(50);
    const long = files
      .map((f) => [relative(ROOT, join(ROOT, f)), readFileSync(join(ROOT, f), "utf8").split("\n").length - 1] as const)
      .filter(([, lines]) => lines > MAX_LINES)
      .map(([f, lines]) => `${f} (${lines})`);
    expect(long).toEqual([]);
  });
});
