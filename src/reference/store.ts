// The reference server's interactions, in memory.
import { randomBytes } from "node:crypto";
import type { InteractionState } from "../generated/schema-types.js";

export type UserData = Record<string, unknown>;

export interface InteractionRecord {
  id: string;
  state: InteractionState;
  /** The agent holding it now (Invited, Processing, Composing), else null. */
  owner: string | null;
  /** The last agent that held it: it may still read the interaction once released. */
  lastHolder: string | null;
  /** A null-prototype object, so that no key (not even "__proto__") reaches Object.prototype. */
  userData: UserData;
  currentQueue: string;
  workbin?: string;
  parentId?: string;
  mediaType: string;
  interactionSubType: string;
  receivedDate: string;
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A 16-character id in the style of gws-facts' "00009a8T8Y130123". */
export function newInteractionId(): string {
  return [...randomBytes(16)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
}

/** gws-facts: receivedDate "2014-03-26 16:02:22.000+0200" (space, milliseconds, numeric offset). */
export function formatReceivedDate(date: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`
  );
}

export function copyUserData(source: Record<string, unknown> | undefined): UserData {
  const data: UserData = Object.create(null);
  for (const [k, v] of Object.entries(source ?? {})) data[k] = v;
  return data;
}

export class InteractionStore {
  private readonly records = new Map<string, InteractionRecord>();

  create(init: Omit<InteractionRecord, "id" | "receivedDate" | "lastHolder">): InteractionRecord {
    const record: InteractionRecord = {
      ...init,
      id: newInteractionId(),
      lastHolder: init.owner,
      receivedDate: formatReceivedDate(new Date()),
    };
    this.records.set(record.id, record);
    return record;
  }

  get(id: string): InteractionRecord | undefined {
    return this.records.get(id);
  }

  delete(id: string): boolean {
    return this.records.delete(id);
  }

  all(): InteractionRecord[] {
    return [...this.records.values()];
  }

  ownedBy(username: string): InteractionRecord[] {
    return this.all().filter((r) => r.owner === username);
  }
}
