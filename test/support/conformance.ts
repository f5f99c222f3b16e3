// Runs `gws-conformance run` as a user would (a child process) against an in-process reference server that
// a test may make misbehave, and reads back the results it wrote.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckResult, ConformanceResults } from "../../src/generated/schema-types.js";
import type { Profile } from "../../src/model/catalog.js";
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from "../../src/reference/server.js";
import { configForServer } from "../../src/reference/target-config.js";
import { reportEvidence } from "../../src/report/html.js";
import { run } from "./process.js";

export interface ConformanceRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  results?: ConformanceResults;
  reportDir: string;
  check(id: string): CheckResult;
}

/** The configuration file that points the runner at `server`, as a user would write it. */
export function configFor(server: ReferenceServer, profile: Profile = server.profile): Record<string, unknown> {
  return configForServer(server, profile) as unknown as Record<string, unknown>;
}

/** Runs the CLI with `args` in a fresh directory holding `config` (if given) as gws-conformance.config.json. */
export async function runCli(
  args: string[],
  config?: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
  within = 120_000,
): Promise<ConformanceRun> {
  const dir = mkdtempSync(join(tmpdir(), "gws-run-"));
  const reportDir = join(dir, "report");
  if (config) writeFileSync(join(dir, "gws-conformance.config.json"), JSON.stringify(config, null, 2));
  const child = run(
    "gws-conformance.mjs",
    [
      "run",
      ...(config ? ["--config", join(dir, "gws-conformance.config.json")] : []),
      "--report-dir",
      reportDir,
      ...args,
    ],
    env,
  );
  const exitCode = await child.exited(within);
  let results: ConformanceResults | undefined;
  try {
    results = JSON.parse(readFileSync(join(reportDir, "results.json"), "utf8")) as ConformanceResults;
  } catch {
    results = undefined;
  }
  return {
    exitCode,
    stdout: child.stdout(),
    stderr: child.stderr(),
    results,
    reportDir,
    check(id) {
      const found = results?.checks.find((c) => c.id === id);
      if (!found) throw new Error(`No check ${id} in the results (exit ${exitCode}): ${child.stderr()}`);
      return found;
    },
  };
}

/** Starts a reference server (optionally misbehaving), runs the CLI against it with `args`, and stops it. */
export async function runAgainst(
  options: ReferenceServerOptions & { suiteProfile?: Profile },
  args: string[],
): Promise<ConformanceRun> {
  const server = await startReferenceServer(options);
  try {
    return await runCli(args, configFor(server, options.suiteProfile));
  } finally {
    await server.close();
  }
}

/** Every file the run wrote, as text; the report's packed evidence is unpacked, so a grep sees what a reader sees. */
export function readArtifacts(reportDir: string): string[] {
  return readdirSync(reportDir).flatMap((f) => {
    const text = readFileSync(join(reportDir, f), "utf8");
    return f === "index.html" ? [text, ...reportEvidence(text)] : [text];
  });
}
