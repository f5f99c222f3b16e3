// The explorer (issue 23) as a user meets it: the default run's explore family finds a data-fidelity bug no fixed
// check meets, shrinks it to a short sequence, draws the same sequence again from the same seed, and the one line it
// prints replays exactly that sequence; `gws-conformance explore` refuses bad flags in one sentence.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult, ConformanceResults } from "../src/generated/schema-types.js";
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from "../src/reference/server.js";
import { configFor, runCli } from "./support/conformance.js";
import { run } from "./support/process.js";

const ID = "explore.sequences";
const noteOf = (c: CheckResult, start: string) => c.evidence.notes.find((n) => n.startsWith(start)) ?? "";

/** `gws-conformance explore ARGS` against the configuration `config`; its exit code and the explore check. */
async function explore(args: string[], config: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), "gws-explore-"));
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  const child = run("gws-conformance.mjs", [
    "explore",
    "--config",
    join(dir, "config.json"),
    "--report-dir",
    join(dir, "report"),
    ...args,
  ]);
  const exitCode = await child.exited(120_000);
  const results = JSON.parse(readFileSync(join(dir, "report", "results.json"), "utf8")) as ConformanceResults;
  return { exitCode, stdout: child.stdout(), stderr: child.stderr(), check: results.checks.find((c) => c.id === ID)! };
}

/** Runs `body` against a reference server started with `options`, and stops the server whatever happens. */
async function withServer(options: ReferenceServerOptions, body: (server: ReferenceServer) => Promise<void>) {
  const server = await startReferenceServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** Each named check (suites/explore-named.suite.ts) and a mutant that breaks what it names. */
const NAMED: [string, string[]][] = [
  ["userdata-latin1", ["userdata.kinds.unicode-text"]],
  ["userdata-control-stripped", ["userdata.kinds.escapes"]],
  ["userdata-empty-string-removes", ["userdata.kinds.empty-string"]],
  ["userdata-varchar-255", ["userdata.kinds.long-string"]],
  ["userdata-numbers-as-text", ["userdata.kinds.integers", "userdata.kinds.decimals"]],
  ["userdata-null-removes", ["userdata.kinds.null"]],
  ["userdata-nested-as-text", ["userdata.kinds.nested-object"]],
  ["userdata-twenty-keys", ["userdata.kinds.many-keys"]],
  ["userdata-keys-case-insensitive", ["userdata.kinds.near-keys"]],
  ["workbin-content-userdata-stale", ["userdata.workbin-content"]],
  ["accept-twice-in-flight", ["concurrency.accept-twice"]],
  ["release-twice-in-flight", ["concurrency.complete-twice"]],
  ["userdata-lost-update", ["concurrency.attach-twice"]],
  ["userdata-notify-stale", ["concurrency.attach-twice"]],
];

/**
 * The named checks a run includes: the kinds, the pairs in flight, and `checks`. A mutant's run adds
 * userdata.workbin-content only for the workbin mutant: its reads would add load to the others, where two requests
 * in flight must arrive within the concurrency mutants' 50 ms store round trip.
 */
const namedFor = (checks: string[]) => ["userdata.kinds.*", "concurrency.*", ...checks].join(",");

describe("the named checks of what the explorer finds", () => {
  it("pass on the reference server", async () => {
    await withServer({}, async (server) => {
      const ids = NAMED.flatMap(([, checks]) => checks);
      const r = await runCli(["--only", namedFor(ids)], configFor(server));
      for (const id of new Set(ids)) expect(r.check(id).outcome, r.check(id).reason).toBe("passed");
    });
  }, 60_000);

  it.each(NAMED)(
    "%s fails %j and no other of them",
    async (mutant, checks) => {
      await withServer({ mutant }, async (server) => {
        const r = await runCli(["--only", namedFor(checks)], configFor(server));
        const failed = r.results!.checks.filter((c) => c.outcome === "failed").map((c) => c.id);
        expect(failed.sort()).toEqual([...checks].sort());
      });
    },
    60_000,
  );
});

describe("the explore family", () => {
  it("finds a store that mangles text beyond Latin-1, shrinks it to at most 6 steps, the same again from the same seed, and replays it", async () => {
    await withServer({ mutant: "userdata-latin1" }, async (server) => {
      const config = configFor(server);
      const [first, second] = [
        await runCli(["--only", "explore.*"], config),
        await runCli(["--only", "explore.*"], config),
      ];
      const found = first.check(ID);
      expect(found.outcome).toBe("failed");
      expect(found.expectations.find((e) => e.outcome === "failed")?.clause).toBe("FACT-USERDATA");
      const shrunk = noteOf(found, "Shrunk to ");
      expect(Number(/^Shrunk to (\d+) steps/.exec(shrunk)?.[1])).toBeLessThanOrEqual(6);
      // Same seed, same sequences: the second run shrinks to the very same steps.
      expect(noteOf(second.check(ID), "Shrunk to ")).toBe(shrunk);
      // The evidence is the shrunk sequence's own requests, as replayed.
      expect(found.evidence.exchanges.some((x) => x.method === "POST" && x.url.includes("/me/interactions/"))).toBe(
        true,
      );

      const line = noteOf(found, "Replay: ");
      const [, seed, path, replayPath] = /--seed (\d+) --path (\S+) --replay-path (\S+)$/.exec(line)!;
      const replayed = await explore(["--seed", seed!, "--path", path!, "--replay-path", replayPath!], config);
      expect(replayed.exitCode, replayed.stdout).toBe(1);
      expect(noteOf(replayed.check, "Shrunk to ")).toBe(shrunk);
      expect(replayed.stdout).toContain(shrunk);
    });
  }, 180_000);

  it("leaves the reference server conformant, saying how much it explored", async () => {
    await withServer({}, async (server) => {
      const { exitCode, check, stdout } = await explore(["--seed", "5", "--budget", "2s"], configFor(server));
      expect(exitCode).toBe(0);
      expect(check.outcome).toBe("passed");
      expect(noteOf(check, "Seed 5: ")).toMatch(
        /^Seed 5: \d+ sequences, \d+ commands in [\d.]+ s \(\d+ commands\/s\)\.$/,
      );
      expect(stdout).toContain("Exploring with seed 5 for at most 2 s.");
    });
  }, 60_000);

  it("transfers only to an agent the configuration names as a Transfer needs (accounts.agent without id and uri)", async () => {
    await withServer({}, async (server) => {
      const config = configFor(server) as { accounts: Record<string, Record<string, unknown>> };
      delete config.accounts.agent!.id;
      delete config.accounts.agent!.uri;
      const { exitCode, check } = await explore(["--seed", "23", "--sequences", "20"], config);
      expect(check.outcome, check.reason).toBe("passed");
      expect(exitCode).toBe(0);
    });
  }, 60_000);

  it("finds two Accepts of one invitation in flight at once that no serial order explains, shrunk to the group itself", async () => {
    await withServer({ mutant: "accept-twice-in-flight" }, async (server) => {
      const found = (await runCli(["--only", "explore.*"], configFor(server))).check(ID);
      expect(found.outcome).toBe("failed");
      // Both performed breaks REQ-ACCEPT-1; the state a late write leaves behind breaks FACT-STATES.
      expect(["REQ-ACCEPT-1", "FACT-STATES"]).toContain(found.expectations.find((e) => e.outcome === "failed")?.clause);
      expect(noteOf(found, "Shrunk to ")).toMatch(
        /^Shrunk to 2 steps: provision\(agent\); race\(agent2?\.Accept\(#\d\) \| agent2?\.Accept\(#\d\)\)$/,
      );
      expect(found.reason).toMatch(/ at once\b.*no serial order (gives that|of the group leaves it so)/);
    });
  }, 120_000);

  it("tells a long search's progress as it goes", async () => {
    await withServer({}, async (server) => {
      const { exitCode, stderr } = await explore(["--seed", "7", "--budget", "6s"], configFor(server));
      expect(exitCode).toBe(0);
      expect(stderr).toMatch(/^ {2}explore: 5 s of 6 s, \d+ sequences, \d+ commands \(\d+\/s\), no failure yet$/m);
    });
  }, 60_000);

  it.each([
    [
      ["--path", "1:2"],
      /^gws-conformance: a replay needs the --seed, --path and --replay-path that the failure printed\.$/m,
    ],
    [["--budget", "5x"], /argument '5x' is invalid\. it must be a duration from 1s to 24h, e.g\. 90s, 10m or 1h\./],
    [["--seed", "-3"], /it must be a whole number from 0 to 2147483647, or random\./],
  ])("refuses %j in one sentence, with exit 2", async (args, message) => {
    const child = run("gws-conformance.mjs", ["explore", ...args]);
    expect(await child.exited(20_000)).toBe(2);
    expect(child.stderr()).toMatch(message);
  });
});
