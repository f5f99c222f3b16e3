// Progress of a run on stderr, so stdout keeps the summary: on a terminal one line rewritten in place (checks
// done of those collected, the latest check's family, elapsed time); elsewhere (CI logs, pipes) a plain line
// when a suite file finishes and every `every` checks, never one per check.
import { basename } from "node:path";
import type { CollectedCheck } from "./collect.js";

/** What the runner's reporter tells as the run goes; several reporters may feed one listener. */
export interface ProgressListener {
  filesQueued(count: number): void;
  fileCollected(checks: number): void;
  checkDone(check: CollectedCheck): void;
  fileDone(moduleId: string): void;
  /** A long check's own progress line (the explorer's). */
  note?(line: string): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Where CI is read from (default process.env): a terminal under CI gets plain lines, as logs keep them. */
  env?: NodeJS.ProcessEnv;
  /** Plain mode: a line every this many checks (default 25). */
  every?: number;
  now?: () => number;
  /** Live mode: how often the elapsed time is redrawn while no check finishes (default 1000 ms). */
  tickMs?: number;
  /** --strict: a warning counts as the failure it becomes. */
  strict?: boolean;
}

const CLEAR_LINE = "\r\x1b[2K";
const NOT_PASSED = ["failed", "warning", "error", "cant-tell"] as const;
const LABEL = (outcome: (typeof NOT_PASSED)[number], n: number) =>
  outcome === "cant-tell" ? "can't tell" : outcome === "warning" ? (n === 1 ? "warning" : "warnings") : outcome;

export class Progress implements ProgressListener {
  private readonly live: boolean;
  private readonly every: number;
  private readonly now: () => number;
  private readonly tickMs: number;
  private readonly strict: boolean;
  private files = 0;
  private collected = 0;
  private total = 0;
  private done = 0;
  private readonly notPassed = new Map<string, number>();
  private family = "";
  private startedAt?: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.live = stream.isTTY === true && !(options.env ?? process.env).CI;
    this.every = options.every ?? 25;
    this.now = options.now ?? Date.now;
    this.tickMs = options.tickMs ?? 1000;
    this.strict = options.strict === true;
  }

  filesQueued(count: number): void {
    this.files += count;
    if (this.startedAt !== undefined) return;
    this.startedAt = this.now();
    if (this.live) this.timer = setInterval(() => this.draw(), this.tickMs).unref();
  }

  fileCollected(checks: number): void {
    this.collected++;
    this.total += checks;
    if (this.live) this.draw();
  }

  checkDone(check: CollectedCheck): void {
    this.done++;
    this.family = check.spec.family;
    const outcome = this.strict && check.outcome === "warning" ? "failed" : check.outcome;
    if ((NOT_PASSED as readonly string[]).includes(outcome))
      this.notPassed.set(outcome, (this.notPassed.get(outcome) ?? 0) + 1);
    if (this.live) this.draw();
    else if (this.done % this.every === 0) this.stream.write(`progress: ${this.line()}\n`);
  }

  fileDone(moduleId: string): void {
    if (this.live) this.draw();
    else {
      // One worker runs every suite as one file (suites/all-suites.ts).
      const file = basename(moduleId);
      const done = file === "all-suites.ts" ? "all suites" : `${file.replace(/\.suite\.ts$/, "")} suite`;
      this.stream.write(`progress: ${this.line()} (${done} done)\n`);
    }
  }

  note(line: string): void {
    // On a terminal the line is kept above the redrawn one.
    this.stream.write(this.live ? `${CLEAR_LINE}${line}\n` : `progress: ${line}\n`);
    if (this.live) this.draw();
  }

  /** Ends live mode: stops redrawing and clears the line, so what comes next starts on a clean line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live && this.startedAt !== undefined) this.stream.write(CLEAR_LINE);
  }

  private line(): string {
    // Files are collected one by one as they run: "+" says more checks are yet to be counted.
    const total = `${this.total}${this.collected < this.files ? "+" : ""}`;
    const problems = NOT_PASSED.filter((o) => this.notPassed.has(o)).map(
      (o) => `${this.notPassed.get(o)} ${LABEL(o, this.notPassed.get(o)!)}`,
    );
    const seconds = ((this.now() - (this.startedAt ?? this.now())) / 1000).toFixed(1);
    return [`${this.done}/${total} checks`, this.family, ...problems, `${seconds} s`].filter(Boolean).join(" · ");
  }

  private draw(): void {
    // One column short of the width, so the line never wraps (a pseudo-terminal may report no width).
    const width = this.stream.columns ? this.stream.columns - 1 : undefined;
    this.stream.write(CLEAR_LINE + this.line().slice(0, width));
  }
}
