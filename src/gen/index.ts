// `npm run gen [types|register|docs|readme|checks]`: regenerates the derived files from schemas/.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { renderApiDocs } from "./api-docs.js";
import { CHECKS_FILE, listChecks, renderChecks } from "./checks.js";
import { README_FILE, withGeneratedSections } from "./readme.js";
import { REGISTER_FILE, renderRegister } from "./register.js";
import { generateTypes, TYPES_FILE } from "./types.js";
import { renderVocabulary, VOCABULARY_FILE } from "./vocabulary.js";

// Each target: the files it writes, as [path, content].
const targets: Record<string, () => Promise<[string, string][]>> = {
  types: async () => [
    [TYPES_FILE, await generateTypes()],
    [VOCABULARY_FILE, renderVocabulary()],
  ],
  register: async () => [[REGISTER_FILE, renderRegister()]],
  docs: async () => renderApiDocs(),
  readme: async () => [[README_FILE, withGeneratedSections(readFileSync(README_FILE, "utf8"))]],
  checks: async () => [[CHECKS_FILE, renderChecks(await listChecks())]],
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in targets));
if (unknown.length > 0) {
  console.error(`Unknown generation target ${unknown.join(", ")}: use one of ${Object.keys(targets).join(", ")}.`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(targets)) {
  for (const [file, content] of await targets[name]!()) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`wrote ${file}`);
  }
}
