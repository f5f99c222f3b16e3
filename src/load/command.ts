// `gws-conformance load --agents N --duration S`: load conformance against the configured target, or against
// the embedded reference server started with N agents. Prints the figures and every violation (the first ones
// in full), writes load.json, and exits 0 (no violation), 1 (violations), 2 (usage) or 3 (could not start).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnReferenceServer, type SpawnedServer } from "../reference/spawn.js";
import { ConfigError, loadConfig, toRunConfig } from "../runner/config.js";
import { Redactor } from "../runner/redact.js";
import { EXIT } from "../runner/run.js";
import type { TargetConfig } from "../suite/run-context.js";
import { agentAccounts, LoadCannotStart, runLoad, type LoadReport } from "./load.js";

export interface LoadCommandOptions {
  config?: string;
  target?: string;
  profile?: string;
  agents: number;
  durationSeconds: number;
  reportDir: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The summary. */
  log: (line: string) => void;
  /** Progress while it runs (none with --quiet). */
  progress?: (line: string) => void;
  error: (line: string) => void;
}

/** Shown in full on the terminal; load.json lists up to 200. */
const PRINTED = 20;

export async function loadCommand(options: LoadCommandOptions): Promise<number> {
  let server: SpawnedServer | undefined;
  try {
    const config = loadConfig({
      file: options.config,
      cwd: options.cwd,
      env: options.env,
      flags: { target: options.target, profile: options.profile },
    });
    let target: TargetConfig;
    if (config.target) {
      target = config as TargetConfig;
      const available = agentAccounts(target).length;
      if (available < options.agents) {
        options.error(
          `gws-conformance: --agents ${options.agents} needs ${options.agents} Agent accounts; the configuration gives ${available} (agent, agent2 and accounts.agentPool).`,
        );
        return EXIT.usage;
      }
    } else {
      // The reference server gets a process (and a core) of its own, as a real target would.
      options.progress?.(
        `Starting the reference server (${config.profile} profile) with ${Math.max(2, options.agents)} agents ...`,
      );
      server = await spawnReferenceServer({ profile: config.profile, agents: Math.max(2, options.agents) });
      target = { ...(toRunConfig(server.config, config.source, ".") as TargetConfig), timeouts: config.timeouts };
    }
    const redactor = Redactor.forConfig(target);
    const report = await runLoad({
      config: target,
      agents: options.agents,
      durationMs: options.durationSeconds * 1000,
      log: (l) => options.progress?.(redactor.text(l)),
    });
    const dir = resolve(options.cwd ?? process.cwd(), options.reportDir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "load.json"),
      `${JSON.stringify(redactor.value({ ...report, embedded: server !== undefined }), null, 2)}\n`,
    );
    for (const line of summary(report, server !== undefined)) options.log(redactor.text(line));
    options.log(`  Report: ${join(options.reportDir, "load.json")}`);
    return report.violationCount === 0 ? EXIT.conformant : EXIT.nonConformant;
  } catch (e) {
    if (e instanceof ConfigError) {
      options.error(`gws-conformance: ${e.message}`);
      return EXIT.usage;
    }
    if (e instanceof LoadCannotStart) {
      options.error(`gws-conformance: ${e.message}`);
      return EXIT.preflight;
    }
    throw e;
  } finally {
    await server?.stop();
  }
}

export function summary(r: LoadReport, embedded: boolean): string[] {
  const l = r.notificationLatencyMs;
  const kinds = Object.entries(r.byKind)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  return [
    `Load: ${r.agents} agents for ${(r.durationMs / 1000).toFixed(1)} s against ${r.target} (${r.profile} profile${embedded ? ", embedded reference server" : ""})`,
    `  ${r.lifecycles} lifecycles (${r.throughput.lifecyclesPerSecond}/s), ${r.operations} requests (${r.throughput.operationsPerSecond}/s), ${r.notifications} notifications received`,
    `  notification latency after the HTTP answer: p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms (${l.beforeAnswer} arrived before the answer)`,
    `  HTTP: p50 ${r.httpMs.p50} ms, p99 ${r.httpMs.p99} ms, max ${r.httpMs.max} ms`,
    r.violationCount === 0
      ? "  0 violations: every notification arrived exactly once, to its agent only, in state order, and REST agreed."
      : `  ${r.violationCount} violations: ${kinds}`,
    ...r.violations.slice(0, PRINTED).map((v) => `    ${v.kind.padEnd(13)} ${v.message}`),
    ...(r.violationCount > PRINTED
      ? [`    ... and ${r.violationCount - PRINTED} more (load.json lists ${Math.min(r.violations.length, 200)})`]
      : []),
  ];
}
