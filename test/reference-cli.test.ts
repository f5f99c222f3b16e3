// `gws-reference-server` as a person runs it: it starts, prints where it is and how to get in, answers curl-style
// requests, stops on SIGTERM, and refuses bad arguments with one sentence and exit code 2.
import { createServer } from "node:net";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { basic } from "./support/reference.js";
import { run, type Running } from "./support/process.js";

let running: Running | undefined;
afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill("SIGKILL");
    await running.exited();
  }
  running = undefined;
});

describe("gws-reference-server", () => {
  it("starts, prints its URL, hook key and accounts, serves requests, and stops on SIGTERM", async () => {
    running = run("gws-reference-server.mjs", ["--port", "0", "--profile", "gws"]);
    const [, url] = await running.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const out = await running.waitForOutput(/Press Ctrl\+C to stop\./);
    const text = out.input!;
    const password = /agent1 .* password (\S+)/.exec(text)![1]!;
    const hookKey = /X-Hook-Key: (\S+)/.exec(text)![1]!;
    const hook = await fetch(`${url}/test-hooks/interactions`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Hook-Key": hookKey },
      body: JSON.stringify({ agent: "agent1", mediaType: "email" }),
    });
    const { id } = (await hook.json()) as { id: string };
    const accept = await fetch(`${url}/api/v2/me/interactions/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic("agent1", password) },
      body: JSON.stringify({ operationName: "Accept" }),
    });
    expect(await accept.json()).toEqual({ statusCode: 0, referenceId: expect.any(Number) });
    running.child.kill("SIGTERM");
    expect(await running.exited()).toBe(0);
  });

  it("uses the passwords of an accounts file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gws-ref-"));
    const file = join(dir, "accounts.json");
    writeFileSync(file, JSON.stringify({ accounts: [{ username: "ann", password: "ann-pw", roles: ["Agent"] }] }));
    running = run("gws-reference-server.mjs", ["--port", "0", "--accounts", file]);
    const [, url] = await running.waitForOutput(/listening on (http:\/\/\S+)/);
    const res = await fetch(`${url}/api/v2/me/interactions`, { headers: { authorization: basic("ann", "ann-pw") } });
    expect(res.status).toBe(200);
  });

  async function refused(args: string[]): Promise<string> {
    running = run("gws-reference-server.mjs", args);
    expect(await running.exited()).toBe(2);
    const lines = running.stderr().trim().split("\n");
    expect(lines[0]).not.toMatch(/^\s+at /);
    expect(running.stderr()).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
    return running.stderr();
  }

  it("refuses an unknown profile", async () => {
    expect(await refused(["--profile", "strict"])).toMatch(/Allowed choices are seed, gws/);
  });

  it("refuses a port out of range", async () => {
    expect(await refused(["--port", "70000"])).toMatch(/whole number from 0 to 65535/);
  });

  it("refuses an unknown feature", async () => {
    expect(await refused(["--disable", "teleport"])).toMatch(/unknown feature teleport/);
  });

  it("refuses a missing accounts file", async () => {
    expect(await refused(["--port", "0", "--accounts", "/nonexistent/accounts.json"])).toMatch(
      /Cannot read the accounts file/,
    );
  });

  it("refuses an invalid accounts file, listing the violation", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gws-ref-"));
    const file = join(dir, "accounts.json");
    writeFileSync(file, JSON.stringify({ accounts: [{ username: "x", roles: ["Boss"] }] }));
    expect(await refused(["--port", "0", "--accounts", file])).toMatch(
      /accounts\/0\/roles\/0 must be equal to one of the allowed values/,
    );
  });

  it("says so when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expect(await refused(["--port", String(port)])).toMatch(
        new RegExp(`Port ${port} on 127.0.0.1 is already in use`),
      );
    } finally {
      blocker.close();
    }
  });
});
