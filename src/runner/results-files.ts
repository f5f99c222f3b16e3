// Writes a run's results into the report directory: results.json (checked against its schema), JUnit XML, CTRF,
// the HTML report, provenance.json and, with --baseline, baseline-diff.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConformanceResults } from "../generated/schema-types.js";
import { schemas } from "../model/schemas.js";
import { renderReport } from "../report/html.js";
import { BASELINE_FILE } from "./baseline.js";
import { ctrfJson } from "./ctrf.js";
import { junitXml } from "./junit.js";
import { PROVENANCE_FILE, type Provenance } from "./provenance.js";

export function writeResults(dir: string, results: ConformanceResults, origin?: Provenance): void {
  const valid = schemas().validate("results/results.json", results);
  if (!valid.valid)
    throw new Error(
      `The results do not match schemas/results/results.json: ${valid.violations.map((v) => `${v.pointer} ${v.message}`).join("; ")}`,
    );
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, "junit.xml"), junitXml(results));
  writeFileSync(join(dir, "ctrf.json"), ctrfJson(results));
  writeFileSync(join(dir, "index.html"), renderReport(results));
  if (results.baseline) writeFileSync(join(dir, BASELINE_FILE), `${JSON.stringify(results.baseline, null, 2)}\n`);
  if (origin) writeFileSync(join(dir, PROVENANCE_FILE), `${JSON.stringify(origin, null, 2)}\n`);
}
