// The bench's delay proxy (src/bench/delay-proxy.ts) makes a local server look remote: each way costs its delay,
// a new connection one more round trip, and every byte arrives intact and in order, the end included.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDelayProxy, type DelayProxy } from "../src/bench/delay-proxy.js";
import { criticalPathFloorMs, longestChain, type RemoteRun } from "../src/bench/remote.js";
import type { ConformanceResults } from "../src/generated/schema-types.js";

let upstream: Server;
let proxy: DelayProxy;
const ONE_WAY = 40;

beforeAll(async () => {
  // Echoes the request body, in pieces, so ordering across chunks shows.
  upstream = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.write(body.slice(0, 3));
      setImmediate(() => res.end(body.slice(3)));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  proxy = await startDelayProxy((upstream.address() as AddressInfo).port, ONE_WAY);
});
afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => upstream.close(resolve));
});

describe("the delay proxy", () => {
  it("passes every byte in order, a new connection paying two round trips and a kept-alive one one", async () => {
    const { Agent, request } = await import("node:http");
    const agent = new Agent({ keepAlive: true });
    const post = (body: string) =>
      new Promise<{ text: string; ms: number }>((resolve, reject) => {
        const started = performance.now();
        const req = request(`${proxy.url}/`, { method: "POST", agent }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve({ text, ms: performance.now() - started }));
        });
        req.on("error", reject);
        req.end(body);
      });
    const body = "0123456789".repeat(5000);
    const first = await post(body);
    expect(first.text).toBe(body);
    expect(first.ms).toBeGreaterThanOrEqual(4 * ONE_WAY - 2);
    const second = await post("again");
    expect(second.text).toBe("again");
    expect(second.ms).toBeGreaterThanOrEqual(2 * ONE_WAY - 2);
    expect(second.ms).toBeLessThan(4 * ONE_WAY);
    expect(proxy.connections()).toBe(1);
    agent.destroy();
  });

  it("floors a run at its loopback fixed cost plus its longest chain of round trips", () => {
    const check = (id: string, n: number) => ({ id, evidence: { exchanges: Array.from({ length: n }) } });
    const results = { checks: [check("a.b", 3), check("c.d", 7), check("e.f", 5)] } as unknown as ConformanceResults;
    expect(longestChain(results)).toEqual({ check: "c.d", exchanges: 7 });
    const loopback = {
      timing: { setupMs: 100, startupMs: 1000, checksMs: 900, finishMs: 50 },
      longestChain: { check: "c.d", exchanges: 7 },
    } as RemoteRun;
    expect(criticalPathFloorMs(loopback, 50)).toBe(100 + 1000 + 50 + 7 * 50);
  });
});
