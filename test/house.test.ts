// The house rules a reader can rely on (issue 14): no hand-written source file over 250 lines, so each has one job
// that fits on a few screens; generated code is exempt. No catalog fact restated: outside the model and the generated
// vocabulary, code names a state or an operation as State.X / Op.X (so a rename in the catalog breaks the build) and
// asks the catalog for what follows from it. The linter and the formatter run in `npm test` itself.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { satisfies } from "semver";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const MAX_LINES = 250;
const GENERATED = ["src/generated"];
/** Where state and operation names may be spelled: the spec model that reads the catalog, and the generated code. */
const MODEL = ["src/model", ...GENERATED];
/**
 * Files that may still spell a name, each with why. Empty: every use is State.X, Op.X or a catalog query. An entry
 * needs a reason a reviewer accepts (a name on the wire the catalog does not own, say), not convenience.
 */
const ALLOWED: Record<string, string> = {};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (GENERATED.includes(path)) return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** Every string literal in `text` that is exactly a catalog state or operation name, with its line. */
function nameLiterals(text: string, names: Set<string>): { line: number; name: string }[] {
  const found: { line: number; name: string }[] = [];
  text.split("\n").forEach((line, i) => {
    for (const m of line.matchAll(/(["'`])([A-Za-z]+)\1/g))
      if (names.has(m[2]!)) found.push({ line: i + 1, name: m[2]! });
  });
  return found;
}

describe("the house", () => {
  it("installs on the Node it runs on without an engine warning (every locked package's engines.node holds)", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const entries = Object.entries(lock.packages);
    expect(entries.length).toBeGreaterThan(100);
    const refused = entries
      .map(([name, p]) => [name, Array.isArray(p.engines) ? undefined : p.engines?.node] as const)
      .filter(([, range]) => range !== undefined && !satisfies(process.version, range))
      .map(([name, range]) => `${name} needs node ${range}`);
    expect(refused).toEqual([]);
  });

  it("spells no catalog state or operation name outside the model and the generated vocabulary", () => {
    const catalog = JSON.parse(readFileSync(join(ROOT, "schemas/catalog.json"), "utf8")) as {
      states: Record<string, unknown>;
      operations: { operationName: string }[];
    };
    const names = new Set([...Object.keys(catalog.states), ...catalog.operations.map((o) => o.operationName)]);
    expect(names.size).toBeGreaterThan(15);
    const files = ["src", "suites", "bin"].flatMap(sources).filter((f) => !MODEL.some((m) => f.startsWith(m + "/")));
    const spelled = files
      .filter((f) => !(f in ALLOWED))
      .flatMap((f) =>
        nameLiterals(readFileSync(join(ROOT, f), "utf8"), names).map((n) => `${f}:${n.line} "${n.name}"`),
      );
    expect(spelled).toEqual([]);
    // The scan itself finds a spelled name (so an empty result means something).
    expect(nameLiterals('reach(t, "Processing"); x = `Accept`; y = "Complete\'s"', names)).toHaveLength(2);
  });

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
