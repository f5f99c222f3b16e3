// The helpers the conforming variants are made of: GWS's documented capability samples, performing a reply's
// documented operations, and telling an object from a list. The variants themselves are in the files beside this one.
import type { InteractionState } from "../../generated/schema-types.js";
import type { Reading } from "../reading.js";

/** GWS's documented capability samples (gws-facts: Resources and lists), by state. */
export const DOCUMENTED: Partial<Record<InteractionState, string[]>> = {
  Invited: ["Accept", "Reject"],
  Processing: ["Transfer", "AttachUserData", "UpdateUserData", "DeleteUserData", "SetInFocus", "Complete"],
  Composing: [
    "Cancel",
    "Send",
    "AddComment",
    "AttachUserData",
    "UpdateUserData",
    "DeleteUserData",
    "SetDisposition",
    "SetInFocus",
    "Transfer",
  ],
};
/** The operations a reply's documented capabilities offer besides Cancel. */
const ON_REPLY = ["AttachUserData", "UpdateUserData", "DeleteUserData", "Transfer"];

/** Also performs the reply's documented operations on a Composing reply. */
export function performOnReply(reading: Reading): void {
  const performs = reading.performs;
  reading.performs = (op, record, released) =>
    performs(op, record, released) ||
    (!released && record.state === "Composing" && ON_REPLY.includes(op.operationName));
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
