// The bench's floor (src/bench/floor.ts) replays a run's own evidence faithfully: the same requests with the same
// answers and the same notifications, against a fresh server; a server that answers differently shows up as
// divergences instead of a silently cheaper floor.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replayFloor } from "../src/bench/floor.js";
import { startReferenceServer } from "../src/reference/server.js";
import { configForServer } from "../src/reference/target-config.js";
import { toRunConfig } from "../src/runner/config.js";
import { runConformance } from "../src/runner/run.js";
import type { TargetConfig } from "../src/suite/run-context.js";

describe("the bench floor", () => {
  it("replays every request and notification wait of a run, and counts a server that answers otherwise", async () => {
    const server = await startReferenceServer({ profile: "gws" });
    try {
      const dir = mkdtempSync(join(tmpdir(), "gws-floor-"));
      const config = configForServer(server);
      writeFileSync(join(dir, "config.json"), JSON.stringify(config));
      const run = await runConformance({
        config: join(dir, "config.json"),
        workers: 1,
        only: ["accept.*", "lifecycle.*", "reply.success", "cancel.*"],
        reportDir: join(dir, "report"),
      });
      expect(run.exitCode).toBe(0);
      const target = toRunConfig(config, "test", dir) as TargetConfig;
      const floor = await replayFloor(run.results!, target);
      const exchanges = run.results!.checks.reduce((n, c) => n + c.evidence.exchanges.length, 0);
      expect(floor.requests).toBe(exchanges);
      expect(floor.waits).toBeGreaterThan(10);
      expect(floor.diverged).toEqual([]);
      expect(floor.divergences).toBe(0);
      expect(floor.wallMs).toBeGreaterThan(0);

      // Evidence times are whole milliseconds: a notification recorded in the same millisecond as the request
      // that caused it (or as a later one) must not be waited for before that request is sent, and a Reply's
      // child must still be learned before the request that acts on it.
      const snap = (to: (n: number, times: number[]) => number) => {
        const tied = structuredClone(run.results!);
        for (const c of tied.checks)
          for (const n of c.evidence.notifications)
            n.at = to(
              n.at,
              c.evidence.exchanges.map((x) => x.at),
            );
        return tied;
      };
      const down = snap((at, times) => Math.max(0, ...times.filter((t) => t <= at)));
      const up = snap((at, times) => {
        const later = times.filter((t) => t >= at);
        return later.length > 0 ? Math.min(...later) : at;
      });
      const quick = { ...target, timeouts: { ...target.timeouts, notificationMs: 1000 } };
      const [fromDown, fromUp] = [await replayFloor(down, quick), await replayFloor(up, quick)];
      expect(fromDown.diverged).toEqual([]);
      expect(fromDown.waits).toBe(floor.waits);
      // (Snapped up, a notification can land in the last request's millisecond, where nothing is waited for.)
      expect(fromUp.diverged).toEqual([]);

      // The same evidence against a server whose Accept is refused: the replay diverges and says so.
      const refusing = await startReferenceServer({
        profile: "gws",
        configure: (app) =>
          app.addHook("preHandler", async (request, reply) => {
            if ((request.body as { operationName?: string } | undefined)?.operationName === "Accept")
              await reply.code(409).send({ statusCode: 3, statusMessage: "no" });
          }),
      });
      try {
        const other = toRunConfig(configForServer(refusing), "test", dir) as TargetConfig;
        // The recorded URLs point at the first server: replay them against the refusing one.
        const moved = JSON.parse(
          JSON.stringify(run.results!).split(server.url).join(refusing.url),
        ) as typeof run.results;
        const broken = await replayFloor(moved!, { ...other, timeouts: { requestMs: 2000, notificationMs: 300 } });
        expect(broken.divergences).toBeGreaterThan(5);
      } finally {
        await refusing.close();
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});
