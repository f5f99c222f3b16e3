// One bench measurement per process (`node --import tsx src/bench/phases.ts NAME ARGS`), so each peak RSS is
// that measurement's own. Prints one line "RESULT {json}" at the end; everything else is progress on stderr.
import { mkdtempSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { basicAuth } from "../client/basic-auth.js";
import { NotificationClient } from "../client/notifications.js";
import { AgentSession, agentAccounts, inState, offer } from "../load/load.js";
import { distribution, inParallel } from "../load/stats.js";
import { Op } from "../generated/vocabulary.js";
import { specModel } from "../model/catalog.js";
import { requestBody } from "../model/requests.js";
import { startReferenceServer } from "../reference/server.js";
import { spawnReferenceServer } from "../reference/spawn.js";
import { configForServer } from "../reference/target-config.js";
import { toRunConfig } from "../runner/config.js";
import { DEFAULT_CONCURRENCY, runConformance } from "../runner/run.js";
import type { TargetConfig } from "../suite/run-context.js";
import { replayFloor } from "./floor.js";
import { remoteRun } from "./remote.js";

const say = (line: string) => process.stderr.write(`  ${line}\n`);
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const ms = (n: number) => Math.round(n);

/** 1. The full run against the in-process reference server (one worker), then its floor against the same server. */
async function overhead() {
  const server = await startReferenceServer({ profile: "gws" });
  try {
    const dir = mkdtempSync(join(tmpdir(), "gws-bench-"));
    const file = join(dir, "config.json");
    const config = configForServer(server, "gws", { requestMs: 5000, notificationMs: 3000 });
    writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
    const started = performance.now();
    const run = await runConformance({ config: file, workers: 1, reportDir: join(dir, "report") });
    const suiteMs = performance.now() - started;
    if (run.exitCode !== 0)
      throw new Error(`The run against the reference server was not conformant (exit ${run.exitCode}).`);
    say(`suite: ${ms(suiteMs)} ms for ${run.results!.checks.length} checks; replaying its evidence ...`);
    const floor = await replayFloor(run.results!, toRunConfig(config, file, dir) as TargetConfig);
    const busy = floor.requestMs + floor.waitMs || 1;
    return {
      checks: run.results!.checks.length,
      suiteMs: ms(suiteMs),
      floorMs: ms(floor.wallMs),
      ratio: Math.round((suiteMs / floor.wallMs) * 100) / 100,
      split: {
        requestsMs: ms((floor.wallMs * floor.requestMs) / busy),
        notificationWaitsMs: ms((floor.wallMs * floor.waitMs) / busy),
        frameworkMs: ms(suiteMs - floor.wallMs),
      },
      /** The suite's own phases: setup (server, preflight), framework start-up, the checks, the end (files). */
      timing: run.timing!,
      checksRatio: Math.round((run.timing!.checksMs / floor.wallMs) * 100) / 100,
      replayed: {
        requests: floor.requests,
        waits: floor.waits,
        divergences: floor.divergences,
        diverged: floor.diverged,
      },
      runnerPeakRssBytes: peakRss(),
    };
  } finally {
    await server.close();
  }
}

/** 2. The full run with `workers` workers, embedded reference server. */
async function scaling(workers: number) {
  const dir = mkdtempSync(join(tmpdir(), "gws-bench-"));
  const started = performance.now();
  const run = await runConformance({ profile: "gws", workers, reportDir: join(dir, "report") });
  const wallMs = performance.now() - started;
  if (run.exitCode !== 0) throw new Error(`The run with ${workers} workers was not conformant (exit ${run.exitCode}).`);
  return { workers, wallMs: ms(wallMs), checks: run.results!.checks.length, runnerPeakRssBytes: peakRss() };
}

/** Answers every request with the bytes in $BODY (base64) and the content type in $TYPE; prints its port. */
const BARE_SERVER = `
import { createServer } from "node:http";
const body = Buffer.from(process.env.BODY, "base64");
const server = createServer((req, res) => { res.writeHead(200, { "content-type": process.env.TYPE, "content-length": body.length }); res.end(body); });
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

/** 3. GET /api/v2/me/interactions under autocannon: the reference server, then a bare node:http server sending the same bytes. */
async function throughput(seconds: number, connections: number) {
  const server = await spawnReferenceServer({ profile: "gws", agents: 2 });
  const agent = server.config.accounts.agent;
  const url = `${server.config.target!.baseUrl}/api/v2/me/interactions`;
  // One session, as a client would keep (Basic alone would open a session per request).
  const first = await fetch(url, { headers: { Authorization: basicAuth(agent.username, agent.password) } });
  const cookie = first.headers.getSetCookie()[0]!.split(";")[0]!;
  const headers = { Authorization: basicAuth(agent.username, agent.password), Cookie: cookie };
  const sample = await fetch(url, { headers });
  const bytes = Buffer.from(await sample.arrayBuffer());
  const contentType = sample.headers.get("content-type") ?? "application/json";
  const cannon = async (target: string) => {
    const r = await autocannon({ url: target, connections, duration: seconds, headers });
    if (r.non2xx > 0 || r.errors > 0)
      throw new Error(`${target} answered ${r.non2xx} non-2xx and ${r.errors} errors under load.`);
    return {
      requestsPerSecond: Math.round(r.requests.average),
      latencyP50Ms: r.latency.p50,
      latencyP99Ms: r.latency.p99,
      total: r.requests.total,
    };
  };
  say(`reference server: ${seconds} s, ${connections} connections ...`);
  const reference = await cannon(url);
  const referenceRss = server.peakRss();
  await server.stop();

  // The bare server gets a process of its own too, so both servers meet autocannon on equal terms.
  const bare = spawn(process.execPath, ["--input-type=module", "-e", BARE_SERVER], {
    env: { ...process.env, BODY: bytes.toString("base64"), TYPE: contentType },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    bare.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
    bare.once("exit", (code) => reject(new Error(`The bare server exited (${code}) before listening.`)));
  });
  say(`bare node:http server: ${seconds} s, ${connections} connections ...`);
  const floor = await cannon(`http://127.0.0.1:${port}/api/v2/me/interactions`);
  bare.kill();
  return {
    connections,
    seconds,
    bodyBytes: bytes.length,
    reference,
    bare: floor,
    ratio: Math.round((reference.requestsPerSecond / floor.requestsPerSecond) * 100) / 100,
    serverPeakRssBytes: referenceRss,
  };
}

/** 4. From an operation's HTTP answer to its notification, with 10, 100 and 500 agents connected by long-polling. */
async function latency(levels: number[], lifecycles: number) {
  const most = Math.max(...levels);
  const server = await spawnReferenceServer({ profile: "gws", agents: most });
  const config = {
    ...(toRunConfig(server.config, "bench", ".") as TargetConfig),
    timeouts: { requestMs: 5000, notificationMs: 3000 },
  };
  const accounts = agentAccounts(config);
  // Each step waits for the state the catalog's outcome names (Processing, then Completed).
  const steps = [Op.Accept, Op.Complete].map((name) => ({
    name,
    state: specModel().operation(name).outcome.state!,
    body: requestBody(specModel().operation(name), config.profile, {
      queue: "",
      workbin: "",
      target: { id: "", uri: "" },
      marker: "bench",
    }),
  }));
  const clients: NotificationClient[] = [];
  const results = [];
  try {
    for (const level of levels) {
      const more = accounts.slice(clients.length, level);
      clients.push(
        ...(await inParallel(more, 25, (a) =>
          NotificationClient.connect({
            url: config.target.notificationsUrl,
            username: a.username,
            password: a.password,
            label: a.username,
          }),
        )),
      );
      say(`${clients.length} agents connected; ${lifecycles} lifecycles ...`);
      const samples: number[] = [];
      let early = 0;
      const wait = async (client: NotificationClient, id: string, state: string, since: number, answeredAt: number) => {
        const n = await client.waitFor(inState(id, state), { since, within: 3000 });
        if (n.receivedAt < answeredAt) early++;
        samples.push(Math.max(0, n.receivedAt - answeredAt));
      };
      for (let k = 0; k < lifecycles; k++) {
        // Spread over every connected agent, one at a time: the others hold idle long polls.
        const i = Math.floor((k * clients.length) / lifecycles);
        const client = clients[i]!;
        const session = new AgentSession(accounts[i]!, config);
        let since = client.cursor();
        const { id, answer } = await offer(config, accounts[i]!.username, `bench-${k}`);
        await wait(client, id!, specModel().catalog.offeredIn, since, answer.answeredAt);
        for (const { name, state, body } of steps) {
          since = client.cursor();
          const reply = await session.send("POST", `/api/v2/me/interactions/${id}`, body);
          if (reply.status !== 200)
            throw new Error(`${name} answered ${reply.status || reply.error} during the latency bench.`);
          await wait(client, id!, state, since, reply.answeredAt);
        }
      }
      const d = distribution(samples);
      results.push({
        agents: clients.length,
        samples: d.count,
        p50Ms: d.p50,
        p99Ms: d.p99,
        maxMs: d.max,
        beforeAnswer: early,
        serverPeakRssBytes: server.peakRss(),
        clientPeakRssBytes: peakRss(),
      });
    }
    return results;
  } finally {
    await Promise.all(clients.map((c) => c.disconnect()));
    await server.stop();
  }
}

const [name, ...args] = process.argv.slice(2);
const phases: Record<string, () => Promise<unknown>> = {
  overhead,
  scaling: () => scaling(Number(args[0])),
  throughput: () => throughput(Number(args[0] ?? 5), Number(args[1] ?? 10)),
  latency: () => latency((args[0] ?? "10,100,500").split(",").map(Number), Number(args[1] ?? 100)),
  remote: () => remoteRun(Number(args[0] ?? 50), Number(args[1] ?? DEFAULT_CONCURRENCY)),
};
const phase = phases[name ?? ""];
if (!phase) {
  console.error(`Unknown bench phase ${name}; use one of ${Object.keys(phases).join(", ")}.`);
  process.exit(2);
}
try {
  const result = await phase();
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
} catch (e) {
  console.error(`bench ${name}: ${(e as Error).message}`);
  process.exit(1);
}
