// The options every command that tests a target shares: which configuration, which target, which profile; and the
// parser of their whole-number options.
import { InvalidArgumentError, Option, type Command } from "commander";

/** A parser for whole numbers from `min` to `max`. */
export const bounded = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`it must be a whole number from ${min} to ${max}.`);
  return n;
};

/** Adds --config, --target and --profile to `command`. */
export function targetOptions(command: Command): Command {
  return command
    .option("--config <file>", "configuration file (default ./gws-conformance.config.json when it exists)")
    .option("--target <url>", "base URL of the server under test (overrides target.baseUrl)")
    .addOption(
      new Option("--profile <profile>", "seed (the page as printed) or gws (documented GWS behaviour)").choices([
        "seed",
        "gws",
      ]),
    );
}
