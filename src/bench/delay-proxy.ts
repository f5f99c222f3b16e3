// A TCP proxy on 127.0.0.1 that makes a local server look remote: every byte takes `oneWayMs` each way, and a new
// connection pays one round trip before its first byte (the TCP handshake a real remote server costs). HTTP and
// the CometD long polls go through it alike, so a run through it meets what a vendor's distant GWS would give.
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface DelayProxy {
  /** http://127.0.0.1:PORT, standing for the upstream. */
  url: string;
  port: number;
  /** Connections made through it so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * Writes each chunk `delayMs` after it arrived, in order, and passes the end on the same way. Only an error (or a
 * close without an end) destroys the other side: destroying after an end would drop what is still being flushed.
 */
function delayed(from: Socket, to: Socket, delayMs: number, extraFirstMs = 0): void {
  let last = 0;
  const later = (extra: number, then: () => void) => {
    last = Math.max(last, performance.now() + delayMs + extra);
    setTimeout(then, last - performance.now());
  };
  let first = true;
  let ended = false;
  from.on("data", (chunk) => {
    later(first ? extraFirstMs : 0, () => to.writable && to.write(chunk));
    first = false;
  });
  from.on("end", () => {
    ended = true;
    later(0, () => to.end());
  });
  from.on("error", () => to.destroy());
  from.on("close", () => ended || later(0, () => to.destroy()));
}

export async function startDelayProxy(upstreamPort: number, oneWayMs: number): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((client) => {
    count++;
    client.setNoDelay(true);
    const upstream = connect({ host: "127.0.0.1", port: upstreamPort });
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    // The client's first bytes wait for the handshake's round trip as well as their own way there.
    delayed(client, upstream, oneWayMs, 2 * oneWayMs);
    delayed(upstream, client, oneWayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
