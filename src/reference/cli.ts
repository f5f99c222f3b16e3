// `gws-reference-server`: the reference server as a standalone process, for people and for agent desktops.
import { writeFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { loadAccountsFile, MAX_AGENTS, type ReferenceAccount } from "./accounts.js";
import { startReferenceServer, DEFAULT_FEATURES } from "./server.js";
import { configForServer } from "./target-config.js";
import type { Features } from "./views.js";

const FEATURE_NAMES = Object.keys(DEFAULT_FEATURES) as (keyof Features)[];

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("it must be a whole number from 0 to 65535.");
  return n;
}

function featureList(value: string): (keyof Features)[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !FEATURE_NAMES.includes(n as keyof Features));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown feature ${unknown.join(", ")}; use ${FEATURE_NAMES.join(", ")}.`);
  return names as (keyof Features)[];
}

function agentCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_AGENTS)
    throw new InvalidArgumentError(`it must be a whole number from 1 to ${MAX_AGENTS}.`);
  return n;
}

const list = (value: string) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function describeAccounts(accounts: ReferenceAccount[]): string[] {
  const width = Math.max(...accounts.map((a) => a.username.length));
  return accounts.map(
    (a) =>
      `    ${a.username.padEnd(width)}  ${(a.roles.join(",") || "no role").padEnd(24)}  password ${a.password}  id ${a.id}`,
  );
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command("gws-reference-server")
    .description("A conforming GWS Interactions API with CometD notifications, for tests and agent desktops.")
    .addOption(new Option("--port <port>", "port to listen on (0: any free port)").default(8090).argParser(port))
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .addOption(
      new Option("--profile <profile>", "which reading of the spec to serve").choices(["seed", "gws"]).default("seed"),
    )
    .option(
      "--accounts <file>",
      "JSON accounts file (schemas/reference/accounts.json); default agent1, agent2, admin, nobody",
    )
    .option("--hook-key <key>", "key the provisioning hook requires (default: generated; env GWS_HOOK_KEY)")
    .addOption(
      new Option("--agents <n>", "Agent accounts agent1 ... agentN to create (the pool for parallel runs and load)")
        .default(2)
        .argParser(agentCount),
    )
    .option("--enable <features>", `switch features on (${FEATURE_NAMES.join(", ")})`, featureList)
    .option("--disable <features>", "switch features off", featureList)
    .option("--queues <names>", "comma-separated queue names", list)
    .option("--workbins <names>", "comma-separated workbin names", list)
    .option(
      "--write-config <file>",
      "write the gws-conformance configuration for this server (with its passwords and hook key) to this file",
    )
    .option("--mutant <name>", "run a deliberately broken variant (see src/reference/mutants.ts), for mutation testing")
    .option(
      "--variant <names>",
      "run conforming variants: other valid readings of the spec (see src/reference/variants.ts), comma-separated",
      list,
    )
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  try {
    program.parse(argv);
  } catch (e) {
    const code = (e as { exitCode?: number; code?: string }).code;
    process.exit(code === "commander.helpDisplayed" || code === "commander.version" ? 0 : 2);
  }
  const opts = program.opts<{
    port: number;
    host: string;
    profile: "seed" | "gws";
    accounts?: string;
    agents: number;
    hookKey?: string;
    enable?: (keyof Features)[];
    disable?: (keyof Features)[];
    queues?: string[];
    workbins?: string[];
    mutant?: string;
    variant?: string[];
    writeConfig?: string;
  }>();

  const features: Partial<Features> = {};
  for (const f of opts.enable ?? []) features[f] = true;
  for (const f of opts.disable ?? []) features[f] = false;

  let server;
  try {
    server = await startReferenceServer({
      port: opts.port,
      host: opts.host,
      profile: opts.profile,
      accounts: opts.accounts ? loadAccountsFile(opts.accounts) : undefined,
      agents: opts.agents,
      hookKey: opts.hookKey ?? process.env.GWS_HOOK_KEY,
      features,
      queues: opts.queues,
      workbins: opts.workbins,
      mutant: opts.mutant,
      variants: opts.variant,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const message =
      err.code === "EADDRINUSE"
        ? `Port ${opts.port} on ${opts.host} is already in use; choose another with --port.`
        : err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND"
          ? `Cannot listen on ${opts.host}; give an address of this machine with --host.`
          : err.message;
    console.error(`gws-reference-server: ${message}`);
    process.exit(2);
  }

  if (opts.writeConfig) {
    try {
      writeFileSync(opts.writeConfig, `${JSON.stringify(configForServer(server), null, 2)}\n`, { mode: 0o600 });
    } catch (e) {
      console.error(
        `gws-reference-server: cannot write the configuration to ${opts.writeConfig}: ${(e as Error).message}`,
      );
      await server.close();
      process.exit(2);
    }
  }
  const on = FEATURE_NAMES.filter((f) => server.features[f]);
  console.log(
    [
      `GWS reference server (profile ${server.profile})${server.mutant ? ` RUNNING MUTANT ${server.mutant}, which does not conform` : ""}${server.variants.length ? ` with the conforming variant(s) ${server.variants.join(", ")}` : ""} listening on ${server.url}`,
      `  API:            ${server.url}/api/v2`,
      `  Notifications:  ${server.notificationsUrl}  (CometD long-polling; subscribe to /v2/me/interactions)`,
      `  Hook:           POST ${server.hookUrl}  with header ${server.hookHeader}: ${server.hookKey}`,
      `  Features:       ${on.join(", ") || "none"}; queues ${server.queues.join(", ")}; workbins ${server.workbins.join(", ")}`,
      ...(opts.writeConfig
        ? [`  Config:         ${opts.writeConfig}  (gws-conformance run --config ${opts.writeConfig})`]
        : []),
      "  Accounts (shown once; generated passwords change at every start):",
      ...describeAccounts(server.accounts),
      "Press Ctrl+C to stop.",
    ].join("\n"),
  );

  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
