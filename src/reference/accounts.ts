// Users of the reference server: the four default accounts of target-contract.md, or a validated JSON file.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ReferenceAccountSpec, ReferenceAccountsFile } from "../generated/schema-types.js";
import { schemas } from "../model/schemas.js";

export type RoleName = "Agent" | "ContactCenterAdmin";

export interface ReferenceAccount {
  username: string;
  password: string;
  roles: RoleName[];
  /** The user id; Transfer addresses it as userId (seed) or /api/v2/users/{id} (gws). */
  id: string;
}

/** target-contract section 1: agent and agent2 hold Agent, admin holds Contact Center Admin only, nobody neither. */
export const DEFAULT_ACCOUNTS: ReferenceAccountSpec[] = [
  { username: "agent1", roles: ["Agent"] },
  { username: "agent2", roles: ["Agent"] },
  { username: "admin", roles: ["ContactCenterAdmin"] },
  { username: "nobody", roles: [] },
];

/** The accounts plus agent3, agent4, ... (Agent role) until `agents` accounts named agentN exist, for parallel runs and load. */
export function withAgents(specs: ReferenceAccountSpec[], agents = 2): ReferenceAccountSpec[] {
  if (!Number.isInteger(agents) || agents < 1 || agents > MAX_AGENTS)
    throw new Error(`The number of agents must be a whole number from 1 to ${MAX_AGENTS}.`);
  const names = new Set(specs.map((s) => s.username));
  const more: ReferenceAccountSpec[] = [];
  for (let n = 1; n <= agents; n++) if (!names.has(`agent${n}`)) more.push({ username: `agent${n}`, roles: ["Agent"] });
  return [...specs, ...more];
}
export const MAX_AGENTS = 10_000;

const generatePassword = () => randomBytes(12).toString("base64url");

/** Fills in generated passwords and ids; refuses duplicate usernames or ids. */
export function materializeAccounts(specs: ReferenceAccountSpec[] = DEFAULT_ACCOUNTS): ReferenceAccount[] {
  const accounts = specs.map((s) => ({
    username: s.username,
    password: s.password ?? generatePassword(),
    roles: [...(s.roles as RoleName[])],
    id: s.id ?? randomUUID(),
  }));
  for (const key of ["username", "id"] as const) {
    const seen = new Set<string>();
    for (const a of accounts) {
      if (seen.has(a[key])) throw new Error(`Two accounts have the ${key} "${a[key]}"; each must be unique.`);
      seen.add(a[key]);
    }
  }
  return accounts;
}

/** Reads an accounts file, refusing it with every violation listed when it does not match its schema. */
export function loadAccountsFile(path: string): ReferenceAccountSpec[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`Cannot read the accounts file ${path}: ${(e as Error).message}.`);
  }
  const result = schemas().validate("reference/accounts.json", data);
  if (!result.valid) {
    const list = result.violations.map((v) => `${v.pointer} ${v.message}`).join("; ");
    throw new Error(`The accounts file ${path} is not valid: ${list}.`);
  }
  return (data as ReferenceAccountsFile).accounts;
}
