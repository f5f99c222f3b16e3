// Deliberately broken variants of the reference server, switched on by name (`--mutant NAME`). Each breaks one
// rule in one family; `npm run mutation` shows that some check catches every one of them. A surviving mutant
// is a missing check: add the check, never delete the mutant. One file per family of rules, in mutants/.
import { RESPONSE_MUTANTS } from "./mutants/responses.js";
import { NOTIFICATION_MUTANTS } from "./mutants/notifications.js";
import { STATE_MUTANTS } from "./mutants/state.js";
import { USER_DATA_MUTANTS } from "./mutants/user-data.js";
import { PERMISSION_MUTANTS } from "./mutants/permissions.js";
import { CHANNEL_MUTANTS } from "./mutants/channel.js";
import { EXPLORATION_MUTANTS } from "./mutants/exploration.js";
import { CONCURRENCY_MUTANTS } from "./mutants/concurrency.js";
import type { Mutant } from "./mutants/support.js";

export type { Mutant } from "./mutants/support.js";

export const MUTANTS: Mutant[] = [
  ...RESPONSE_MUTANTS,
  ...NOTIFICATION_MUTANTS,
  ...STATE_MUTANTS,
  ...USER_DATA_MUTANTS,
  ...PERMISSION_MUTANTS,
  ...CHANNEL_MUTANTS,
  ...EXPLORATION_MUTANTS,
  ...CONCURRENCY_MUTANTS,
];

export function mutant(name: string): Mutant {
  const found = MUTANTS.find((m) => m.name === name);
  if (!found)
    throw new Error(`There is no mutant named ${name}; the mutants are: ${MUTANTS.map((m) => m.name).join(", ")}.`);
  return found;
}
