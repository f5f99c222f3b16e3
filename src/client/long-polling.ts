// The cometd long-polling transport with a per-agent cookie jar, cometd's transport-failure hook (missing from its
// .d.ts), and leaving a CometD session within a bound.
import { LongPollingTransport, type CometD, type Message } from "cometd";
import { XMLHttpRequest, type CookieJar } from "cometd-nodejs-client/src/XMLHttpRequest.js";

/** disconnect() gives the server this long to answer /meta/disconnect before aborting. */
const DISCONNECT_BOUND_MS = 2_000;

/** What cometd's long-polling transport hands to xhrSend(). */
interface XhrPacket {
  url: string;
  headers?: Record<string, string>;
  body: string;
  onSuccess(responseText: string): void;
  onError(reason: string): void;
}

/** cometd's documented onTransportFailure hook (not in its .d.ts). */
export type TransportFailureHook = (
  message: Message,
  info: { action: string },
  handler: (info: object) => void,
) => void;

/** Long-polling transport whose XHRs use this agent's own cookie jar instead of the process-wide one. */
export class PerAgentLongPolling extends LongPollingTransport {
  readonly #cookies: CookieJar = {};

  /** Same as cometd's xhrSend(), but with a per-agent XMLHttpRequest. */
  override xhrSend(packet: XhrPacket): XMLHttpRequest {
    const xhr = new XMLHttpRequest({ globalCookies: this.#cookies });
    xhr.open("POST", packet.url);
    for (const [name, value] of Object.entries(packet.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader("Content-Type", "application/json");
    // The node XHR can report both "abort" and "error" for one request; report once.
    let settled = false;
    const settle = (report: () => void) => () => {
      if (settled) return;
      settled = true;
      report();
    };
    xhr.onload = settle(() =>
      xhr.status === 200 ? packet.onSuccess(xhr.responseText) : packet.onError(xhr.statusText),
    );
    xhr.onabort = xhr.onerror = settle(() => packet.onError(xhr.statusText));
    xhr.send(packet.body);
    return xhr;
  }
}

/** Leaves the session (bounded to DISCONNECT_BOUND_MS even if the server is gone); nothing to do once disconnected. */
export async function leave(cometd: CometD): Promise<void> {
  if (cometd.getStatus() === "disconnected") return;
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(() => {
      cometd.getTransport()?.abort();
      resolve();
    }, DISCONNECT_BOUND_MS);
    // A handshake in flight has no session to leave yet: abort it rather than wait for its reply.
    if (cometd.getStatus() === "handshaking") cometd.getTransport()?.abort();
    // Called on the server's reply, and also when the request fails or is aborted.
    cometd.disconnect(() => {
      clearTimeout(deadline);
      resolve();
    });
  });
}
