// Self-tests of the JSON Schemas: they compile in ajv strict mode, accept every example the spec and
// gws-facts print, and reject each counter-example because of one named constraint.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  loadSchemaFiles,
  SCHEMA_BASE,
  SCHEMAS_DIR,
  SchemaRegistry,
  createAjv,
  schemaId,
} from "../src/model/schemas.js";
import { removeAt, setAt } from "./support/pointer.js";

interface Example {
  source: string;
  schemas: string[];
  data: unknown;
}
interface CounterExample {
  family: string;
  why: string;
  schema: string;
  data?: unknown;
  base?: string;
  set?: Record<string, unknown>;
  loosen: { file: string; pointer: string };
}

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8")) as T;
const { examples } = fixture<{ examples: Example[] }>("spec-examples.json");
const { counterexamples } = fixture<{ counterexamples: CounterExample[] }>("counterexamples.json");

const files = loadSchemaFiles();
const registry = new SchemaRegistry(files);

function documentOf(c: CounterExample): unknown {
  if (c.base === undefined) return c.data;
  const doc: unknown = JSON.parse(readFileSync(join(SCHEMAS_DIR, c.base), "utf8"));
  for (const [pointer, value] of Object.entries(c.set ?? {})) setAt(doc, pointer, value);
  return doc;
}

describe("every schema", () => {
  it("is found under schemas/", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files.map((f) => [f.path, f] as const))("%s compiles in strict mode and is self-describing", (path, file) => {
    expect(file.schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(file.schema.$id).toBe(SCHEMA_BASE + path);
    expect(file.schema.title).toMatch(/^[A-Z][A-Za-z]+$/);
    // The description quotes the sentence it encodes, naming where it comes from (a vendored schema: its source URL).
    expect(file.schema.description).toMatch(/(seed|gws-facts|target-contract|[Ii]ssue \d|[Vv]endored from https:\/\/)/);
    expect(() => registry.validator(path)).not.toThrow();
  });

  it("has a unique title, so each generated type has one name", () => {
    const titles = files.map((f) => f.schema.title);
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
  });
});

describe("the spec's examples", () => {
  it.each(examples.flatMap((e) => e.schemas.map((s) => [e.source, s, e.data] as const)))(
    "%s validates against %s",
    (_source, schema, data) => {
      expect(registry.validate(schema, data)).toEqual({ valid: true });
    },
  );
});

describe("counter-examples", () => {
  const families = [...new Set(counterexamples.map((c) => c.family))];
  it("cover every schema family", () => {
    const schemaFamilies = new Set(files.map((f) => f.path.split("/")[0]).filter((p) => !p!.endsWith(".json")));
    expect(new Set(families)).toEqual(schemaFamilies);
  });

  it.each(counterexamples.map((c) => [c.family, c.why, c] as const))("%s: %s is rejected", (_f, _w, c) => {
    const result = registry.validate(c.schema, documentOf(c));
    expect(result.valid).toBe(false);
  });

  it.each(counterexamples.map((c) => [c.family, c.why, c] as const))(
    "%s: %s passes once its constraint is loosened",
    (_f, _w, c) => {
      // Loosen exactly one keyword in a copy of the schemas; the counter-example must then pass,
      // which shows that this constraint, and not some other one, is what rejects it.
      const loosened = structuredClone(files);
      const target = loosened.find((f) => f.path === c.loosen.file);
      expect(target, `schemas/${c.loosen.file}`).toBeDefined();
      removeAt(target!.schema, c.loosen.pointer);
      const validate = createAjv(loosened, { strict: false }).getSchema(schemaId(c.schema))!;
      expect(validate(documentOf(c)), JSON.stringify(validate.errors)).toBe(true);
    },
  );
});
