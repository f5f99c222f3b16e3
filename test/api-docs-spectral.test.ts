// Spectral's own rulesets on the generated API documents (issue 22): `spectral:oas` on each profile's OpenAPI
// document and `spectral:asyncapi` on its AsyncAPI document report no error and no warning, both as generated and as
// committed in docs/api/; and each rule these documents once broke still fires on a copy broken that way, so the
// empty lists are not vacuous. Info-level hints are left out: asyncapi-latest-version only says that an AsyncAPI
// later than 3.0 exists. Spectral's core and its rulesets run here programmatically: they are the rulesets its CLI
// runs, without @stoplight/spectral-cli, which adds many packages to the tree.
import { readFileSync } from "node:fs";
import spectralCore, { type RulesetDefinition } from "@stoplight/spectral-core";
import parsers from "@stoplight/spectral-parsers";
import rulesets from "@stoplight/spectral-rulesets";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../src/gen/api-common.js";
import { asyncApiFile, generateAsyncApi } from "../src/gen/asyncapi.js";
import { generateOpenApi, openApiFile } from "../src/gen/openapi.js";
import { PROFILES, type Profile } from "../src/model/catalog.js";

const { Spectral, Document } = spectralCore;
const WARNING = 1; // DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint

type Format = "openapi" | "asyncapi";
const RULESETS = { openapi: rulesets.oas, asyncapi: rulesets.asyncapi } as Record<Format, RulesetDefinition>;

/** The errors and warnings of the format's Spectral ruleset on `text`, as "severity rule at path". */
async function lint(format: Format, text: string, source: string): Promise<string[]> {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [RULESETS[format]] });
  const results = await spectral.run(new Document(text, parsers.Json, source));
  return results
    .filter((r) => r.severity <= WARNING)
    .map((r) => `${r.severity === 0 ? "error" : "warning"} ${r.code} at ${r.path.join("/")}`)
    .sort();
}

const lintDoc = (format: Format, doc: JsonObject) => lint(format, JSON.stringify(doc, null, 2), `generated ${format}`);
const get = (node: unknown, ...keys: string[]) => keys.reduce((n, k) => (n as JsonObject)[k], node) as JsonObject;

type Breakage = [string, string, (doc: JsonObject) => void];
const GET_ONE = ["paths", "/api/v2/interactions/{id}", "get"];

// Each rule spectral:oas reported on the documents before issue 22, and one rule the fix relies on.
const OPENAPI_BREAKAGES: Breakage[] = [
  ["an operation without tags", "warning operation-tags", (d) => delete get(d, ...GET_ONE).tags],
  ["info without a contact", "warning info-contact", (d) => delete get(d, "info").contact],
  [
    "an operation tag the top level does not declare",
    "warning operation-tag-defined",
    (d) => (get(d, ...GET_ONE).tags = ["/undeclared"]),
  ],
  [
    "an array schema without items",
    "error array-items",
    (d) => delete get(d, "components", "schemas", "Interaction", "properties", "participants").items,
  ],
];

// Each rule spectral:asyncapi reported on the documents before issue 22, and one rule the fix relies on.
const ASYNCAPI_BREAKAGES: Breakage[] = [
  ["info without tags", "warning asyncapi-3-tags", (d) => delete get(d, "info").tags],
  ["info without a contact", "warning asyncapi-info-contact", (d) => delete get(d, "info").contact],
  ["info without a license", "warning asyncapi-info-license", (d) => delete get(d, "info").license],
  [
    "a contact without url and email",
    "warning asyncapi-info-contact-properties",
    (d) => (get(d, "info").contact = { name: "someone" }),
  ],
];

const DOCUMENTS: [Format, (profile: Profile) => JsonObject, (profile: Profile) => string, Breakage[]][] = [
  ["openapi", (p) => generateOpenApi(p), openApiFile, OPENAPI_BREAKAGES],
  ["asyncapi", (p) => generateAsyncApi(p), asyncApiFile, ASYNCAPI_BREAKAGES],
];

describe.each(PROFILES)("Spectral on the %s profile's documents", (profile: Profile) => {
  describe.each(DOCUMENTS)("spectral:%s", (format, generate, file, breakages) => {
    const doc = generate(profile);

    it("reports no error or warning on the generated document", async () => {
      expect(await lintDoc(format, doc)).toEqual([]);
    });

    it(`reports no error or warning on the committed ${file(profile)}`, async () => {
      expect(await lint(format, readFileSync(file(profile), "utf8"), file(profile))).toEqual([]);
    });

    it.each(breakages)("reports a copy broken with %s (%s)", async (_what, finding, breakIt) => {
      const broken = structuredClone(doc);
      breakIt(broken);
      const found = await lintDoc(format, broken);
      expect(found.filter((f) => f.startsWith(`${finding} at`))).not.toEqual([]);
    });
  });
});
