// How Bayeux failures, URLs and received notifications are put into the notification client's error messages.
import type { Message } from "cometd";
import type { ReceivedNotification } from "./notification-types.js";

/** A failure reply synthesized by cometd for transport errors (not in its .d.ts). */
interface FailedMessage extends Message {
  failure?: { httpCode?: number; reason?: string; exception?: unknown };
}

/** The failure reason of a Bayeux reply or of cometd's synthesized transport-failure message. */
export function reasonOf(reply: FailedMessage): string {
  const failure = reply.failure;
  if (failure?.httpCode && failure.httpCode > 0)
    return `HTTP ${failure.httpCode}${failure.reason ? ` ${failure.reason}` : ""}`;
  if (reply.error) return `Bayeux error ${reply.error}`;
  if (failure?.reason) return `network error: ${failure.reason}`;
  if (failure?.exception !== undefined) return `error: ${String(failure.exception)}`;
  return "unknown failure";
}

/** Whether a failed handshake is the server's refusal (a Bayeux reply, HTTP 401 or 403), not a transport failure. */
export function refusedBy(reply: FailedMessage): boolean {
  const code = reply.failure?.httpCode;
  return code === 401 || code === 403 || (reply.failure === undefined && typeof reply.error === "string");
}

/** The URL without any user:password part. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.href;
  } catch {
    return "(invalid URL)";
  }
}

/** "#seq {json...}" truncated, for error messages. */
export function summarize(n: ReceivedNotification): string {
  const json = JSON.stringify(n.data) ?? String(n.data);
  return `#${n.seq} ${json.length > 160 ? `${json.slice(0, 160)}...` : json}`;
}
