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
  return { exitCode, stdout: child.stdout(), check: results.checks.find((c) => c.id === ID)! };
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
