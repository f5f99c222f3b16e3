// The reference server in a child process of its own (its own core and memory), started through its command
// line as a user would, for load and bench: resolves once it listens, with the configuration that points at it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Profile } from "../model/catalog.js";
import type { ServerConfig } from "./target-config.js";

const BIN = fileURLToPath(new URL("../../bin/gws-reference-server.mjs", import.meta.url));

export interface SpawnedServer {
  pid: number;
  config: ServerConfig;
  /** Asks the process for its peak resident memory (bytes) so far, from /proc (Linux), or undefined. */
  peakRss(): number | undefined;
  stop(): Promise<void>;
}

export function spawnReferenceServer(options: {
  profile: Profile;
  agents: number;
  mutant?: string;
  within?: number;
}): Promise<SpawnedServer> {
  const dir = mkdtempSync(join(tmpdir(), "gws-reference-"));
  const file = join(dir, "config.json");
  const args = [
    "--port",
    "0",
    "--profile",
    options.profile,
    "--agents",
    String(options.agents),
    "--write-config",
    file,
    ...(options.mutant ? ["--mutant", options.mutant] : []),
  ];
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise<SpawnedServer>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      reject(new Error(`The reference server did not start: ${why}`));
    };
    const timer = setTimeout(
      () => fail(`no "listening" line within ${options.within ?? 30_000} ms.`),
      options.within ?? 30_000,
    );
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const onExit = (code: number | null) => fail(`it exited with code ${code}: ${err.trim().split("\n").pop() ?? ""}`);
    child.once("exit", onExit);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      // The process prints every account's password: only the "listening" line is looked at, nothing is kept.
      if (!/listening on http/.test(out) || !out.includes("Press Ctrl+C")) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      out = "";
      const config = JSON.parse(readFileSync(file, "utf8")) as ServerConfig;
      rmSync(dir, { recursive: true, force: true });
      resolve({
        pid: child.pid!,
        config,
        peakRss() {
          try {
            const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1];
            return kb ? Number(kb) * 1024 : undefined;
          } catch {
            return undefined;
          }
        },
        async stop() {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}
