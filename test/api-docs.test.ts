// The generated API documents (docs/api/): each profile's OpenAPI 3.1 and AsyncAPI 3.0 document passes its
// ecosystem's own validator, which rejects a deliberately broken copy; the schemas they embed judge every example
// and counter-example as schemas/ does; each profile's POST body and notification messages accept exactly what
// that profile's schemas accept. Drift from the schemas is checked in test/generated.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DiagnosticSeverity, Parser } from "@asyncapi/parser";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../src/gen/api-common.js";
import { generateAsyncApi } from "../src/gen/asyncapi.js";
import { generateOpenApi } from "../src/gen/openapi.js";
import { PROFILES, specModel, type Profile } from "../src/model/catalog.js";
import { loadSchemaFiles, schemas, withFormats } from "../src/model/schemas.js";
import { ajvOptions, compiler } from "./support/api-docs.js";

interface Sample {
  schema: string;
  data: unknown;
}
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8"));
const { examples } = fixture("spec-examples.json") as { examples: { schemas: string[]; data: unknown }[] };
const { counterexamples } = fixture("counterexamples.json") as { counterexamples: Partial<Sample>[] };
// Every example, and every counter-example given as data, with the schema it is meant for.
const samples: Sample[] = [
  ...examples.flatMap((e) => e.schemas.map((schema) => ({ schema, data: e.data }))),
  ...counterexamples.filter((c): c is Sample => "data" in c),
];
const inFamily = (family: string) => samples.filter((s) => s.schema.startsWith(`${family}/`));
const titleOf = (path: string) => schemas().files.find((f) => f.path === path)!.schema.title;
const projectAccepts = (paths: string[], data: unknown) => paths.some((p) => schemas().validate(p, data).valid);

const get = (node: unknown, ...keys: string[]) => keys.reduce((n, k) => (n as JsonObject)[k], node) as JsonObject;

/** The document and schemas/ agree on every sample, and both verdicts occur (so agreement is not vacuous). */
function expectSameVerdicts(rows: { label: string; document: boolean; project: boolean }[]) {
  expect(
    rows.filter((r) => r.document !== r.project).map((r) => `${r.label}: the document says ${r.document}`),
  ).toEqual([]);
  expect(new Set(rows.map((r) => r.project))).toEqual(new Set([true, false]));
}

function componentsJudgeAlike(doc: JsonObject, schemaAt: ReturnType<typeof compiler>) {
  const embedded = get(doc, "components", "schemas");
  const rows = samples
    .filter((s) => titleOf(s.schema) in embedded)
    .map((s, i) => ({
      label: `sample ${i} for ${s.schema}`,
      document: schemaAt("components", "schemas", titleOf(s.schema))(s.data),
      project: schemas().validate(s.schema, s.data).valid,
    }));
  expectSameVerdicts(rows);
}

type Breakage = [string, (doc: JsonObject) => void];
const POST = ["paths", "/api/v2/me/interactions/{id}", "post"];

const OPENAPI_BREAKAGES: Breakage[] = [
  ["a $ref to a schema that is not there", (d) => delete get(d, "components", "schemas").InteractionId],
  ["a response without its description", (d) => delete get(d, ...POST, "responses", "200").description],
  [
    "a parameter in the body (an OpenAPI 2 location)",
    (d) => (get(d, "components", "parameters", "csrfToken").in = "body"),
  ],
];

describe.each(PROFILES)("the %s profile's OpenAPI document", (profile: Profile) => {
  const doc = generateOpenApi(profile);
  const validate = (d: JsonObject) => new Validator().validate(structuredClone(d));

  it("is valid OpenAPI 3.1 for @seriousme/openapi-schema-validator", async () => {
    expect(await validate(doc)).toEqual({ valid: true });
  });

  it.each(OPENAPI_BREAKAGES)("is rejected by the validator once broken: %s", async (_what, breakIt) => {
    const broken = structuredClone(doc);
    breakIt(broken);
    expect((await validate(broken)).valid).toBe(false);
  });

  it("embeds schemas that judge every example and counter-example as schemas/ does", () => {
    componentsJudgeAlike(doc, compiler(withFormats(new Ajv2020(ajvOptions)), doc, ["components"]));
  });

  it("has a POST body that accepts a request exactly when one of the profile's request schemas does", () => {
    const schemaAt = compiler(withFormats(new Ajv2020(ajvOptions)), doc, ["components", "paths"]);
    const body = schemaAt(...POST, "requestBody", "content", "application/json", "schema");
    const requests = specModel().catalog.operations.map((op) => op.request[profile]);
    const rows = inFamily("requests").map((s, i) => ({
      label: `request ${i} for ${s.schema}`,
      document: body(s.data),
      project: projectAccepts(requests, s.data),
    }));
    expectSameVerdicts(rows);
  });
});

const ASYNCAPI_BREAKAGES: Breakage[] = [
  ["a $ref to a schema that is not there", (d) => delete get(d, "components", "schemas").InteractionsChannelMessage],
  ["an AsyncAPI 2 operation verb", (d) => (get(d, "operations", "sendRemoval").action = "publish")],
  ["a server without its host", (d) => delete get(d, "servers", "gws").host],
];

describe.each(PROFILES)("the %s profile's AsyncAPI document", (profile: Profile) => {
  const doc = generateAsyncApi(profile);
  /** The parser's errors and warnings (its infos, such as "a later AsyncAPI version exists", are left out). */
  const problems = async (d: JsonObject) =>
    (await new Parser().validate(JSON.stringify(d)))
      .filter((x) => x.severity <= DiagnosticSeverity.Warning)
      .map((x) => `${x.path.join("/")}: ${x.message}`);

  it("is valid AsyncAPI 3.0 for @asyncapi/parser, without errors or warnings", async () => {
    expect(await problems(doc)).toEqual([]);
  });

  it.each(ASYNCAPI_BREAKAGES)("is rejected by the parser once broken: %s", async (_what, breakIt) => {
    const broken = structuredClone(doc);
    breakIt(broken);
    expect(await problems(broken)).not.toEqual([]);
  });

  it("embeds schemas that, read as draft-07, judge every example and counter-example as schemas/ does", () => {
    componentsJudgeAlike(doc, compiler(withFormats(new Ajv(ajvOptions)), doc, ["components"]));
  });

  it("has a message per notification variant that accepts a Bayeux message exactly when its data matches a form", () => {
    const schemaAt = compiler(withFormats(new Ajv(ajvOptions)), doc, ["components", "channels"]);
    const messages = get(doc, "channels", "interactions", "messages");
    const rows = Object.entries(specModel().catalog.notificationSchemas[profile]).flatMap(([variant, forms]) => {
      const key = Object.keys(messages).find((k) => get(messages, k).name === variant);
      if (!key) throw new Error(`The document has no message named ${variant}.`);
      const payload = schemaAt("channels", "interactions", "messages", key, "payload");
      return inFamily("notifications").map((s, i) => ({
        label: `${variant} with sample ${i} for ${s.schema}`,
        document: payload({ channel: specModel().catalog.notificationChannel, data: s.data }),
        project: projectAccepts(forms, s.data),
      }));
    });
    expectSameVerdicts(rows);
  });
});

describe("the AsyncAPI generator", () => {
  const withChange = (change: (schema: JsonObject) => void) => {
    const files = structuredClone(loadSchemaFiles());
    change(files.find((f) => f.path === "notifications/interaction-state-message.json")!.schema);
    return files;
  };

  it.each([
    [
      "a 2020-12 keyword draft-07 lacks",
      /dependentRequired/,
      (s: JsonObject) => (s.dependentRequired = { parentId: ["id"] }),
    ],
    [
      "keywords beside a $ref, which draft-07 ignores",
      /beside \$ref/,
      (s: JsonObject) => (get(s, "properties", "id").title = "x"),
    ],
  ])("refuses a notification schema with %s", (_what, message, change) => {
    expect(() => generateAsyncApi("seed", withChange(change))).toThrow(message);
  });
});
