// `gws-conformance init` (issue 15): a starter configuration and waivers file, written without a question,
// never over an existing file, that run as they are once the environment gives their ${ENV} references.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startReferenceServer } from "../src/reference/server.js";
import { loadConfig } from "../src/runner/config.js";
import { loadWaivers } from "../src/runner/waivers.js";
import { runCli } from "./support/conformance.js";
import { run } from "./support/process.js";

const CONFIG = "gws-conformance.config.json";
const WAIVERS = "gws-conformance.waivers.json";

async function init(...args: string[]) {
  const child = run("gws-conformance.mjs", ["init", ...args], {});
  const exitCode = await child.exited(30_000);
  return { exitCode, stdout: child.stdout(), stderr: child.stderr() };
}

describe("gws-conformance init", () => {
  it("writes a starter configuration and waivers file, and then refuses to overwrite them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gws-init-"));
    const first = await init("--dir", dir);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`Wrote ${join(dir, CONFIG)}`);
    const config = readFileSync(join(dir, CONFIG), "utf8");
    const waivers = readFileSync(join(dir, WAIVERS), "utf8");
    expect(JSON.parse(config)).toMatchObject({ profile: "gws", waivers: WAIVERS });
    expect(config).toContain("${GWS_AGENT_PASSWORD}");
    expect(loadWaivers(join(dir, WAIVERS))).toEqual([]);

    writeFileSync(join(dir, WAIVERS), "{}");
    const again = await init("--dir", dir, "--profile", "seed");
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already exist; init overwrites nothing\.\n$/);
    expect(readFileSync(join(dir, CONFIG), "utf8")).toBe(config);
    expect(readFileSync(join(dir, WAIVERS), "utf8")).toBe("{}");
    expect(waivers).toContain('"waivers": []');
  });

  it("writes a configuration that runs once the environment fills it in", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gws-init-"));
    expect((await init("--dir", dir, "--profile", "seed")).exitCode).toBe(0);
    // The user's own edit: this server's admin account is called admin, not ccadmin.
    const file = join(dir, CONFIG);
    writeFileSync(file, readFileSync(file, "utf8").replace('"ccadmin"', '"admin"'));
    const server = await startReferenceServer({ profile: "seed" });
    try {
      const env = {
        GWS_BASE_URL: server.url,
        GWS_AGENT_PASSWORD: server.account("agent1").password,
        GWS_AGENT2_PASSWORD: server.account("agent2").password,
        GWS_AGENT2_ID: server.account("agent2").id,
        GWS_ADMIN_PASSWORD: server.account("admin").password,
        GWS_HOOK_URL: server.hookUrl,
        GWS_HOOK_KEY: server.hookKey,
      };
      expect(() => loadConfig({ file, env: {} })).toThrow(/GWS_BASE_URL is not set/);
      expect(loadConfig({ file, env }).target?.baseUrl).toBe(server.url);
      const child = run(
        "gws-conformance.mjs",
        ["run", "--config", file, "--only", "accept.*", "--report-dir", dir],
        env,
      );
      expect(await child.exited(60_000), child.stderr()).toBe(0);
      expect(child.stdout()).toContain("Verdict: conformant");
    } finally {
      await server.close();
    }
  });

  it("is what the error for a bare --target points to", async () => {
    const bare = await runCli(["--target", "http://127.0.0.1:9"]);
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toContain('"target" needs "accounts" too.');
    expect(bare.stderr).toContain("run `gws-conformance init` and fill in gws-conformance.config.json");
  });
});
