// Generated files must match what the generators produce from schemas/ now: a schema changed without
// `npm run gen` fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REGISTER_FILE, renderRegister } from "../src/gen/register.js";
import { generateTypes, TYPES_FILE } from "../src/gen/types.js";

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
});
