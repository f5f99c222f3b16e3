// The Artillery engine `gws` (package artillery-engine-gws, whose index.cjs loads this file): each virtual user is
// one agent that drives lifecycles (offered by the hook, Accept, AttachUserData, Complete), fences, and is judged
// by the same code as `gws-conformance load`: every notification exactly once, in state order, to its agent only,
// and REST agreeing. Violations are Artillery counters (gws.violations, gws.violations.<kind>), so `ensure` can
// gate on them and Artillery's own distributed runners scale the load.
import { basicToken } from "../client/basic-auth.js";
import { ConfigError, loadConfig, type Account } from "../runner/config.js";
import { Redactor } from "../runner/redact.js";
import type { TargetConfig } from "../suite/run-context.js";
import { connectAgent, driveLifecycles, fence, newRunId, type Tally } from "./agent.js";
import { AgentSession } from "./http.js";
import { judge, type LoadViolation } from "./judge.js";
import { lifecycle, type Lifecycle } from "./lifecycle.js";
import { agentAccounts, MAX_LIFECYCLES_PER_AGENT } from "./load.js";

/** What the engine reads of Artillery's script (the worker's share of it, in a distributed run). */
export interface ArtilleryScript {
  config?: {
    /** The API base URL (`artillery run --target`), overriding the configuration file's, as --target does. */
    target?: string;
    engines?: { gws?: { config?: string } };
    phases?: { worker?: number; totalWorkers?: number }[];
  };
}
export interface ScenarioSpec {
  name?: string;
  flow?: unknown[];
}
export interface Emitter {
  emit(event: string, ...args: unknown[]): unknown;
}
export type VirtualUser = (context: { vars?: Record<string, unknown> }, ee: Emitter) => Promise<void>;

/** Violations printed in full per process (all are counted). */
const PRINTED = 20;

/** A mistake in the script or the configuration: one sentence, counted by Artillery as errors.<sentence>. */
class ScenarioError extends Error {}

export class GwsEngine {
  private readonly target: TargetConfig | ScenarioError;
  /** This worker's share of the configuration's Agent accounts, for virtual users without a payload account. */
  private readonly free: Account[] = [];
  private printed = 0;
  /** The configuration's secrets, and each payload account's as its virtual user starts. */
  private readonly redactor?: Redactor;

  constructor(script: ArtilleryScript, env: NodeJS.ProcessEnv = process.env) {
    this.target = GwsEngine.targetOf(script, env);
    if (this.target instanceof ScenarioError) return;
    this.redactor = Redactor.forConfig(this.target);
    const phase = script.config?.phases?.[0];
    const [worker, workers] = [phase?.worker ?? 1, phase?.totalWorkers ?? 1];
    this.free = agentAccounts(this.target).filter((_, i) => i % workers === worker - 1);
  }

  private static targetOf(script: ArtilleryScript, env: NodeJS.ProcessEnv): TargetConfig | ScenarioError {
    const file = script.config?.engines?.gws?.config ?? env.GWS_CONFIG;
    try {
      const config = loadConfig({ file, env, flags: { target: script.config?.target } });
      if (!config.target)
        return new ScenarioError(
          "The gws engine needs a target: set GWS_CONFIG (or config.engines.gws.config) to a gws-conformance configuration file.",
        );
      if (!config.provisioning)
        return new ScenarioError(
          "The gws engine needs the provisioning hook (provisioning.url) to offer interactions.",
        );
      return config as TargetConfig;
    } catch (e) {
      if (e instanceof ConfigError) return new ScenarioError(e.message.replace(/\s+/g, " "));
      throw e;
    }
  }

  /** The scenario's virtual user; a bad flow fails every one of them with the same sentence. */
  scenario(spec: ScenarioSpec): VirtualUser {
    const counts = (spec.flow ?? []).map((step) => {
      const n = (step as { lifecycles?: unknown } | null)?.lifecycles;
      return Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_LIFECYCLES_PER_AGENT
        ? (n as number)
        : undefined;
    });
    const bad =
      counts.length === 0 || counts.includes(undefined)
        ? new ScenarioError(
            `Scenario ${spec.name ?? "(unnamed)"}: every flow step must be { lifecycles: N } with N from 1 to ${MAX_LIFECYCLES_PER_AGENT}.`,
          )
        : undefined;
    return async (context, ee) => {
      try {
        if (this.target instanceof ScenarioError) throw this.target;
        if (bad) throw bad;
        await this.virtualUser(this.target, counts as number[], context.vars ?? {}, ee);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        ee.emit("error", e.message);
        throw e;
      }
    };
  }

  private async virtualUser(config: TargetConfig, counts: number[], vars: Record<string, unknown>, ee: Emitter) {
    const redactor = this.redactor!;
    const fromPayload = typeof vars.username === "string" && typeof vars.password === "string";
    const account = fromPayload
      ? { username: vars.username as string, password: vars.password as string }
      : this.take();
    if (fromPayload) {
      redactor.add(account.password);
      redactor.add(basicToken(account.username, account.password));
    }
    try {
      const client = await connectAgent(config, account).catch((e: Error) => {
        throw new ScenarioError(redactor.text(`${account.username} could not connect to CometD: ${e.message}`));
      });
      const session = new AgentSession(account, config);
      const runId = newRunId();
      const steps = lifecycle(config, runId);
      const started = performance.now();
      const lifecycles: Lifecycle[] = [];
      const report = (v: LoadViolation) => {
        ee.emit("counter", "gws.violations", 1);
        ee.emit("counter", `gws.violations.${v.kind}`, 1);
        if (this.printed++ < PRINTED) console.error(redactor.text(`gws violation (${v.kind}): ${v.message}`));
      };
      const tally: Tally = {
        operation: () => ee.emit("counter", "gws.requests", 1),
        latency: (ms) => ee.emit("histogram", "gws.notification_latency", ms),
        lifecycle: (record) => {
          lifecycles.push(record);
          ee.emit("counter", "gws.lifecycles", 1);
        },
        violation: report,
      };
      try {
        let first = 0;
        for (const count of counts)
          first += await driveLifecycles({
            ...{ config, session, client, steps, runId, first, count, tally },
            deadline: Number.POSITIVE_INFINITY,
          });
        const late = await fence(config, session, client, runId);
        if (late) report(late);
        for (const v of judge(lifecycles, [account], [client], steps, started)) report(v);
        // Present even when nothing was wrong, so that `ensure` can compare it with 0.
        ee.emit("counter", "gws.violations", 0);
        ee.emit("counter", "gws.notifications", client.received.length);
        for (const ms of session.httpMs) ee.emit("histogram", "gws.http_response_time", ms);
      } finally {
        await client.disconnect();
      }
    } finally {
      if (!fromPayload) this.free.push(account);
    }
  }

  private take(): Account {
    const account = this.free.shift();
    if (!account)
      throw new ScenarioError(
        "Every Agent account of this worker is busy: give more in accounts.agentPool, or a payload with username and password.",
      );
    return account;
  }
}
