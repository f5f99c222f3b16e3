// Writes a run's results into the report directory: results.json (checked against its schema), JUnit XML, CTRF
// and the HTML report.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConformanceResults } from "../generated/schema-types.js";
import { schemas } from "../model/schemas.js";
import { renderReport } from "../report/html.js";
import { ctrfJson } from "./ctrf.js";
import { junitXml } from "./junit.js";

export function writeResults(dir: string, results: ConformanceResults): void {
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
}
