// Compiles the JSON Schemas inside a generated API document (docs/api/) with ajv, for the tests that judge data
// by the document's own schemas (test/api-docs.test.ts, test/api-docs-traffic.test.ts).
import type { Ajv } from "ajv";
import type { JsonObject } from "../../src/gen/api-common.js";

const escape = (key: string) => encodeURIComponent(key.replace(/~/g, "~0").replace(/\//g, "~1"));
/** The URI fragment of the JSON pointer made of `keys` ("#/paths/~1api~1v2~1interactions/get"). */
export const pointer = (...keys: string[]) => `#/${keys.map(escape).join("/")}`;

/** The options the documents' schemas compile under: strict, as schemas/ are, but for their union types. */
export const ajvOptions = { strict: true, strictRequired: false, allowUnionTypes: true } as const;

/** Validators for the schemas inside `doc`'s `sections`, by their keys, compiled by `ajv` (the sections made keywords). */
export function compiler(ajv: Ajv, doc: JsonObject, sections: string[]) {
  const id = "https://gws-conformance.invalid/docs/api";
  for (const keyword of [...sections, "discriminator"]) ajv.addKeyword(keyword);
  ajv.addSchema({ $id: id, ...Object.fromEntries(sections.map((s) => [s, doc[s]])) });
  return (...keys: string[]) => {
    const validate = ajv.getSchema(id + pointer(...keys));
    if (!validate) throw new Error(`The document has no schema at ${pointer(...keys)}.`);
    return (data: unknown) => validate(data) as boolean;
  };
}
