// Runs a command of this package as a child process, waiting on its output or its exit (never on a timer
// alone: each wait ends at the event or at a deadline).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout, or rejects at the deadline or exit. */
  waitForOutput(pattern: RegExp, within?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code, or rejects at the deadline. */
  exited(within?: number): Promise<number | null>;
}

export function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [join(ROOT, "bin", bin), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForOutput(pattern, within = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) finish(() => resolve(m));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`No output matching ${pattern} within ${within} ms.`))), within);
        const onExit = () => finish(() => reject(new Error(`${bin} exited before printing ${pattern}: ${err.trim()}`)));
        const finish = (f: () => void) => {
          clearTimeout(timer);
          child.stdout.off("data", check);
          child.off("exit", onExit);
          f();
        };
        child.stdout.on("data", check);
        child.on("exit", onExit);
        check();
      });
    },
    exited(within = 15_000) {
      let timer: NodeJS.Timeout;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${bin} did not exit within ${within} ms.`)), within);
      });
      return Promise.race([exit, deadline]).finally(() => clearTimeout(timer));
    },
  };
}
