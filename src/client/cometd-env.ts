// Makes the browser-oriented `cometd` library usable in Node: cometd-nodejs-client's adapt() installs a
// global `window` (setTimeout, XMLHttpRequest, WebSocket). It must run once per process, before any CometD is built.
import { adapt } from "cometd-nodejs-client";

/** Installs the global `window` shim once; later calls (from any module instance) are no-ops. */
export function ensureCometdEnv(): void {
  // Checked on the global rather than a module flag: vitest may load this module more than once per process.
  const g = globalThis as { window?: { XMLHttpRequest?: unknown } };
  if (g.window?.XMLHttpRequest === undefined) adapt();
}
