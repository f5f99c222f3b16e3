// The run configuration of target-contract section 1: a JSON file with ${ENV} references, overridden by
// environment variables and then by the CLI's flags, validated against schemas/config/config.json before
// anything is sent.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ConformanceConfig } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { schemas } from "../model/schemas.js";

export const DEFAULT_CONFIG_FILE = "gws-conformance.config.json";

export type AccountRole = "agent" | "agent2" | "admin" | "unprivileged";
export interface Account {
  username: string;
  password: string;
  id?: string;
  uri?: string;
}
export interface Features {
  transfer: boolean;
  workbins: boolean;
  reply: boolean;
  putInteraction: boolean;
  csrf: boolean;
}

/** A configuration with every default applied; `target` absent means the embedded reference server. */
export interface RunConfig {
  target?: { baseUrl: string; notificationsUrl: string };
  profile: Profile;
  /** agentPool: more Agent accounts, which parallel workers take two at a time (issue 7). */
  accounts: Partial<Record<AccountRole, Account>> & { agent?: Account; agentPool?: Account[] };
  resources: { queues: string[]; workbins: string[] };
  provisioning?: { url: string; headers: Record<string, string> };
  features: Features;
  timeouts: { requestMs: number; notificationMs: number };
  /** The explorer's budget (issue 23); absent: `gws-conformance run` does not explore. */
  explore?: ExploreSettings;
  /** Absolute path of the waivers file, if any. */
  waivers?: string;
  /** Where the configuration came from, for messages. */
  source: string;
}

/** The configuration's explore section with its defaults applied (schemas/config/config.json). */
export interface ExploreSettings {
  enabled: boolean;
  seed: number;
  sequences: number;
  steps: number;
  seconds: number;
}
export const DEFAULT_EXPLORE: ExploreSettings = { enabled: true, seed: 3, sequences: 15, steps: 20, seconds: 20 };

export const DEFAULT_FEATURES: Features = {
  transfer: true,
  workbins: true,
  reply: false,
  putInteraction: false,
  csrf: false,
};
export const DEFAULT_TIMEOUTS = { requestMs: 5000, notificationMs: 3000 };
export const DEFAULT_RESOURCES = { queues: ["conformance-queue"], workbins: ["conformance-workbin"] };

/** The configuration cannot be used; `problems` lists each one (by JSON pointer where there is one). */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
    /** What to do about it, one sentence after the list. */
    hint?: string,
  ) {
    super(
      `The configuration ${source} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}${hint ? `\n${hint}` : ""}`,
    );
  }
}

export interface ConfigInput {
  /** --config; when absent, ./gws-conformance.config.json if it exists. */
  file?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** CLI flags, which override the file and the environment. */
  flags?: { target?: string; profile?: string };
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces ${NAME} in every string value; each unset variable is a problem at its pointer. */
function substitute(value: unknown, env: NodeJS.ProcessEnv, pointer: string, problems: string[]): unknown {
  if (typeof value === "string") {
    return value.replace(ENV_REF, (whole, name: string) => {
      const v = env[name];
      if (v === undefined) {
        problems.push(`${pointer}: the environment variable ${name} is not set.`);
        return whole;
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, env, `${pointer}/${i}`, problems));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        // A comment may show ${NAME} references without the variable being set.
        k === "$comment" ? v : substitute(v, env, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, problems),
      ]),
    );
  }
  return value;
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [code === "ENOENT" ? "the file does not exist." : `the file cannot be read (${code}).`],
      path,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`the file is not valid JSON: ${(e as Error).message}.`], path);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new ConfigError(["the file must hold a JSON object."], path);
  return data as Record<string, unknown>;
}

export function loadConfig(input: ConfigInput = {}): RunConfig {
  const cwd = input.cwd ?? process.cwd();
  const env = input.env ?? process.env;
  const explicit = input.file !== undefined;
  const path = resolve(cwd, input.file ?? DEFAULT_CONFIG_FILE);
  const source = explicit || existsSync(path) ? path : "(no configuration file)";
  const raw = source === path ? readFile(path) : {};

  const problems: string[] = [];
  const data = substitute(raw, env, "", problems) as Record<string, unknown>;
  if (problems.length > 0) throw new ConfigError(problems, source);

  // Environment variables override the file; flags override both (target-contract section 1).
  const target = { ...(data.target as Record<string, unknown> | undefined) };
  if (env.GWS_BASE_URL) target.baseUrl = env.GWS_BASE_URL;
  if (env.GWS_NOTIFICATIONS_URL) target.notificationsUrl = env.GWS_NOTIFICATIONS_URL;
  if (input.flags?.target) target.baseUrl = input.flags.target;
  if (Object.keys(target).length > 0) data.target = target;
  if (env.GWS_PROFILE) data.profile = env.GWS_PROFILE;
  if (input.flags?.profile) data.profile = input.flags.profile;

  const result = schemas().validate("config/config.json", data);
  if (!result.valid) {
    const problems = result.violations.map((v) => `${v.pointer}: ${describeViolation(v)}`);
    // A target with no file to say how to reach it: the starter configuration is one command away.
    const hint =
      source === path ? undefined : `To start one, run \`gws-conformance init\` and fill in ${DEFAULT_CONFIG_FILE}.`;
    throw new ConfigError(problems, source, hint);
  }
  return toRunConfig(data as ConformanceConfig, source, source === path ? dirname(path) : cwd);
}

/** A valid configuration file's content with every default applied; `dir` resolves the waivers file. */
export function toRunConfig(config: ConformanceConfig, source: string, dir: string): RunConfig {
  const baseUrl = config.target?.baseUrl.replace(/\/+$/, "");
  return {
    target: baseUrl
      ? { baseUrl, notificationsUrl: config.target?.notificationsUrl ?? `${baseUrl}/api/v2/notifications` }
      : undefined,
    profile: config.profile ?? "seed",
    accounts: { ...config.accounts } as RunConfig["accounts"],
    resources: {
      queues: config.resources?.queues ?? DEFAULT_RESOURCES.queues,
      workbins: config.resources?.workbins ?? DEFAULT_RESOURCES.workbins,
    },
    provisioning: config.provisioning
      ? { url: config.provisioning.url, headers: { ...config.provisioning.headers } }
      : undefined,
    features: { ...DEFAULT_FEATURES, ...config.features },
    timeouts: { ...DEFAULT_TIMEOUTS, ...config.timeouts },
    explore: { ...DEFAULT_EXPLORE, ...config.explore },
    waivers: config.waivers ? resolve(dir, config.waivers) : undefined,
    source,
  };
}

function describeViolation(v: { keyword: string; message: string; params: Record<string, unknown> }): string {
  switch (v.keyword) {
    case "additionalProperties":
      return `unknown member "${String(v.params.additionalProperty)}".`;
    case "required":
      return `the member "${String(v.params.missingProperty)}" is missing.`;
    case "dependentRequired":
      return `"${String(v.params.property)}" needs "${String(v.params.missingProperty)}" too.`;
    case "enum":
      return `${v.message}: ${(v.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")}.`;
    default:
      return `${v.message}.`;
  }
}
