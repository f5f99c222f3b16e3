// The suites under vitest, inside the runner: which files, how many checks in flight, and the reporter that turns
// each finished test into a check result. The resolved configuration reaches the workers through a private file.
import { fileURLToPath } from "node:url";
import { startVitest } from "vitest/node";
import { CONTEXT_ENV } from "../suite/run-context.js";
import type { CheckCollector } from "./collect.js";

/** The package's own directory (schemas/, suites/), wherever it is installed. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The --only ids and globs ("accept.*") as a test-name pattern (a check's test is named "ID — title"). */
export function testNamePattern(only: string[] | undefined): RegExp | undefined {
  if (!only || only.length === 0) return undefined;
  const alternatives = only.map((id) =>
    id
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^ ]*"),
  );
  return new RegExp(`^(${alternatives.join("|")}) — `);
}

/** Runs the suites with the configuration in `contextFile`, reporting every check to `collector`. */
export async function runSuites(
  contextFile: string,
  collector: CheckCollector,
  run: { only?: string[]; workers: number; concurrency: number },
): Promise<void> {
  const previous = process.env[CONTEXT_ENV];
  process.env[CONTEXT_ENV] = contextFile;
  try {
    const vitest = await startVitest("test", [], {
      root: PACKAGE_ROOT,
      config: false,
      // One worker runs every suite as one file, so --concurrency bounds checks across files (all-suites.ts).
      include: run.workers > 1 ? ["suites/**/*.suite.ts"] : ["suites/all-suites.ts"],
      watch: false,
      reporters: [collector],
      testNamePattern: testNamePattern(run.only),
      passWithNoTests: true,
      isolate: false,
      // Each worker takes its own agents (run-context.ts forWorker), so suite files run side by side.
      pool: "threads",
      maxWorkers: run.workers,
      fileParallelism: run.workers > 1,
      // Checks share nothing but the agents' CometD clients, and every wait is keyed by interaction id.
      sequence: { concurrent: true },
      maxConcurrency: run.concurrency,
    });
    await vitest.close();
  } finally {
    if (previous === undefined) delete process.env[CONTEXT_ENV];
    else process.env[CONTEXT_ENV] = previous;
  }
}
