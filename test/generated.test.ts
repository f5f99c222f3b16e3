// Generated files must match what the generators produce from schemas/ now: a schema changed without
// `npm run gen` fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../src/gen/api-common.js";
import { renderApiDocs } from "../src/gen/api-docs.js";
import { REGISTER_FILE, renderRegister } from "../src/gen/register.js";
import { generateTypes, TYPES_FILE } from "../src/gen/types.js";
import { loadSchemaFiles } from "../src/model/schemas.js";

const ROOT = join(import.meta.dirname, "..");
const committed = (file: string) => readFileSync(join(ROOT, file), "utf8");

describe("generated files", () => {
  it(`${TYPES_FILE} matches the schemas (run npm run gen:types)`, async () => {
    expect(await generateTypes()).toBe(committed(TYPES_FILE));
  });

  it(`${REGISTER_FILE} matches schemas/ambiguities.json (run npm run gen:register)`, () => {
    expect(renderRegister()).toBe(committed(REGISTER_FILE));
  });

  it("the types would change if a schema did", async () => {
    // Guard against a drift test that cannot fail: the generator must react to the schemas.
    expect(await generateTypes()).toContain("export interface AcceptRequestSeed");
    expect(committed(TYPES_FILE)).toContain('operationName: "Accept"');
  });

  it.each(renderApiDocs())("%s matches the schemas (run npm run gen:docs)", (file, text) => {
    expect(text).toBe(committed(file));
  });

  it("every API document would change if a schema it embeds did", () => {
    // Guard against a drift test that cannot fail: an interaction id one character shorter shows in all four.
    const files = structuredClone(loadSchemaFiles());
    const defs = files.find((f) => f.path === "common.json")!.schema.$defs as Record<string, JsonObject>;
    defs.InteractionId!.maxLength = 255;
    const changed = renderApiDocs(files);
    expect(changed.filter(([file, text]) => text === committed(file)).map(([file]) => file)).toEqual([]);
    expect(changed).toHaveLength(4);
  });
});
