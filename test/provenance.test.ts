// report/provenance.json (issue 15): what a run was produced with — suite version and commit, schema and catalog
// hashes, the configuration with its secrets removed, and the target's own version when it tells it.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startReferenceServer } from "../src/reference/server.js";
import { configForServer } from "../src/reference/target-config.js";
import { treeHash, type Provenance } from "../src/runner/provenance.js";
import { PACKAGE_ROOT, runConformance } from "../src/runner/run.js";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("provenance.json", () => {
  it("records the suite, hashes, a secret-free configuration and the target's version", async () => {
    const server = await startReferenceServer({ profile: "gws" });
    try {
      const dir = mkdtempSync(join(tmpdir(), "gws-provenance-"));
      const config = configForServer(server);
      writeFileSync(join(dir, "config.json"), JSON.stringify(config));
      const run = await runConformance({ config: join(dir, "config.json"), only: ["accept.success"], reportDir: dir });
      expect(run.exitCode).toBe(0);
      const text = readFileSync(join(dir, "provenance.json"), "utf8");
      const p = JSON.parse(text) as Provenance;
      const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
      expect(p.suite).toMatchObject({ name: "gws-conformance", version: pkg.version });
      expect(p.suite.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(p.hashes.catalog).toBe(sha256(readFileSync(join(PACKAGE_ROOT, "schemas/catalog.json"))));
      expect(p.hashes.schemas).toBe(treeHash(join(PACKAGE_ROOT, "schemas")));
      expect(p).toMatchObject({ profile: "gws", strict: false, node: process.version });
      expect(p.targetVersion).toMatchObject({
        status: 200,
        body: { version: `gws-conformance-reference ${pkg.version}` },
      });
      // Every secret of the configuration is gone, not only from the fields that hold it.
      const secrets = [
        ...Object.values(config.accounts).flatMap((a) => (a && "password" in a ? [a.password] : [])),
        ...Object.values(config.provisioning?.headers ?? {}),
      ];
      expect(secrets.length).toBeGreaterThan(3);
      for (const secret of secrets) expect(text).not.toContain(secret);
      const recorded = p.config as { accounts: Record<string, { username: string; password: string }> };
      expect(recorded.accounts.agent).toMatchObject({
        username: config.accounts.agent!.username,
        password: "[REDACTED]",
      });
    } finally {
      await server.close();
    }
  });

  it("says why there is no target version when the target does not answer one", async () => {
    const server = await startReferenceServer({
      profile: "seed",
      configure: (app) =>
        app.addHook("onRequest", async (request, reply) => {
          if (request.url.startsWith("/api/v2/diagnostics/")) await reply.code(404).send({ statusCode: 2 });
        }),
    });
    try {
      const dir = mkdtempSync(join(tmpdir(), "gws-provenance-"));
      writeFileSync(join(dir, "config.json"), JSON.stringify(configForServer(server, "seed")));
      await runConformance({ config: join(dir, "config.json"), only: ["accept.success"], reportDir: dir });
      const p = JSON.parse(readFileSync(join(dir, "provenance.json"), "utf8")) as Provenance;
      expect(p.targetVersion).toEqual({ status: 404 });
    } finally {
      await server.close();
    }
  });

  it("hashes a tree by its paths and contents", () => {
    const dir = mkdtempSync(join(tmpdir(), "gws-tree-"));
    mkdirSync(join(dir, "a"));
    writeFileSync(join(dir, "a", "x.json"), "1");
    const first = treeHash(dir);
    expect(treeHash(dir)).toBe(first);
    writeFileSync(join(dir, "a", "x.json"), "2");
    expect(treeHash(dir)).not.toBe(first);
    writeFileSync(join(dir, "a", "x.json"), "1");
    writeFileSync(join(dir, "y.json"), "");
    expect(treeHash(dir)).not.toBe(first);
  });
});
