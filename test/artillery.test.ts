// Load conformance on Artillery (issue 15): `artillery run` of examples/artillery/gws-load.yml, whose virtual users
// are agents of the `gws` engine, finds 0 violations with 200 agents on the reference server, reports the drop of
// a server that loses 1 notification in 1000 as Artillery counters and fails its `ensure` check, and counts a
// configuration it cannot use as one sentence per virtual user. The example is its own package (Artillery is
// 970 packages): the first run installs it from its lock file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startReferenceServer, type ReferenceServer } from "../src/reference/server.js";
import { configFor } from "./support/conformance.js";
import { ROOT, start } from "./support/process.js";

const EXAMPLE = join(ROOT, "examples", "artillery");
const ARTILLERY = join(EXAMPLE, "node_modules", ".bin", "artillery");
/** One run: Artillery's start-up, the 200 agents' 1000 lifecycles, and its telemetry's retries at exit offline. */
const RUN_MS = 90_000;

interface Outcome {
  exitCode: number | null;
  output: string;
  counters: Record<string, number>;
  summaries: Record<string, { count: number }>;
}

/** `artillery run` of `script` (the example, or a variant of it written next to its payload) with GWS_CONFIG. */
async function artillery(script: string, config: string, target?: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "gws-artillery-"));
  const output = join(dir, "report.json");
  const child = start(ARTILLERY, ["run", ...(target ? ["--target", target] : []), "--output", output, script], {
    cwd: EXAMPLE,
    env: { ...process.env, GWS_CONFIG: config },
    label: "artillery run",
  });
  const exitCode = await child.exited(RUN_MS);
  const aggregate = existsSync(output)
    ? (JSON.parse(readFileSync(output, "utf8")) as { aggregate: Omit<Outcome, "exitCode" | "output"> }).aggregate
    : { counters: {}, summaries: {} };
  return { exitCode, output: child.stdout() + child.stderr(), ...aggregate };
}

/** The server's configuration in a file, as GWS_CONFIG names it; `pool: false` leaves out accounts.agentPool. */
function configFile(server: ReferenceServer, pool = true): { path: string; passwords: string[] } {
  const config = configFor(server) as { accounts: Record<string, unknown> };
  if (!pool) delete config.accounts.agentPool;
  const path = join(mkdtempSync(join(tmpdir(), "gws-artillery-config-")), "gws.json");
  writeFileSync(path, JSON.stringify(config));
  const accounts = Object.values(config.accounts).flat() as { password?: string }[];
  return { path, passwords: accounts.map((a) => a.password!).filter(Boolean) };
}

beforeAll(async () => {
  if (existsSync(ARTILLERY)) return;
  console.log("Installing examples/artillery from its lock file (the first run only) ...");
  const npm = start("npm", ["ci", "--no-audit", "--no-fund"], { cwd: EXAMPLE, env: process.env, label: "npm ci" });
  const code = await npm.exited(300_000);
  if (code !== 0) throw new Error(`npm ci in examples/artillery failed (${code}): ${npm.stderr().slice(-500)}`);
}, 310_000);

describe("artillery run examples/artillery/gws-load.yml", () => {
  it(
    "200 agents on the reference server: 0 violations, and ensure passes",
    async () => {
      const server = await startReferenceServer({ profile: "gws", agents: 200 });
      try {
        const config = configFile(server);
        const run = await artillery("gws-load.yml", config.path, server.url);
        console.log(
          run.output
            .slice(run.output.indexOf("Summary report"))
            .split("\n")
            .filter((l) => /^(gws\.|vusers\.(completed|failed)|ok:|fail:)/.test(l))
            .join("\n"),
        );
        expect(run.exitCode, run.output).toBe(0);
        expect(run.counters["vusers.completed"]).toBe(200);
        expect(run.counters["vusers.failed"]).toBe(0);
        expect(run.counters["gws.lifecycles"]).toBe(1000);
        // Hook, Accept, AttachUserData, GET, Complete per lifecycle.
        expect(run.counters["gws.requests"]).toBe(5000);
        expect(run.counters["gws.violations"]).toBe(0);
        // Four notifications per lifecycle and the fence's invitation per agent, and perhaps the fence's removal.
        expect(run.counters["gws.notifications"]).toBeGreaterThanOrEqual(4 * 1000 + 200);
        expect(run.counters["gws.notifications"]).toBeLessThanOrEqual(4 * 1000 + 2 * 200);
        expect(run.summaries["gws.notification_latency"]!.count).toBe(4000);
        expect(run.output).toContain("ok: gws.violations == 0");
        for (const p of config.passwords) expect(run.output).not.toContain(p);
      } finally {
        await server.close();
      }
    },
    RUN_MS + 10_000,
  );

  it(
    "a server that drops 1 notification in 1000: missing counted, ensure fails, with accounts from a payload",
    async () => {
      const server = await startReferenceServer({ profile: "gws", agents: 200, mutant: "drop-one-in-1000" });
      try {
        // Two Agent accounts in the configuration: the 200 virtual users can only all run on the payload's accounts.
        const config = configFile(server, false);
        // The same scenario, its accounts given as Artillery's payload (which it splits between its workers).
        const dir = mkdtempSync(join(tmpdir(), "gws-artillery-payload-"));
        const users = Array.from({ length: 200 }, (_, i) =>
          server.accounts.find((a) => a.username === `agent${i + 1}`)!,
        );
        writeFileSync(join(dir, "agents.csv"), users.map((a) => `${a.username},${a.password}`).join("\n"));
        const script = parse(readFileSync(join(EXAMPLE, "gws-load.yml"), "utf8")) as {
          config: Record<string, unknown>;
        };
        script.config.payload = { path: "agents.csv", fields: ["username", "password"], order: "sequence" };
        writeFileSync(join(dir, "gws-load.yml"), stringify(script));
        const run = await artillery(join(dir, "gws-load.yml"), config.path, server.url);
        expect(run.exitCode, run.output).toBe(1);
        expect(run.counters["vusers.completed"]).toBe(200);
        expect(run.output).toContain("fail: gws.violations == 0");
        const notifications = run.counters["gws.notifications"]!;
        const lost = (run.counters["gws.violations.missing"] ?? 0) + (run.counters["gws.violations.fence"] ?? 0);
        // As in test/load.test.ts: every 1000th delivery is lost, and a drop among the fence's removals is not judged.
        expect(lost).toBeGreaterThanOrEqual(Math.floor((notifications - 2 * 200) / 1000));
        expect(lost).toBeLessThanOrEqual(Math.floor((notifications + lost + 2 * 200) / 1000));
        expect(run.counters["gws.violations"]).toBe(lost);
        expect(run.output).toMatch(/gws violation \(missing\): \S+ of agent\d+: 1 \w+ notification\(s\) never arrived/);
        for (const p of config.passwords) expect(run.output).not.toContain(p);
        for (const a of users) expect(run.output).not.toContain(a.password);
      } finally {
        await server.close();
      }
    },
    RUN_MS + 10_000,
  );

  it(
    "a configuration it cannot use fails every virtual user with one sentence, and sends nothing",
    async () => {
      const missing = join(tmpdir(), "gws-artillery-no-such-config.json");
      const run = await artillery("gws-load.yml", missing);
      expect(run.exitCode).toBe(1);
      expect(run.counters["vusers.failed"]).toBe(200);
      const errors = Object.keys(run.counters).filter((k) => k.startsWith("errors."));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(missing);
      expect(run.counters["gws.requests"]).toBeUndefined();
      expect(run.output).toContain("fail: vusers.failed == 0");
    },
    RUN_MS + 10_000,
  );
});
