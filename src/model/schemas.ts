// The JSON Schemas under schemas/, loaded once into one ajv instance (draft 2020-12, strict mode).
// Every other module validates through here, so a schema is never restated in code.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";

export const SCHEMA_BASE = "https://gws-conformance.invalid/schemas/";
export const SCHEMAS_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));

/** A schema file: its path under schemas/ (e.g. "requests/accept.seed.json") and its parsed content. */
export interface SchemaFile {
  path: string;
  schema: Record<string, unknown> & { $id: string; title: string; description: string };
}

/** One schema violation, located by JSON pointer into the validated document. */
export interface Violation {
  pointer: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

export type Validation = { valid: true } | { valid: false; violations: Violation[] };

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.name.endsWith(".json") ? [full] : [];
  });
}

/** Every file under schemas/ that is a schema (has a $id); data files (catalog, register) have none. */
export function loadSchemaFiles(dir: string = SCHEMAS_DIR): SchemaFile[] {
  return walk(dir)
    .map((file) => ({
      path: relative(dir, file).split(sep).join("/"),
      content: JSON.parse(readFileSync(file, "utf8")),
    }))
    .filter(({ content }) => typeof content === "object" && content !== null && "$id" in content)
    .map(({ path, content }) => ({ path, schema: content }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * A fresh ajv instance with every given schema added (not yet compiled). Strict by default; only the
 * self-tests turn it off, to compile deliberately loosened copies of the schemas.
 */
export function createAjv(files: SchemaFile[] = loadSchemaFiles(), { strict = true } = {}): Ajv2020 {
  // strictRequired is off: "one of these members is required" is written as required inside oneOf/anyOf.
  const ajv = withFormats(new Ajv2020({ strict, strictRequired: false, allErrors: true, allowUnionTypes: true }));
  for (const file of files) ajv.addSchema(file.schema);
  return ajv;
}

/** Adds ajv-formats' formats (uri, ...) to an ajv instance of any draft. */
export function withFormats<T extends Ajv>(ajv: T): T {
  // ajv-formats is CommonJS: its default export arrives as the module object under some loaders.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
    a: Ajv,
  ) => void;
  addFormats(ajv);
  return ajv;
}

export function schemaId(path: string): string {
  return SCHEMA_BASE + path;
}

export function toViolations(errors: ErrorObject[] | null | undefined): Violation[] {
  return (errors ?? []).map((e) => ({
    pointer: e.instancePath === "" ? "/" : e.instancePath,
    keyword: e.keyword,
    message: e.message ?? e.keyword,
    params: e.params as Record<string, unknown>,
  }));
}

/** Validates documents against the project's schemas, addressed by their path under schemas/. */
export class SchemaRegistry {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly files: SchemaFile[];

  constructor(files: SchemaFile[] = loadSchemaFiles()) {
    this.files = files;
    this.ajv = createAjv(files);
  }

  has(path: string): boolean {
    return this.files.some((f) => f.path === path.split("#")[0]);
  }

  /** Compiles (once) the schema at `path`, optionally with a "#/$defs/..." fragment. */
  validator(path: string): ValidateFunction {
    let fn = this.compiled.get(path);
    if (!fn) {
      fn = this.ajv.getSchema(schemaId(path));
      if (!fn) throw new Error(`No schema at schemas/${path}.`);
      this.compiled.set(path, fn);
    }
    return fn;
  }

  validate(path: string, data: unknown): Validation {
    const fn = this.validator(path);
    return fn(data) ? { valid: true } : { valid: false, violations: toViolations(fn.errors) };
  }
}

let shared: SchemaRegistry | undefined;
/** The process-wide registry over schemas/ (loaded on first use). */
export function schemas(): SchemaRegistry {
  return (shared ??= new SchemaRegistry());
}
