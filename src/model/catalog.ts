// The spec model as data: the operation catalog, the requirements list and the ambiguity register,
// each validated against its schema in schemas/meta/ when loaded, and typed by the generated types.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  Ambiguity,
  AmbiguityRegister,
  Endpoint,
  Operation,
  OperationCatalog,
  Requirement,
  RequirementsList,
} from "../generated/schema-types.js";
import { schemas, SCHEMAS_DIR } from "./schemas.js";

export type Profile = "seed" | "gws";
export const PROFILES: readonly Profile[] = ["seed", "gws"];

function loadData<T>(file: string, schemaPath: string): T {
  const data: unknown = JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8"));
  const result = schemas().validate(schemaPath, data);
  if (!result.valid) {
    const list = result.violations.map((v) => `${v.pointer} ${v.message}`).join("; ");
    throw new Error(`schemas/${file} does not match schemas/${schemaPath}: ${list}`);
  }
  return data as T;
}

export interface SpecModel {
  catalog: OperationCatalog;
  requirements: Requirement[];
  ambiguities: Ambiguity[];
  operation(idOrName: string): Operation;
  endpoint(id: string): Endpoint;
  requirement(id: string): Requirement;
  ambiguity(id: string): Ambiguity;
}

function indexBy<T>(items: T[], keys: (item: T) => string[], what: string): (key: string) => T {
  const map = new Map<string, T>();
  for (const item of items) for (const key of keys(item)) map.set(key, item);
  return (key) => {
    const found = map.get(key);
    if (!found) throw new Error(`Unknown ${what} "${key}".`);
    return found;
  };
}

export function loadSpecModel(): SpecModel {
  const catalog = loadData<OperationCatalog>("catalog.json", "meta/catalog.schema.json");
  const { requirements } = loadData<RequirementsList>("requirements.json", "meta/requirements.schema.json");
  const { entries: ambiguities } = loadData<AmbiguityRegister>("ambiguities.json", "meta/ambiguities.schema.json");
  return {
    catalog,
    requirements,
    ambiguities,
    operation: indexBy(catalog.operations, (o) => [o.id, o.operationName], "operation"),
    endpoint: indexBy(catalog.endpoints, (e) => [e.id], "endpoint"),
    requirement: indexBy(requirements, (r) => [r.id], "requirement"),
    ambiguity: indexBy(ambiguities, (a) => [a.id], "ambiguity entry"),
  };
}

/**
 * Whether `state` is one nobody holds any more (catalog states[].heldBy "nobody": Completed, Revoked): where an
 * interaction ends up once it has left its agent, with capabilities [] (gws-facts: '[] once terminal').
 */
export function isTerminal(state: unknown): boolean {
  return heldBy(state) === "nobody";
}

/** Who holds an interaction in `state` (catalog states[].heldBy: agent, workbin, nobody); undefined for no state. */
export function heldBy(state: unknown): string | undefined {
  return typeof state === "string" ? specModel().catalog.states[state]?.heldBy : undefined;
}

/** Whether `state` is one an operation creates (catalog outcome.creates: a reply's Composing). */
export function isCreated(state: unknown): boolean {
  return specModel().catalog.operations.some((o) => o.outcome.creates !== undefined && o.outcome.creates === state);
}

/** GWS's documented capability sample for `state` (gws-facts: Resources and lists; catalog documentedCapabilities). */
export function documentedCapabilities(state: string): string[] {
  return specModel().catalog.states[state]?.documentedCapabilities ?? [];
}

/** `op` itself, or the catalog operation it names (id or operationName). */
export function operationOf(op: Operation | string): Operation {
  return typeof op === "string" ? specModel().operation(op) : op;
}

let shared: SpecModel | undefined;
/** The process-wide spec model (loaded and validated on first use). */
export function specModel(): SpecModel {
  return (shared ??= loadSpecModel());
}
