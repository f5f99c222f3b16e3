// What a check saw, kept as evidence for the report: every HTTP exchange, every notification received,
// every schema violation, in the order they happened, with credentials redacted.
// The shapes are the results schema's (schemas/results/results.json), never restated here.
import type {
  CheckEvidence as Evidence,
  HttpExchangeEvidence as HttpExchange,
  NotificationEvidence,
  SchemaViolationEvidence,
} from "../generated/schema-types.js";

export type { Evidence, HttpExchange, NotificationEvidence, SchemaViolationEvidence };

export const emptyEvidence = (): Evidence => ({ exchanges: [], notifications: [], violations: [], notes: [] });

/** The value at a JSON pointer, if any. */
export function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === "/" || pointer === "") return doc;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** curl for an exchange; the caller passes headers already redacted, so secrets stay out. */
export function curlLine(method: string, url: string, headers: Record<string, string>, body: unknown): string {
  const parts = ["curl", "-sS", "-X", method, shellQuote(url)];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "authorization") parts.push("-u", shellQuote("<user>:<password>"));
    else parts.push("-H", shellQuote(`${name}: ${value}`));
  }
  if (body !== undefined) parts.push("--data-raw", shellQuote(typeof body === "string" ? body : JSON.stringify(body)));
  return parts.join(" ");
}
