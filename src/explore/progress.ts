// The explorer's progress during a long search (issue 23): a line every few seconds with how far it is, carried from
// the check to the runner as a test annotation (vitest passes those to the reporter while the test runs).
/** How far a search is, told every PROGRESS_MS while it runs. */
export interface ExploreProgress {
  sequences: number;
  commands: number;
  seconds: number;
  /** Sequences run since the first failure: shrinking attempts. */
  shrinks: number;
  /** The shortest failing sequence so far (its commands), once one failed. */
  shortest?: number;
}

/** How often a search tells its progress. */
export const PROGRESS_MS = 5000;
/** The type of the test annotation that carries a progress line to the runner (see CheckCollector). */
export const PROGRESS_ANNOTATION = "explore-progress";

export function progressLine(p: ExploreProgress, budget: { seconds: number }): string {
  const rate = Math.round(p.commands / Math.max(p.seconds, 0.001));
  const found =
    p.shortest === undefined
      ? "no failure yet"
      : `shrinking: ${p.shrinks} attempts, shortest failure ${p.shortest + 1} steps`;
  return `explore: ${Math.round(p.seconds)} s of ${budget.seconds} s, ${p.sequences} sequences, ${p.commands} commands (${rate}/s), ${found}`;
}
