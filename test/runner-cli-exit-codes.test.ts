// `gws-conformance run`'s documented exit codes: configuration errors (2), preflight failures (3) with one sentence
// each, waivers that cannot rot (4), and no credential, session cookie or CSRF token in any artifact.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReferenceServer, type ReferenceServer } from "../src/reference/server.js";
import { configFor, readArtifacts, runCli } from "./support/conformance.js";

describe("configuration errors exit 2", () => {
  it("lists every schema violation by JSON pointer", async () => {
    const run = await runCli([], {
      target: { baseUrl: "ftp://x" },
      profile: "strict",
      timeouts: { requestMs: "5" },
      bogus: 1,
    } as Record<string, unknown>);
    expect(run.exitCode).toBe(2);
    for (const pointer of [
      "/target/baseUrl",
      "/profile",
      "/timeouts/requestMs",
      '/: unknown member "bogus"',
      'needs "accounts"',
      'needs "provisioning"',
    ]) {
      expect(run.stderr).toContain(pointer);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.results).toBeUndefined();
  });

  it("names an unset ${ENV} variable", async () => {
    const run = await runCli([], { profile: "${GWS_TEST_UNSET_PROFILE}" });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("/profile: the environment variable GWS_TEST_UNSET_PROFILE is not set.");
  });

  it("substitutes a set ${ENV} variable", async () => {
    const run = await runCli(
      ["--only", "accept.envelope"],
      { profile: "${GWS_TEST_PROFILE}" },
      { GWS_TEST_PROFILE: "gws" },
    );
    expect(run.exitCode).toBe(0);
    expect(run.results!.profile).toBe("gws");
  });

  it("refuses a missing configuration file and an unknown flag value", async () => {
    const missing = await runCli(["--config", "/nonexistent/gws.json"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("the file does not exist.");
    const flag = await runCli(["--profile", "strict"]);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toMatch(/Allowed choices are seed, gws/);
  });
});

describe("preflight failures exit 3 with one sentence each", () => {
  it("diagnoses an unreachable target within the request timeout", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    const started = Date.now();
    const run = await runCli([], {
      target: { baseUrl: `http://127.0.0.1:${port}` },
      accounts: { agent: { username: "agent1", password: "pw" } },
      provisioning: { url: `http://127.0.0.1:${port}/hook` },
      timeouts: { requestMs: 1000, notificationMs: 1000 },
    });
    expect(run.exitCode).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.results!.verdict).toBe("could-not-run");
    expect(run.results!.checks).toEqual([]);
    const failures = run.results!.preflight.filter((s) => !s.ok);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${port} did not answer \\(the connection was refused\\); check target.baseUrl`),
    );
  });

  describe("with a running server", () => {
    let server: ReferenceServer;
    beforeAll(async () => {
      server = await startReferenceServer({ profile: "seed" });
    });
    afterAll(() => server.close());

    it("names each account whose password is wrong, and a wrong hook key", async () => {
      const config = configFor(server) as {
        accounts: Record<string, { password: string }>;
        provisioning: { headers: Record<string, string> };
      };
      config.accounts.agent2!.password = "wrong";
      config.accounts.admin!.password = "wrong";
      config.provisioning.headers["X-Hook-Key"] = "wrong";
      const run = await runCli([], config);
      expect(run.exitCode).toBe(3);
      const messages = run.results!.preflight.filter((s) => !s.ok).map((s) => `${s.name}: ${s.message}`);
      expect(messages).toEqual([
        expect.stringMatching(/^account agent2: agent2 was refused \(HTTP 401\); check accounts.agent2/),
        expect.stringMatching(/^account admin: admin was refused \(HTTP 401\); check accounts.admin/),
        expect.stringMatching(
          /^notifications agent2: agent2's CometD handshake at .* was refused \(Bayeux error 403::handshake_denied\); check accounts.agent2.username and its password/,
        ),
        expect.stringMatching(
          /^provisioning hook: .* answered HTTP 401; check provisioning.url and provisioning.headers/,
        ),
      ]);
      expect(run.results!.checks).toEqual([]);
    });

    it("writes no credential into any artifact or output", async () => {
      const config = configFor(server);
      const run = await runCli(["--only", "permissions.*,accept.*,bad-input.*"], config);
      const secrets = server.accounts
        .flatMap((a) => [a.password, Buffer.from(`${a.username}:${a.password}`).toString("base64")])
        .concat(server.hookKey);
      // Every file the run writes is searched, CTRF included.
      expect(readdirSync(run.reportDir).sort()).toEqual([
        "ctrf.json",
        "index.html",
        "junit.xml",
        "provenance.json",
        "results.json",
      ]);
      const artifacts = readArtifacts(run.reportDir);
      for (const text of [...artifacts, run.stdout, run.stderr]) {
        for (const secret of secrets) expect(text.includes(secret), `a secret leaked`).toBe(false);
        expect(text).not.toMatch(/JSESSIONID=[A-Za-z0-9_-]{8,}/);
      }
      expect(artifacts.join("")).toContain("[REDACTED]");
    });
  });
});

describe("redaction with CSRF protection on", () => {
  it("keeps session cookies and CSRF tokens out of every artifact", async () => {
    const issued = new Set<string>();
    const server = await startReferenceServer({
      profile: "gws",
      features: { csrf: true },
      configure: (app) =>
        app.addHook("onSend", async (_request, reply, payload) => {
          const token = reply.getHeader("x-csrf-token");
          if (typeof token === "string") issued.add(token);
          const cookie = reply.getHeader("set-cookie");
          for (const c of [cookie ?? []].flat()) issued.add(String(c).split(";")[0]!.split("=")[1]!);
          return payload;
        }),
    });
    try {
      const run = await runCli(["--only", "permissions.csrf,accept.success,accept.envelope"], configFor(server));
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.check("permissions.csrf").outcome).toBe("passed");
      expect(issued.size).toBeGreaterThan(2);
      const artifacts = readArtifacts(run.reportDir);
      for (const text of [...artifacts, run.stdout, run.stderr]) {
        for (const secret of issued) expect(text.includes(secret), "a session cookie or CSRF token leaked").toBe(false);
      }
    } finally {
      await server.close();
    }
  });
});

describe("waivers", () => {
  const waiversFile = (waivers: unknown[]) => {
    const dir = mkdtempSync(join(tmpdir(), "gws-waivers-"));
    const file = join(dir, "waivers.json");
    writeFileSync(file, JSON.stringify({ waivers }));
    return file;
  };
  // A success body whose status is not "ok" breaks the page's envelope (normative): accept.envelope fails.
  const broken = {
    profile: "seed" as const,
    configure: (app: import("fastify").FastifyInstance) =>
      app.addHook("onSend", async (request, _reply, payload) =>
        request.method === "POST" && payload === '{"status":"ok"}' ? '{"status":"okay"}' : payload,
      ),
  };

  async function withWaivers(waivers: unknown[], only: string) {
    const server = await startReferenceServer(broken);
    try {
      return await runCli(["--only", only], { ...configFor(server), waivers: waiversFile(waivers) });
    } finally {
      await server.close();
    }
  }

  it("an applied waiver turns a failure into waived and the verdict into conformant-with-waivers", async () => {
    const run = await withWaivers(
      [{ check: "accept.envelope", reason: "known", owner: "qa@example.com", expires: "2999-12-31" }],
      "accept.envelope",
    );
    expect(run.exitCode).toBe(0);
    expect(run.results!.verdict).toBe("conformant-with-waivers");
    expect(run.check("accept.envelope")).toMatchObject({
      outcome: "waived",
      waiver: { owner: "qa@example.com", status: "applied" },
    });
  });

  it("an expired waiver fails the run with exit 4", async () => {
    const run = await withWaivers(
      [{ check: "accept.success", reason: "old", owner: "qa", expires: "2020-01-01" }],
      "accept.success",
    );
    expect(run.exitCode).toBe(4);
    expect(run.results!.waivers[0]!.status).toBe("expired");
  });

  it("a waiver whose check now passes is stale and fails the run with exit 4", async () => {
    const run = await withWaivers(
      [{ check: "accept.success", reason: "fixed?", owner: "qa", expires: "2999-01-01" }],
      "accept.success",
    );
    expect(run.exitCode).toBe(4);
    expect(run.results!.summary).toMatch(/accept.success \(stale\)/);
  });

  it("a malformed waivers file is a configuration error", async () => {
    const run = await runCli([], { waivers: waiversFile([{ check: "accept.success" }]) });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/\/waivers\/0: must have required property 'reason'/);
  });
});
