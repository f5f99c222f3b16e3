// Runs a command of this package (or any command, e.g. npm) as a child process, waiting on its output or its
// exit (never on a timer alone: each wait ends at the event or at a deadline).
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
  /** Resolves when its output closes: it and every process it started (npx's command) have ended. */
  closed(within?: number): Promise<void>;
}

/** `promise`, or a rejection saying `what` did not happen within `within` ms. */
function byDeadline<T>(promise: Promise<T>, within: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${within} ms.`)), within);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  return start(process.execPath, [join(ROOT, "bin", bin), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    label: bin,
  });
}

/**
 * Runs `command` in `cwd` with exactly `env`; `label` names it in messages. `detached` gives it its own process
 * group, so a signal to the group also reaches what it started (npx does not pass SIGTERM on).
 */
export function start(
  command: string,
  args: string[],
  {
    cwd,
    env,
    label = command,
    detached = false,
  }: { cwd: string; env: NodeJS.ProcessEnv; label?: string; detached?: boolean },
): Running {
  const child = spawn(command, args, { cwd, env, detached });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
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
        const timer = setTimeout(
          () => finish(() => reject(new Error(`No output matching ${pattern} within ${within} ms.`))),
          within,
        );
        const onExit = () =>
          finish(() => reject(new Error(`${label} exited before printing ${pattern}: ${err.trim()}`)));
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
      return byDeadline(exit, within, `${label} did not exit`);
    },
    closed(within = 15_000) {
      return byDeadline(closed, within, `${label}'s output did not close`);
    },
  };
}
