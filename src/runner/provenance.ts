// report/provenance.json: what a run's evidence was produced with, so that someone else can reproduce it or tell
// two runs apart: the suite's version and git commit, hashes of its schemas and catalog, the configuration with
// every secret removed, the Node version, and the target's own version (GET /api/v2/diagnostics/version, when
// it answers).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { basicAuth } from "../client/basic-auth.js";
import type { TargetConfig } from "../suite/run-context.js";
import { REDACTED, type Redactor } from "./redact.js";

export const PROVENANCE_FILE = "provenance.json";

export interface Provenance {
  suite: { name: string; version: string; commit?: string; dirty?: boolean };
  node: string;
  /** sha256 of schemas/catalog.json, and of every file under schemas/ (path and content, in path order). */
  hashes: { catalog: string; schemas: string };
  profile: string;
  strict: boolean;
  startedAt: string;
  /** The run's configuration, passwords and hook header values replaced by [REDACTED]. */
  config: unknown;
  /** What GET {baseUrl}/api/v2/diagnostics/version answered (GWS documents it), or why there is nothing. */
  targetVersion: { status: number; body?: unknown } | { error: string };
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
}

/** sha256 over every file under `dir`, each as its relative path, a NUL, its content's sha256 and a newline. */
export function treeHash(dir: string): string {
  return sha256(
    files(dir)
      .map((f) => `${relative(dir, f)}\0${sha256(readFileSync(f))}\n`)
      .join(""),
  );
}

/** The suite's git commit and whether its tracked files differ from it; nothing when it is not a git checkout. */
function gitState(root: string): { commit?: string; dirty?: boolean } {
  if (!existsSync(join(root, ".git"))) return {};
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", root, ...args], {
      encoding: "utf8",
      timeout: 5000,
      stdio: ["ignore", "pipe", "ignore"],
    });
  try {
    return {
      commit: git("rev-parse", "HEAD").trim(),
      dirty: git("status", "--porcelain", "--untracked-files=no") !== "",
    };
  } catch {
    return {};
  }
}

/** The configuration as the run used it, every password and hook header value replaced, then redacted again. */
export function withoutSecrets(config: TargetConfig, redactor: Redactor): unknown {
  const hide = <T extends { password: string }>(a: T | undefined) => a && { ...a, password: REDACTED };
  const { agentPool, ...named } = config.accounts;
  const accounts = {
    ...Object.fromEntries(Object.entries(named).map(([role, a]) => [role, hide(a)])),
    ...(agentPool ? { agentPool: agentPool.map(hide) } : {}),
  };
  const provisioning = config.provisioning && {
    url: config.provisioning.url,
    headers: Object.fromEntries(Object.keys(config.provisioning.headers).map((h) => [h, REDACTED])),
  };
  return redactor.value({ ...config, accounts, ...(provisioning ? { provisioning } : {}) });
}

/** GET /api/v2/diagnostics/version as the agent, bounded by the request timeout; never throws. */
async function targetVersion(config: TargetConfig, redactor: Redactor): Promise<Provenance["targetVersion"]> {
  const agent = config.accounts.agent;
  try {
    const answer = await fetch(`${config.target.baseUrl}/api/v2/diagnostics/version`, {
      headers: agent ? { authorization: basicAuth(agent.username, agent.password) } : {},
      signal: AbortSignal.timeout(config.timeouts.requestMs),
    });
    const text = await answer.text();
    let body: unknown = text.slice(0, 2000);
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as (the start of) its text.
    }
    return { status: answer.status, ...(answer.ok ? { body: redactor.value(body) } : {}) };
  } catch (e) {
    return { error: redactor.text(e instanceof Error ? e.message : String(e)) };
  }
}

export async function provenance(
  root: string,
  suite: { name: string; version: string },
  config: TargetConfig,
  redactor: Redactor,
  run: { strict: boolean; startedAt: string },
): Promise<Provenance> {
  return {
    suite: { ...suite, ...gitState(root) },
    node: process.version,
    hashes: {
      catalog: sha256(readFileSync(join(root, "schemas/catalog.json"))),
      schemas: treeHash(join(root, "schemas")),
    },
    profile: config.profile,
    strict: run.strict,
    startedAt: run.startedAt,
    config: withoutSecrets(config, redactor),
    targetVersion: await targetVersion(config, redactor),
  };
}
