// `gws-conformance explore`: the explore family alone, searching longer than a run's fixed budget (a seed of its
// own or a random one, a time budget), or replaying one counterexample (`--seed S --path P`) against any target.
import { randomInt } from "node:crypto";
import { InvalidArgumentError, type Command } from "commander";
import { printOutcome } from "../runner/print.js";
import { bounded, targetOptions } from "../runner/target-options.js";
import { runConformance } from "../runner/run.js";
import type { ProgressListener } from "../runner/progress.js";

/** A progress listener that tells only the explorer's own lines. */
const SILENT: ProgressListener = { filesQueued() {}, fileCollected() {}, checkDone() {}, fileDone() {} };

/** "90s", "10m", "1h" or a number of seconds. */
export function parseBudget(value: string): number {
  const m = /^(\d+)\s*(s|m|h)?$/.exec(value.trim());
  const seconds = m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? "s") as "s" | "m" | "h"] : NaN;
  if (!(seconds >= 1 && seconds <= 86_400))
    throw new InvalidArgumentError("it must be a duration from 1s to 24h, e.g. 90s, 10m or 1h.");
  return seconds;
}

const seedOf = (value: string) => {
  if (value === "random") return randomInt(0, 2 ** 31 - 1);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1)
    throw new InvalidArgumentError("it must be a whole number from 0 to 2147483647, or random.");
  return n;
};

export function exploreCommand(program: Command, setExit: (code: number) => void): void {
  targetOptions(program.command("explore"))
    .description(
      "search random sequences of operations, userData and agents for a longer time, or replay one counterexample",
    )
    .option("--seed <n|random>", "the search's seed (the same seed gives the same sequences)", seedOf)
    .option("--budget <duration>", "stop drawing new sequences after this long, e.g. 90s, 10m", parseBudget, 120)
    .option("--sequences <n>", "at most this many sequences", bounded(1, 1_000_000), 1_000_000)
    .option("--steps <n>", "at most this many commands in one sequence", bounded(1, 50))
    .option("--path <path>", "with --seed and --replay-path: replay exactly the counterexample a failure printed")
    .option("--replay-path <path>", "the counterexample's commands, as the failure printed them")
    .option("--report-dir <dir>", "where index.html, results.json, junit.xml and ctrf.json go", "report")
    .option("--quiet", "print only the verdict")
    .action(
      async (opts: {
        config?: string;
        target?: string;
        profile?: string;
        seed?: number;
        budget: number;
        sequences: number;
        steps?: number;
        path?: string;
        replayPath?: string;
        reportDir: string;
        quiet?: boolean;
      }) => {
        if (
          (opts.path !== undefined || opts.replayPath !== undefined) &&
          (opts.seed === undefined || !opts.path || !opts.replayPath)
        ) {
          console.error(
            "gws-conformance: a replay needs the --seed, --path and --replay-path that the failure printed.",
          );
          return setExit(2);
        }
        const seed = opts.seed ?? randomInt(0, 2 ** 31 - 1);
        if (!opts.quiet) console.log(`Exploring with seed ${seed} for at most ${opts.budget} s.`);
        const outcome = await runConformance({
          ...opts,
          only: ["explore.*"],
          log: opts.quiet ? undefined : (line) => console.log(line),
          // The search's progress every few seconds (commands/s, sequences, shrinking), on stderr.
          progress: opts.quiet ? undefined : { ...SILENT, note: (line) => console.error(`  ${line}`) },
          explore: {
            enabled: true,
            seed,
            sequences: opts.sequences,
            seconds: opts.budget,
            ...(opts.steps ? { steps: opts.steps } : {}),
            ...(opts.path ? { path: opts.path, replayPath: opts.replayPath } : {}),
          },
        });
        const check = outcome.results?.checks.find((c) => c.family === "explore");
        if (!opts.quiet) for (const note of check?.evidence.notes ?? []) console.log(`  ${note}`);
        setExit(printOutcome(outcome, opts));
      },
    );
}
