// One conformance run: configuration, the embedded reference server when there is no target, preflight, the
// suites under vitest, waivers, verdict and exit code, and the results written as JSON, JUnit XML and CTRF.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { CheckResult, ConformanceResults } from "../generated/schema-types.js";
import { startReferenceServer, type ReferenceServer } from "../reference/server.js";
import { configForServer } from "../reference/target-config.js";
import { workersFor, type TargetConfig } from "../suite/run-context.js";
import { CheckCollector } from "./collect.js";
import {
  ConfigError,
  DEFAULT_EXPLORE,
  loadConfig,
  toRunConfig,
  type ExploreSettings,
  type RunConfig,
} from "./config.js";
import { notificationLatency } from "./latency.js";
import { BaselineError, diffBaseline, loadBaseline, withBaseline } from "./baseline.js";
import { preflight } from "./preflight.js";
import type { ProgressListener } from "./progress.js";
import { provenance } from "./provenance.js";
import { PACKAGE_ROOT, runSuites } from "./suites.js";
import { Redactor } from "./redact.js";
import { writeResults } from "./results-files.js";
import { applyStrict, applyWaivers, EXIT, finish } from "./verdict.js";
import { loadWaivers } from "./waivers.js";

export { applyStrict, applyWaivers, EXIT, finish, warnedClauses, type Base } from "./verdict.js";

export { PACKAGE_ROOT };
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

/**
 * Parallel workers when none are asked for. One: each worker pays about a second of start-up (its own imports),
 * which on a 2-core machine against the in-process server costs more than it saves (bench/RESULTS.md, figure 2);
 * against a remote target, where checks wait on the network, --workers with a pool pays off.
 */
export const DEFAULT_WORKERS = 1;

/**
 * Checks in flight at once per worker. Each works on interactions of its own, and every wait is keyed by
 * interaction id, so they only share the agents' CometD clients; against a remote target the run's length is then
 * set by its longest check, not by the sum of its round trips (bench/RESULTS.md, the latency table).
 */
export const DEFAULT_CONCURRENCY = 64;

export interface RunOptions {
  config?: string;
  target?: string;
  profile?: string;
  /** Check ids or globs ("accept.*"); only those run. */
  only?: string[];
  reportDir?: string;
  /** Suite files run in parallel, each worker with its own two agents (default: DEFAULT_WORKERS, as the pool allows). */
  workers?: number;
  /** Checks in flight at once in each worker (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Preflight lines (default: none). */
  log?: (line: string) => void;
  /** Told of each suite file and check as the run goes (default: none). */
  progress?: ProgressListener;
  /**
   * Decided expectations (AMB-*, the register's choices) are normative too: a check that only warned fails
   * (`gws-conformance run --strict`; default: they warn and the run stays conformant).
   */
  strict?: boolean;
  /** An earlier run's results.json: the results say what changed since, and only a regression exits 1. */
  baseline?: string;
  /** Overrides the configuration's explore section (`gws-conformance explore`). */
  explore?: Partial<ExploreSettings> & { path?: string; replayPath?: string };
}

export interface RunOutcome {
  exitCode: number;
  results?: ConformanceResults;
  /** Set for usage and configuration errors (exit 2), where no results are written. */
  error?: string;
  /** Where the time went (ms): before the suites (server, preflight), test-framework start-up, the checks, the end (waivers, files). */
  timing?: { setupMs: number; startupMs: number; checksMs: number; finishMs: number };
}

/** The embedded reference server's own accounts, hook and features, with the run's profile, timeouts and waivers. */
function embeddedConfig(config: RunConfig, server: ReferenceServer): TargetConfig {
  const own = toRunConfig(configForServer(server, config.profile), config.source, ".") as TargetConfig;
  return { ...own, timeouts: config.timeouts, waivers: config.waivers, explore: config.explore };
}

export async function runConformance(options: RunOptions = {}): Promise<RunOutcome> {
  const log = options.log ?? (() => {});
  const startedAt = new Date();
  const t0 = performance.now();
  let config: RunConfig;
  let waivers;
  let baseline: ConformanceResults | undefined;
  try {
    config = loadConfig({
      file: options.config,
      cwd: options.cwd,
      env: options.env,
      flags: { target: options.target, profile: options.profile },
    });
    waivers = loadWaivers(config.waivers);
    baseline = options.baseline === undefined ? undefined : loadBaseline(options.baseline);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof BaselineError) return { exitCode: EXIT.usage, error: e.message };
    throw e;
  }

  const reportDir = resolve(options.cwd ?? process.cwd(), options.reportDir ?? "report");
  let server: ReferenceServer | undefined;
  const contextDir = mkdtempSync(join(tmpdir(), "gws-conformance-"));
  try {
    let target: TargetConfig;
    let workers: number;
    if (config.target) {
      target = config as TargetConfig;
      const available = workersFor(config.accounts.agentPool?.length ?? 0);
      workers = options.workers ?? DEFAULT_WORKERS;
      if (workers > available) {
        return {
          exitCode: EXIT.usage,
          error: `${workers} workers need ${2 * (workers - 1)} accounts in accounts.agentPool (two agents per worker after the first); it has ${config.accounts.agentPool?.length ?? 0}.`,
        };
      }
    } else {
      workers = options.workers ?? DEFAULT_WORKERS;
      server = await startReferenceServer({ profile: config.profile, agents: 2 * workers });
      target = embeddedConfig(config, server);
      log(`Testing the embedded reference server (${config.profile} profile) at ${server.url}.`);
    }
    const redactor = Redactor.forConfig(target);
    log(`Preflight against ${target.target.baseUrl}:`);
    const steps = await preflight(target, redactor, log, (target.accounts.agentPool ?? []).slice(0, 2 * (workers - 1)));
    const base = {
      suite: { name: "gws-conformance", version: VERSION },
      target: {
        baseUrl: target.target.baseUrl,
        notificationsUrl: target.target.notificationsUrl,
        embedded: server !== undefined,
      },
      profile: target.profile,
      strict: options.strict === true,
      startedAt: startedAt.toISOString(),
      preflight: steps,
    };
    const origin = await provenance(PACKAGE_ROOT, base.suite, target, redactor, base);
    if (steps.some((s) => !s.ok)) {
      const results = finish(
        base,
        [],
        [],
        [],
        startedAt,
        `Preflight failed: ${steps
          .filter((s) => !s.ok)
          .map((s) => s.message)
          .join(" ")}`,
      );
      writeResults(reportDir, results, origin);
      return { exitCode: results.exitCode, results };
    }

    const contextFile = join(contextDir, "context.json");
    const explore = { ...DEFAULT_EXPLORE, ...target.explore, ...options.explore };
    writeFileSync(contextFile, JSON.stringify({ ...target, explore }), { mode: 0o600 });
    const collector = new CheckCollector(options.progress);
    const vitestAt = performance.now();
    await runSuites(contextFile, collector, {
      only: options.only,
      workers,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    });

    const checks: CheckResult[] = collector.checks.map((c) => ({
      id: c.spec.id,
      title: c.spec.title,
      family: c.spec.family,
      ...(c.spec.operation ? { operation: c.spec.operation } : {}),
      requirements: c.spec.requirements,
      ambiguities: c.spec.ambiguities ?? [],
      outcome: c.outcome,
      ...(c.reason ? { reason: redactor.text(c.reason) } : {}),
      expectations: c.expectations.map((e) => ({
        clause: e.clause,
        level: e.level,
        outcome: e.outcome,
        message: redactor.text(e.message),
      })),
      durationMs: c.durationMs,
      evidence: redactor.value(c.evidence),
      ...(c.latencies?.length ? { latencies: c.latencies } : {}),
    }));
    if (options.strict) applyStrict(checks);
    const statuses = applyWaivers(checks, waivers);
    const run = {
      ...finish(
        base,
        checks,
        statuses,
        collector.errors.map((e) => redactor.text(e)),
        startedAt,
      ),
      latency: notificationLatency(checks, target.timeouts.notificationMs),
    };
    const results = baseline ? withBaseline(run, diffBaseline(options.baseline!, baseline, run.checks)) : run;
    writeResults(reportDir, results, origin);
    const first = collector.firstStartedAt ?? vitestAt;
    const last = collector.lastEndedAt ?? first;
    const timing = {
      setupMs: vitestAt - t0,
      startupMs: first - vitestAt,
      checksMs: last - first,
      finishMs: performance.now() - last,
    };
    return {
      exitCode: results.exitCode,
      results,
      timing: Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)])) as RunOutcome["timing"],
    };
  } finally {
    rmSync(contextDir, { recursive: true, force: true });
    await server?.close();
  }
}
