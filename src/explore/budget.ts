// How much the explorer searches: the configuration's explore section (a fixed seed and a small budget, so a CI
// gate sees the same sequences every run), or what `gws-conformance explore` asks for.
import type { TargetConfig } from "../suite/run-context.js";
import type { ExploreBudget } from "./explore.js";

/** The budget of this run, or undefined when it does not explore. */
export function exploreBudget(config: TargetConfig): ExploreBudget | undefined {
  const asked = config.explore as (TargetConfig["explore"] & { path?: string; replayPath?: string }) | undefined;
  if (!asked?.enabled) return undefined;
  return {
    seed: asked.seed,
    sequences: asked.sequences,
    steps: asked.steps,
    seconds: asked.seconds,
    path: asked.path,
    replayPath: asked.replayPath,
  };
}
