// The options every command that tests a target shares: which configuration, which target, which profile.
import { Option, type Command } from "commander";

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
