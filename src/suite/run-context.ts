// The resolved run configuration, handed by the runner to the suites' vitest workers through a private file
// (it holds credentials, so it is never logged; the runner deletes it after the run).
import { readFileSync } from "node:fs";
import type { RunConfig } from "../runner/config.js";

export const CONTEXT_ENV = "GWS_CONFORMANCE_CONTEXT";

/** A RunConfig whose target is known (the runner has started the embedded server when there was none). */
export type TargetConfig = RunConfig & { target: NonNullable<RunConfig["target"]> };

let cached: TargetConfig | undefined;

export function runContext(): TargetConfig {
  if (cached) return cached;
  const file = process.env[CONTEXT_ENV];
  if (!file) throw new Error(`The suites run under the gws-conformance runner, which sets ${CONTEXT_ENV}; run "npx gws-conformance run".`);
  cached = JSON.parse(readFileSync(file, "utf8")) as TargetConfig;
  return cached;
}
