// Targets that misbehave at the transport level: the runner finishes within its timeouts, writes a report,
// names the cause in one sentence, and exits with the documented code. Nothing hangs, nothing crashes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startReferenceServer } from "../src/reference/server.js";
import { fakeConfig, fakeTarget, type FakeTarget } from "./support/fake-targets.js";
import { configFor, runCli } from "./support/conformance.js";

async function against(target: FakeTarget, config = fakeConfig(target.url)) {
  const started = Date.now();
  try {
    const run = await runCli([], config, {}, 60_000);
    return { run, seconds: (Date.now() - started) / 1000 };
  } finally {
    await target.close();
  }
}

function expectReport(run: Awaited<ReturnType<typeof runCli>>) {
  expect(existsSync(join(run.reportDir, "results.json"))).toBe(true);
  expect(existsSync(join(run.reportDir, "index.html"))).toBe(true);
  expect(run.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
}

const failedPreflight = (run: Awaited<ReturnType<typeof runCli>>) =>
  run.results!.preflight.filter((s) => !s.ok).map((s) => `${s.name}: ${s.message}`);

describe("misbehaving targets", () => {
  it("one that never answers: exit 3 at the request timeout, 'no answer within'", async () => {
    const { run, seconds } = await against(await fakeTarget(() => {}));
    expect(run.exitCode).toBe(3);
    expect(seconds).toBeLessThan(20);
    expect(failedPreflight(run)).toEqual([
      expect.stringMatching(
        /^target: http:\/\/127\.0\.0\.1:\d+ did not answer \(no answer within 1000 ms\); check target.baseUrl/,
      ),
    ]);
    expectReport(run);
  });

  it("one that answers HTML with 500: exit 3, 'answered HTTP 500'", async () => {
    const { run } = await against(
      await fakeTarget((_req, res) =>
        res.writeHead(500, { "content-type": "text/html" }).end("<html><body>Internal Server Error</body></html>"),
      ),
    );
    expect(run.exitCode).toBe(3);
    expect(failedPreflight(run)[0]).toMatch(
      /^account agent: GET \/api\/v2\/me\/interactions as agent1 answered HTTP 500/,
    );
    expectReport(run);
  });

  it("one that answers invalid JSON: exit 3, the handshake and the hook named", async () => {
    const { run } = await against(
      await fakeTarget((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{not json")),
    );
    expect(run.exitCode).toBe(3);
    const failures = failedPreflight(run);
    expect(failures.some((f) => /^notifications agent: /.test(f))).toBe(true);
    expect(failures.some((f) => /^provisioning hook: .* answered HTTP 200 without an id/.test(f))).toBe(true);
    expectReport(run);
  });

  it("one that resets connections: exit 3, 'the connection was reset'", async () => {
    const { run, seconds } = await against(await fakeTarget((req) => req.socket.destroy()));
    expect(run.exitCode).toBe(3);
    expect(seconds).toBeLessThan(20);
    expect(failedPreflight(run)).toEqual([
      expect.stringMatching(/did not answer \(the connection was (reset|closed while sending)\)/),
    ]);
    expectReport(run);
  });

  it("one whose CometD handshake is refused: exit 3, the handshake named for each agent", async () => {
    const server = await startReferenceServer({ profile: "seed" });
    // A front that forwards the REST API and refuses every Bayeux handshake.
    const front = await fakeTarget((req, res) => {
      if (req.url?.startsWith("/api/v2/notifications")) {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(
          JSON.stringify([
            {
              channel: "/meta/handshake",
              successful: false,
              error: "403::Handshake denied",
              advice: { reconnect: "none" },
            },
          ]),
        );
      }
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const answer = await fetch(`${server.url}${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: ["GET", "HEAD"].includes(req.method!) ? undefined : Buffer.concat(chunks),
        });
        res
          .writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" })
          .end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    try {
      const config = configFor(server) as { target: { baseUrl: string } };
      config.target.baseUrl = front.url;
      const run = await runCli([], config, {}, 60_000);
      expect(run.exitCode).toBe(3);
      const failures = failedPreflight(run);
      expect(failures).toEqual([
        expect.stringMatching(
          /^notifications agent: agent1's CometD handshake at .* was refused \(.*403::Handshake denied\)/,
        ),
        expect.stringMatching(/^notifications agent2: agent2's CometD handshake at .* was refused/),
      ]);
      expectReport(run);
    } finally {
      await front.close();
      await server.close();
    }
  });

  it("one that sends notifications forever: the run still ends, with the duplicates named as warnings", async () => {
    let flooding: NodeJS.Timeout | undefined;
    const server = await startReferenceServer({
      profile: "seed",
      // Every notification is repeated every 5 ms for as long as the server runs.
      configure: (_app, engine) => {
        const deliver = engine.deliver;
        const sent: [string, unknown][] = [];
        engine.deliver = (user, data) => {
          deliver(user, data);
          sent.push([user, data]);
        };
        flooding = setInterval(() => {
          for (const [user, data] of sent.slice(-20)) deliver(user, data);
        }, 5);
      },
    });
    try {
      const started = Date.now();
      const run = await runCli(
        ["--only", "accept.notifies-actor,complete.notifies-actor,lists.*"],
        configFor(server),
        {},
        90_000,
      );
      expect((Date.now() - started) / 1000).toBeLessThan(60);
      // Sending a notification again is not forbidden by the page or gws-facts: a warning (AMB-NOTIFICATION-SEQUENCE).
      expect(run.exitCode).toBe(0);
      expect(run.check("accept.notifies-actor").outcome).toBe("warning");
      expect(run.check("accept.notifies-actor").reason).toMatch(
        /a second time before the invitation .*\[decided: AMB-NOTIFICATION-SEQUENCE\]/,
      );
      expectReport(run);
    } finally {
      clearInterval(flooding);
      await server.close();
    }
  });
});
