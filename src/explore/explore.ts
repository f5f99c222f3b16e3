// The explorer's search (issue 23): fast-check draws sequences of commands from a seed, runs each against the
// target in a check context of its own, and on a failure shrinks the sequence to the shortest one that still fails.
// That sequence is then replayed once more in the check's own context, so its requests, answers, notifications and
// the broken expectation are the check's evidence, with the one line that replays it against any target.
import fc from "fast-check";
import { CheckContext, type Clause } from "../suite/check.js";
import { emptyEvidence } from "../suite/evidence.js";
import { commandArbitraries, Provision, type Outsider, type Real } from "./commands.js";
import { marks } from "./steps.js";
import { readWorkbin } from "./workbin.js";
import { ExploreModel } from "./model.js";
import { observeLists } from "./observe.js";
import { observeRouting } from "./notified.js";
import { sideBySide } from "../suite/side-by-side.js";
import { PROGRESS_MS, type ExploreProgress } from "./progress.js";

export interface ExploreBudget {
  /** fast-check's seed: the same seed gives the same sequences. */
  seed: number;
  /** How many sequences are drawn. */
  sequences: number;
  /** At most this many commands in one sequence. */
  steps: number;
  /** Draws no new sequence after this many seconds (the sequences already run are reported). */
  seconds: number;
  /** A counterexample's path ("4:1:0") and its commands' replay path: replays exactly that sequence. */
  path?: string;
  replayPath?: string;
}

export interface Exploration {
  sequences: number;
  commands: number;
  /** How long the search took, shrinking included. */
  seconds: number;
  shrinks: number;
  /** Seconds from the start to the first sequence that failed (before shrinking it). */
  firstFailure?: number;
  failure?: Counterexample;
}

export interface Counterexample {
  seed: number;
  path: string;
  replayPath: string;
  /** The sequence's steps as last run (an operation is chosen when it runs): read after the replay. */
  steps: () => string[];
  message: string;
  commands: Commands;
}

type Commands = Iterable<fc.AsyncCommand<ExploreModel, Real>>;

/**
 * Runs `cmds` against the target in `t`, then reads both agents' lists for every interaction and proves that no
 * notification went to the wrong agent.
 */
async function runSequence(t: CheckContext, cmds: Commands): Promise<void> {
  const since = await marks(t);
  const model = new ExploreModel();
  // Every sequence starts with an interaction offered to the agent, so that its first command has one to act on.
  await fc.asyncModelRun(() => ({ model, real: { t, since } }), [new Provision("agent"), ...cmds]);
  // The workbin's content, with an interaction the agent holds with data parked there; the lists once more, both
  // agents' for every interaction; and the fences for what was notified to whom.
  await readWorkbin(t, model);
  await sideBySide([observeLists(t, model), observeRouting(t, model, since)]);
}

/** Shrinking attempts after the first failure (each replays a sequence): past them, shrinking ends. */
export const MAX_SHRINK_ATTEMPTS = 120;
/** Shrinking is interrupted after this long all the same (then the same seed may shrink to another sequence). */
const SHRINK_BACKSTOP_S = 120;

/** The accounts that are not agents which the configuration names. */
const outsiders = (t: CheckContext): Outsider[] =>
  (["admin", "unprivileged"] as const).filter((role) => t.config.accounts[role] !== undefined);

/** Explores within `budget`; on a failure the shrunk sequence is replayed in `t`, where it fails the check. */
export async function explore(
  t: CheckContext,
  budget: ExploreBudget,
  onProgress?: (p: ExploreProgress) => void,
): Promise<Exploration> {
  let commands = 0;
  let sequences = 0;
  let firstFailure: number | undefined;
  let shortest: number | undefined;
  let firstRun = 0;
  const started = performance.now();
  let told = started;
  let shrinking = false;
  let attempts = 0;
  const property = fc.asyncProperty(
    fc.commands(commandArbitraries(t.config.features, outsiders(t)), {
      maxCommands: budget.steps,
      size: "max", // lengths spread up to `steps` (fast-check's default keeps most sequences short)
      ...(budget.replayPath ? { replayPath: budget.replayPath } : {}),
    }),
    async (cmds) => {
      // Past the cap, a shrinking attempt counts as passing without running: shrinking ends where it got to.
      if (shrinking && attempts++ >= MAX_SHRINK_ATTEMPTS) return;
      // The search keeps no evidence (the shrunk sequence is replayed in `t`, where its evidence is the check's).
      const run = new CheckContext(t.config, emptyEvidence(), t.vitest, false);
      await run.start();
      try {
        await runSequence(run, cmds);
        // What the sequence held, and what only warned, is the check's too (each clause once).
        for (const r of run.expectations.records) t.expect(r.clause as Clause, r.outcome === "held", r.message);
      } catch (e) {
        if (firstFailure === undefined) firstRun = sequences + 1;
        firstFailure ??= (performance.now() - started) / 1000;
        shortest = Math.min(shortest ?? Infinity, [...cmds].length);
        throw e;
      } finally {
        commands += [...cmds].length;
        sequences++;
        const now = performance.now();
        if (onProgress && now - told >= PROGRESS_MS) {
          told = now;
          const shrinks = firstFailure === undefined ? 0 : sequences - firstRun;
          onProgress({ sequences, commands, seconds: (now - started) / 1000, shrinks, shortest });
        }
        await run.finish();
      }
    },
  );
  // The search, bounded in time, stops at the first failure (or replays the one `path` names).
  const search = await fc.check(property, {
    seed: budget.seed,
    numRuns: budget.sequences,
    interruptAfterTimeLimit: budget.seconds * 1000,
    markInterruptAsFailure: false,
    endOnFailure: true,
    ...(budget.path ? { path: budget.path, numRuns: 1 } : {}),
  });
  // Shrinking starts again from that failure, bounded by a count of attempts, not by time, so the same seed gives
  // the same shrunk sequence however fast the target answers (a time limit stays as a backstop).
  shrinking = !budget.path;
  const result =
    search.failed && shrinking && search.counterexamplePath
      ? await fc.check(property, {
          seed: budget.seed,
          path: search.counterexamplePath,
          interruptAfterTimeLimit: SHRINK_BACKSTOP_S * 1000,
          markInterruptAsFailure: false,
        })
      : search;
  const seconds = (performance.now() - started) / 1000;
  const exploration: Exploration = {
    sequences: search.numRuns,
    commands,
    seconds,
    shrinks: result.numShrinks,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
  if (!result.failed || !result.counterexample) return exploration;
  const [cmds] = result.counterexample;
  exploration.failure = {
    seed: result.seed,
    path: result.counterexamplePath ?? "",
    // Which of the drawn commands ran (fast-check needs it, besides the path, to rebuild the sequence).
    replayPath: /replayPath="([^"]*)"/.exec(String(cmds))?.[1] ?? "",
    steps: () => [String(new Provision("agent")), ...[...cmds].map(String)],
    message: (result.errorInstance as Error | undefined)?.message ?? String(result.errorInstance),
    commands: cmds,
  };
  return exploration;
}

/** Replays a counterexample's commands in the check's own context: its evidence, and its failure, are the check's. */
export function replaySequence(t: CheckContext, failure: Counterexample): Promise<void> {
  return runSequence(t, failure.commands);
}
