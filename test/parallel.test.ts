// Parallel runs (issue 7): accounts.agentPool gives each vitest worker two agents of its own, the reference
// server creates as many agents as asked, and asking for more workers than the pool allows is a usage error.
import { describe, expect, it } from "vitest";
import { withAgents } from "../src/reference/accounts.js";
import { startReferenceServer } from "../src/reference/server.js";
import { configForServer } from "../src/reference/target-config.js";
import { forWorker, workersFor, type TargetConfig } from "../src/suite/run-context.js";
import { configFor, runCli } from "./support/conformance.js";

const account = (username: string) => ({ username, password: `${username}-pw` });

describe("agents per worker", () => {
  const config = {
    accounts: {
      agent: account("a1"),
      agent2: account("a2"),
      admin: account("boss"),
      agentPool: ["p1", "p2", "p3", "p4"].map(account),
    },
  } as unknown as TargetConfig;

  it("gives worker 1 agent and agent2, and worker k the (k-1)th pair of the pool", () => {
    expect(forWorker(config, 1)).toBe(config);
    const w2 = forWorker(config, 2).accounts;
    const w3 = forWorker(config, 3).accounts;
    expect([w2.agent!.username, w2.agent2!.username, w2.admin!.username]).toEqual(["p1", "p2", "boss"]);
    expect([w3.agent!.username, w3.agent2!.username]).toEqual(["p3", "p4"]);
    expect(workersFor(4)).toBe(3);
  });

  it("refuses a worker the pool has no pair for", () => {
    expect(() => forWorker(config, 4)).toThrow(
      "Worker 4 has no agents of its own: accounts.agentPool holds 4 account(s), enough for 3 worker(s).",
    );
  });
});

describe("the reference server's agents", () => {
  it("creates agent1 ... agentN with the Agent role, and offers the extra ones as the pool", async () => {
    const server = await startReferenceServer({ agents: 5 });
    try {
      const agents = server.accounts.filter((a) => a.roles.includes("Agent")).map((a) => a.username);
      expect(agents).toEqual(["agent1", "agent2", "agent3", "agent4", "agent5"]);
      expect(configForServer(server).accounts.agentPool?.map((a) => a.username)).toEqual([
        "agent3",
        "agent4",
        "agent5",
      ]);
    } finally {
      await server.close();
    }
  });

  it("refuses a number of agents that is not a whole number from 1", () => {
    expect(() => withAgents([], 0)).toThrow("The number of agents must be a whole number from 1 to 10000.");
    expect(() => withAgents([], 2.5)).toThrow("whole number");
  });
});

describe("gws-conformance run --workers", () => {
  it("runs suite files side by side, each worker provisioning for its own agent", async () => {
    const server = await startReferenceServer({ profile: "gws", agents: 4 });
    try {
      const run = await runCli(
        ["--workers", "2", "--only", "accept.*,reject.*,complete.*,lists.*,lifecycle.*"],
        configFor(server),
      );
      expect(run.exitCode, run.stdout.slice(-2000) + run.stderr).toBe(0);
      // The hook names the agent that gets each interaction: both workers' first agents must appear (a fence for
      // the second agent may appear too), and no agent outside the two workers' pairs.
      const provisionedFor = new Set(
        run.results!.checks.flatMap((c) =>
          c.evidence.exchanges
            .filter((x) => x.url.endsWith("/test-hooks/interactions"))
            .map((x) => (x.requestBody as { agent: string }).agent),
        ),
      );
      expect([...provisionedFor]).toEqual(expect.arrayContaining(["agent1", "agent3"]));
      expect([...provisionedFor].filter((a) => !["agent1", "agent2", "agent3", "agent4"].includes(a))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("refuses more workers than accounts.agentPool has agents for, before sending anything", async () => {
    const server = await startReferenceServer({ agents: 4 });
    try {
      const run = await runCli(["--workers", "3"], configFor(server));
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(
        "3 workers need 4 accounts in accounts.agentPool (two agents per worker after the first); it has 2.",
      );
      expect(run.results).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("names a pool account the workers would use that does not authenticate, before any check", async () => {
    const server = await startReferenceServer({ agents: 4 });
    try {
      const config = configFor(server) as { accounts: { agentPool: { password: string }[] } };
      config.accounts.agentPool[1]!.password = "wrong";
      const run = await runCli(["--workers", "2"], config as unknown as Record<string, unknown>);
      expect(run.exitCode).toBe(3);
      expect(run.stdout).toContain(
        "accounts.agentPool[1] (agent4) cannot GET /api/v2/me/interactions (HTTP 401); check its password and that it holds the Agent role.",
      );
      expect(run.results!.checks).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("refuses a worker count that is not a whole number", async () => {
    const run = await runCli(["--workers", "0"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("it must be a whole number from 1 to 64.");
  });
});

describe("gws-conformance run --concurrency", () => {
  it("refuses a bound that is not a whole number from 1 to 256, in one sentence", async () => {
    for (const bad of ["0", "257", "x"]) {
      const run = await runCli(["--concurrency", bad]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain("it must be a whole number from 1 to 256.");
      expect(run.results).toBeUndefined();
    }
  });

  it("gives the same outcomes one check at a time as side by side", async () => {
    const only = ["--only", "accept.*,lifecycle.*"];
    const [one, many] = [await runCli([...only, "--concurrency", "1"]), await runCli(only)];
    expect(one.exitCode, one.stderr).toBe(0);
    const outcomes = (r: typeof one) => r.results!.checks.map((c) => `${c.id} ${c.outcome}`).sort();
    expect(outcomes(one)).toEqual(outcomes(many));
    expect(outcomes(one).length).toBeGreaterThan(10);
  });
});
