// Generated files must match what the generators produce from schemas/ now: a schema changed without
// `npm run gen` fails here.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../src/gen/api-common.js";
import { renderApiDocs } from "../src/gen/api-docs.js";
import {
  HOOK_SOURCE,
  loadConfigSchema,
  README_FILE,
  renderConfigReference,
  renderHookExample,
  renderRegisterSummary,
  withGeneratedSections,
} from "../src/gen/readme.js";
import { CHECKS_FILE, renderChecks } from "../src/gen/checks.js";
import { REGISTER_FILE, renderRegister } from "../src/gen/register.js";
import { generateTypes, TYPES_FILE } from "../src/gen/types.js";
import { renderVocabulary, VOCABULARY_FILE } from "../src/gen/vocabulary.js";
import { loadSchemaFiles } from "../src/model/schemas.js";
import { specModel } from "../src/model/catalog.js";
import { loadConfig } from "../src/runner/config.js";

import { runCli } from "./support/conformance.js";

const ROOT = join(import.meta.dirname, "..");
const committed = (file: string) => readFileSync(join(ROOT, file), "utf8");

describe("generated files", () => {
  it(`${TYPES_FILE} matches the schemas (run npm run gen:types)`, async () => {
    expect(await generateTypes()).toBe(committed(TYPES_FILE));
  });

  it(`${VOCABULARY_FILE} names every state and operation of the catalog (run npm run gen:types)`, () => {
    expect(renderVocabulary()).toBe(committed(VOCABULARY_FILE));
    const { catalog } = specModel();
    const renamed = { ...catalog, states: { ...catalog.states, Queued: catalog.states.Invited } };
    expect(renderVocabulary(renamed)).toContain('Queued: "Queued",');
  });

  it(`${REGISTER_FILE} matches schemas/ambiguities.json (run npm run gen:register)`, () => {
    expect(renderRegister()).toBe(committed(REGISTER_FILE));
  });

  it(`${CHECKS_FILE} lists every check of a run of the whole suite (run npm run gen:checks)`, async () => {
    const run = await runCli(["--profile", "seed", "--quiet"]);
    const rendered = renderChecks(run.results!.checks);
    expect(rendered).toContain("| `accept.refused-when-processing` |");
    expect(rendered).toBe(committed(CHECKS_FILE));
    // A check more or less, or a clause changed, changes the document.
    expect(renderChecks(run.results!.checks.slice(1))).not.toBe(rendered);
  }, 60_000);

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

  it(`${README_FILE}'s configuration reference, register summary and hook example match their sources (run npm run gen:readme)`, () => {
    expect(withGeneratedSections(committed(README_FILE))).toBe(committed(README_FILE));
  });

  it("the register summary has every entry, and the hook example follows its source", () => {
    const summary = renderRegisterSummary();
    for (const a of specModel().ambiguities)
      expect(summary).toContain(`| [${a.id}](docs/ambiguities.md#${a.id.toLowerCase()}) | ${a.title} |`);
    const source = committed(HOOK_SOURCE);
    expect(renderHookExample(source)).toContain("return reply.code(201).send({ id: record.id });");
    expect(renderHookExample(source.replace("reply.code(201)", "reply.code(200)"))).toContain("reply.code(200)");
    expect(() => renderHookExample(source.replace("app.post(HOOK_PATH", "app.post(OTHER_PATH"))).toThrow(
      "no longer has the hook's app.post(HOOK_PATH, ...) handler",
    );
  });

  it("the configuration reference would change if the schema did", () => {
    const schema = loadConfigSchema();
    expect(renderConfigReference(schema)).toContain("| `timeouts.requestMs` | integer | no | `5000` | 100 to 600000 |");
    schema.properties!.timeouts!.properties!.requestMs!.default = 7000;
    expect(renderConfigReference(schema)).toContain("| `timeouts.requestMs` | integer | no | `7000` | 100 to 600000 |");
  });

  it("the configuration reference expands a list of definitions member by member", () => {
    const schema = loadConfigSchema();
    schema.properties!.accounts!.properties!.pool = { type: "array", items: { $ref: "#/$defs/Account" }, minItems: 2 };
    const reference = renderConfigReference(schema);
    expect(reference).toContain("| `accounts.pool` | array of object | no |  | at least 2 items |");
    expect(reference).toMatch(/\| `accounts\.pool\[\]\.password` \| string \| yes \|/);
  });

  it("the schema's defaults are what the runner uses when the configuration says nothing", () => {
    const defaults = loadConfig({ cwd: mkdtempSync(join(tmpdir(), "gws-defaults-")), env: {} });
    const p = loadConfigSchema().properties!;
    const defaultsOf = (s: (typeof p)[string]) =>
      Object.fromEntries(Object.entries(s.properties!).map(([k, v]) => [k, v.default]));
    expect(p.profile!.default).toBe(defaults.profile);
    expect(defaultsOf(p.features!)).toEqual(defaults.features);
    expect(defaultsOf(p.timeouts!)).toEqual(defaults.timeouts);
    expect(defaultsOf(p.resources!)).toEqual(defaults.resources);
  });
});
