/// <reference types="vite/client" />
// Every suite file as one vitest file. Vitest runs the files of a worker one after another, so with one worker
// (the default) the runner hands it this file instead: all the checks are then one set that run side by side,
// at most --concurrency at a time, and a remote target's round trips overlap across families as well as within
// them. The glob, not a list, so a new suite file is never left out.
import.meta.glob("./*.suite.ts", { eager: true });
