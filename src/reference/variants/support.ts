// The helpers the conforming variants are made of: GWS's documented capability samples, performing a reply's
// documented operations, and telling an object from a list. The variants themselves are in the files beside this one.
import { documentedCapabilities, isCreated } from "../../model/catalog.js";
import type { Reading } from "../reading.js";

/** Also performs the operations a created interaction's (a reply's) documented capabilities name. */
export function performOnReply(reading: Reading): void {
  const performs = reading.performs;
  reading.performs = (op, record, released) =>
    performs(op, record, released) ||
    (!released && isCreated(record.state) && documentedCapabilities(record.state).includes(op.operationName));
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
