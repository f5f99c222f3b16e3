// `gws-conformance run`: the conformance suite against a target, or against the embedded reference server.
import { Command, InvalidArgumentError, Option } from "commander";
import { loadCommand } from "../load/command.js";
import { MAX_AGENTS } from "../reference/accounts.js";
import { DEFAULT_CONFIG_FILE } from "./config.js";
import { init } from "./init.js";
import { Progress } from "./progress.js";
import { exploreCommand } from "../explore/command.js";
import { printOutcome } from "./print.js";
import { bounded, targetOptions } from "./target-options.js";
import { DEFAULT_CONCURRENCY, DEFAULT_WORKERS, EXIT, runConformance } from "./run.js";

const ids = (value: string) => {
  const list = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((id) => !/^[a-z0-9*-]+(\.[a-z0-9*-]+)*$/.test(id));
  if (bad.length > 0)
    throw new InvalidArgumentError(`${bad.join(", ")} is not a check id or pattern (e.g. accept.success, transfer.*).`);
  return list;
};

const count = bounded(1, 64);

export async function main(argv: string[]): Promise<number> {
  const program = new Command("gws-conformance")
    .description("Conformance suite for the GWS Interactions API.")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  let exitCode: number = EXIT.conformant;
  targetOptions(program.command("run"))
    .description("run the checks against a target (default: the embedded reference server)")
    .option("--only <ids>", "comma-separated check ids or patterns, e.g. accept.*,permissions.*", ids)
    .option("--report-dir <dir>", "where index.html, results.json, junit.xml and ctrf.json go", "report")
    .option(
      "--workers <n>",
      `suite files run side by side, each worker with two agents of its own (default ${DEFAULT_WORKERS}; more need accounts.agentPool)`,
      count,
    )
    .option(
      "--baseline <results.json>",
      "an earlier run's results: report what regressed, what was fixed and what is new; exit 1 only on a regression",
    )
    .option(
      "--concurrency <n>",
      `checks in flight at once in each worker (default ${DEFAULT_CONCURRENCY}; lower it for a target that limits its clients)`,
      bounded(1, 256),
    )
    .option("--strict", "decided expectations (the ambiguity register's choices) fail instead of warning")
    .option("--quiet", "print only the verdict (no preflight, progress or list of checks that did not pass)")
    .action(
      async (opts: {
        config?: string;
        target?: string;
        profile?: string;
        only?: string[];
        reportDir: string;
        workers?: number;
        concurrency?: number;
        strict?: boolean;
        quiet?: boolean;
        baseline?: string;
      }) => {
        const log = opts.quiet ? undefined : (line: string) => console.log(line);
        const progress = opts.quiet ? undefined : new Progress(process.stderr, { strict: opts.strict });
        const outcome = await runConformance({ ...opts, log, progress }).finally(() => progress?.stop());
        exitCode = printOutcome(outcome, opts);
      },
    );

  targetOptions(program.command("load"))
    .description(
      "drive many agents through full lifecycles at once and check every notification (default target: the embedded reference server)",
    )
    .addOption(
      new Option("--agents <n>", "agents driven at once (agent, agent2, then accounts.agentPool)")
        .default(10)
        .argParser(bounded(1, MAX_AGENTS)),
    )
    .addOption(
      new Option("--duration <seconds>", "how long new lifecycles start; running ones finish")
        .default(10)
        .argParser(bounded(1, 600)),
    )
    .option("--report-dir <dir>", "where load.json goes", "report")
    .option("--quiet", "print only the summary")
    .action(
      async (opts: {
        config?: string;
        target?: string;
        profile?: string;
        agents: number;
        duration: number;
        reportDir: string;
        quiet?: boolean;
      }) => {
        exitCode = await loadCommand({
          ...opts,
          durationSeconds: opts.duration,
          log: (line) => console.log(line),
          progress: opts.quiet ? undefined : (line) => console.log(line),
          error: (line) => console.error(line),
        });
      },
    );

  exploreCommand(program, (code) => (exitCode = code));

  program
    .command("init")
    .description(
      `write a starter ${DEFAULT_CONFIG_FILE} and waivers file to fill in (asks nothing, overwrites nothing)`,
    )
    .option("--dir <dir>", "where to write them", ".")
    .addOption(
      new Option("--profile <profile>", "the profile the configuration names").choices(["seed", "gws"]).default("gws"),
    )
    .action((opts: { dir: string; profile: "seed" | "gws" }) => {
      const result = init(opts.dir, opts.profile);
      for (const line of result.lines)
        (result.ok ? console.log : console.error)(result.ok ? line : `gws-conformance: ${line}`);
      exitCode = result.ok ? EXIT.conformant : EXIT.usage;
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.help" || code === "commander.version")
      return EXIT.conformant;
    if (code?.startsWith("commander.")) return EXIT.usage;
    console.error(`gws-conformance: internal error: ${(e as Error).message}`);
    return EXIT.internal;
  }
  return exitCode;
}
