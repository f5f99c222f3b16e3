// The package as a user gets it: `npm pack`, `npm install <tarball>` into an empty folder, then the two commands
// from there. A file the commands need but package.json's "files" leaves out, or a runtime dependency listed as
// a devDependency, fails here.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConformanceResults } from "../src/generated/schema-types.js";
import { basic } from "./support/reference.js";
import { ROOT, start, type Running } from "./support/process.js";

const INSTALL_WITHIN = 300_000;
// npm's own variables (set when the tests run under `npm test`) would point the nested npm at this project.
// Each command runs as `npx --no -- NAME ...`: the installed bin or a failure, never a download, and every
// argument after `--` goes to the command, not to npx.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

/** Runs a command to its end; rejects with its stderr (and its stdout's end) when it fails or outlives `within`. */
async function sh(command: string, args: string[], cwd: string, within: number): Promise<Running> {
  const running = start(command, args, { cwd, env, label: `${command} ${args.join(" ")}` });
  const code = await running.exited(within);
  if (code !== 0)
    throw new Error(
      `${command} ${args.join(" ")} exited ${code}. stderr: ${running.stderr().trim()} stdout: ${running.stdout().trim().slice(-1000)}`,
    );
  return running;
}

let work: string;
let app: string;
/** What `npm pack --json` says it packed. */
let packed: { filename: string; files: { path: string }[] };
let server: Running | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "gws-package-"));
  const pack = await sh("npm", ["pack", "--json", "--pack-destination", work], ROOT, 60_000);
  [packed] = JSON.parse(pack.stdout()) as [typeof packed];
  app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  await sh("npm", ["install", "--no-audit", "--no-fund", join(work, packed.filename)], app, INSTALL_WITHIN);
}, INSTALL_WITHIN + 60_000);

/** Signals npx and the server it started (its process group). */
const signal = (running: Running, name: NodeJS.Signals) => process.kill(-running.child.pid!, name);

afterEach(async () => {
  if (server && !server.child.stdout.closed) {
    signal(server, "SIGKILL");
    await server.closed();
  }
  server = undefined;
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed and installed package", () => {
  it("holds the commands, the suites and the schemas, and none of the project's own tests or generators", () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of [
      "bin/gws-conformance.mjs",
      "bin/gws-reference-server.mjs",
      "suites/operations.suite.ts",
      "schemas/config/config.json",
      "src/runner/run.ts",
    ]) {
      expect(paths, `the package lacks ${needed}`).toContain(needed);
    }
    expect(paths.filter((p) => /^(test|src\/gen)\//.test(p))).toEqual([]);
  });

  it("runs `gws-conformance run` against the embedded reference server: exit 0 and report/results.json", async () => {
    const run = await sh(
      "npx",
      ["--no", "--", "gws-conformance", "run", "--quiet", "--only", "accept.*"],
      app,
      120_000,
    );
    expect(run.stdout()).toMatch(/^Verdict: conformant/);
    const results = JSON.parse(readFileSync(join(app, "report", "results.json"), "utf8")) as ConformanceResults;
    expect(results.verdict).toBe("conformant");
    expect(results.checks.filter((c) => c.outcome === "passed").length).toBeGreaterThan(5);
    expect(existsSync(join(app, "report", "ctrf.json")), "the run wrote no report/ctrf.json").toBe(true);
  }, 150_000);

  it("prints `gws-conformance --help`", async () => {
    const help = await sh("npx", ["--no", "--", "gws-conformance", "--help"], app, 60_000);
    expect(help.stdout()).toMatch(/Usage: gws-conformance/);
    expect(help.stdout()).toMatch(/run \[options\]/);
  }, 90_000);

  it("starts `gws-reference-server --port 0`, answers a request, and stops on SIGTERM", async () => {
    server = start("npx", ["--no", "--", "gws-reference-server", "--port", "0"], {
      cwd: app,
      env,
      label: "npx gws-reference-server",
      detached: true,
    });
    const [, url] = await server.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    const [, password] = await server.waitForOutput(/agent1 .* password (\S+)/);
    const res = await fetch(`${url}/api/v2/me/interactions`, {
      headers: { authorization: basic("agent1", password!) },
    });
    expect(res.status, server.stderr()).toBe(200);
    signal(server, "SIGTERM");
    // The output closes when npx and the server have both ended; then nothing listens any more.
    await server.closed(30_000);
    await expect(fetch(url!), "the server still answers after SIGTERM").rejects.toThrow();
  }, 90_000);
});
