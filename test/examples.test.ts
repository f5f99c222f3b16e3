// The CI recipes in examples/ do what README promises: they run the suite with the example configuration, keep
// report/ even when the run fails, publish junit.xml, fail the job with the run's exit code, and take every URL
// and credential from the CI's secrets or variables; the example configuration is valid.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { loadConfig } from "../src/runner/config.js";
import { EXIT } from "../src/runner/run.js";
import { ROOT } from "./support/process.js";

const EXAMPLES = join(ROOT, "examples");
const CONFIG_FILE = "gws-conformance.config.json";
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY/i;
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

type Yaml = Record<string, unknown>;
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  "continue-on-error"?: unknown;
}

/** The recipe's content, and its header comment (which tells what to set and what the exit codes mean). */
function recipe(file: string): { data: Yaml; header: string } {
  const text = readFileSync(join(EXAMPLES, file), "utf8");
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`examples/${file} is not valid YAML: ${doc.errors[0]!.message}`);
  const header = /^(#.*\n)+/.exec(text)?.[0] ?? "";
  return { data: doc.toJS() as Yaml, header };
}

const configText = readFileSync(join(EXAMPLES, CONFIG_FILE), "utf8");
/** Every ${NAME} the example configuration reads from the environment. */
const configVariables = [...new Set([...configText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))];

/** The report directory a `gws-conformance run` command line writes. */
const reportDirOf = (line: string | undefined) => (line && /--report-dir (\S+)/.exec(line)?.[1]) || "report";

/** The command runs this version of the suite with the example configuration, and nothing swallows its exit code. */
function expectRunCommand(line: string | undefined): void {
  expect(line, "no step runs gws-conformance").toBeDefined();
  const range = /\bgws-conformance@([\d.]+) run\b/.exec(line!)?.[1];
  expect(range, `${line} does not run gws-conformance@VERSION run`).toBeDefined();
  expect(
    `${VERSION}.`.startsWith(`${range}.`),
    `the recipe runs gws-conformance@${range}, not this version ${VERSION}`,
  ).toBe(true);
  expect(line).toContain(`--config ${CONFIG_FILE}`);
  expect(line, "the command swallows the run's exit code").not.toMatch(/\|\||;|\bset \+e\b|\bexit 0\b/);
}

/** Every mapping entry of the YAML whose key looks like a credential, with its value. */
function credentialEntries(value: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialEntries(v, `${path}/${i}`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(SECRET_NAME.test(k) && typeof v !== "object" ? [[`${path}/${k}`, v] as [string, unknown]] : []),
    ...credentialEntries(v, `${path}/${k}`),
  ]);
}

function documentsExitCodes(header: string): void {
  for (const [name, code] of Object.entries(EXIT))
    expect(header, `the header does not explain exit code ${code} (${name})`).toMatch(
      new RegExp(`^# +${code} +\\S`, "m"),
    );
}

describe(`examples/${CONFIG_FILE}`, () => {
  it("reads every URL and credential from the environment, and validates against schemas/config/config.json", () => {
    const config = JSON.parse(configText) as {
      target: { baseUrl: string };
      accounts: Record<string, { password: string }>;
      provisioning: { url: string; headers: Record<string, string> };
    };
    const reference = /^\$\{[A-Z0-9_]+\}$/;
    expect(config.target.baseUrl).toMatch(reference);
    expect(config.provisioning.url).toMatch(reference);
    for (const [role, account] of Object.entries(config.accounts))
      expect(account.password, `accounts.${role}.password`).toMatch(reference);
    for (const [header, value] of Object.entries(config.provisioning.headers))
      expect(value, `provisioning.headers.${header}`).toMatch(reference);
    // loadConfig substitutes the references and validates the result with the project's schema registry.
    const env = Object.fromEntries(
      configVariables.map((name) => [name, /URL/.test(name) ? "https://gws.example.com" : `value-of-${name}`]),
    );
    const loaded = loadConfig({
      file: join(EXAMPLES, CONFIG_FILE),
      cwd: mkdtempSync(join(tmpdir(), "gws-example-")),
      env,
    });
    expect(loaded.target?.baseUrl).toBe("https://gws.example.com");
    expect(loaded.accounts.agent?.password).toBe("value-of-GWS_AGENT_PASSWORD");
  });
});

describe("examples/github-actions.yml", () => {
  const { data, header } = recipe("github-actions.yml");
  const jobs = Object.values(data.jobs as Record<string, { steps: Step[]; "runs-on": string }>);
  const steps = jobs.flatMap((j) => j.steps);
  const runStep = steps.find((s) => s.run?.includes("gws-conformance"));
  const reportDir = reportDirOf(runStep?.run);

  it("runs the suite on Node 20 or later, failing the job with the run's exit code", () => {
    expectRunCommand(runStep?.run);
    const node = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(
      Number(node?.with?.["node-version"]),
      "actions/setup-node does not set Node 20 or later",
    ).toBeGreaterThanOrEqual(20);
    expect(runStep!["continue-on-error"], "continue-on-error would hide the exit code").toBeUndefined();
    expect(runStep!.if, "the run step must not be conditional").toBeUndefined();
    documentsExitCodes(header);
  });

  it("takes each variable the configuration reads from secrets (credentials) or variables, never a literal", () => {
    const env = runStep!.env ?? {};
    for (const name of configVariables) {
      const source = SECRET_NAME.test(name) ? "secrets" : "vars|secrets";
      expect(env[name], `${name} is not taken from ${source}`).toMatch(
        new RegExp(`^\\$\\{\\{ (${source})\\.${name} \\}\\}$`),
      );
    }
    for (const [path, value] of credentialEntries(data))
      expect(value, `${path} is not a secret reference`).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
  });

  it("uploads the report directory as an artifact even when the run fails", () => {
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload, "no actions/upload-artifact step").toBeDefined();
    expect(upload!.if).toBe("always()");
    expect(String(upload!.with?.path).replace(/\/$/, "")).toBe(reportDir);
    expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(runStep!));
  });

  it("publishes junit.xml as test results even when the run fails", () => {
    const junit = steps.find((s) => /^(mikepenz\/action-junit-report|dorny\/test-reporter)@v\d+$/.test(s.uses ?? ""));
    expect(junit, "no JUnit publishing step").toBeDefined();
    expect(junit!.if).toBe("always()");
    expect(junit!.with?.report_paths ?? junit!.with?.path).toBe(`${reportDir}/junit.xml`);
    expect((data.permissions as Record<string, string>).checks, "the JUnit check run needs checks: write").toBe(
      "write",
    );
  });
});

describe("examples/gitlab-ci.yml", () => {
  const { data, header } = recipe("gitlab-ci.yml");
  const [name, job] = Object.entries(data).find(([, j]) => Array.isArray((j as Yaml).script)) as [
    string,
    { image: string; script: string[]; artifacts: Yaml; variables?: Yaml; allow_failure?: unknown },
  ];
  const runLine = job.script.find((l) => l.includes("gws-conformance"));
  const reportDir = reportDirOf(runLine);

  it("runs the suite on Node 20 or later, failing the job with the run's exit code", () => {
    expectRunCommand(runLine);
    expect(
      Number(/^node:(\d+)/.exec(job.image)?.[1]),
      `job ${name} does not run on a Node 20 or later image`,
    ).toBeGreaterThanOrEqual(20);
    expect(job.allow_failure, "allow_failure would hide the exit code").toBeUndefined();
    documentsExitCodes(header);
  });

  it("takes each variable the configuration reads from the project's CI/CD variables, never from the file", () => {
    const defined = { ...(data.variables as Yaml | undefined), ...job.variables };
    for (const variable of configVariables) {
      expect(defined[variable], `${variable} is written in the recipe`).toBeUndefined();
      expect(header, `the header does not say to set ${variable}`).toContain(variable);
    }
    const masked = header.split("\n").find((l) => l.includes("masked")) ?? "";
    for (const secret of configVariables.filter((v) => SECRET_NAME.test(v)))
      expect(masked, `the header does not say to mask ${secret}`).toContain(secret);
    for (const [path, value] of credentialEntries(data))
      expect(value, `${path} is not a CI/CD variable reference`).toMatch(/^\$\{?\w+\}?$/);
  });

  it("keeps the report directory as an artifact even when the run fails", () => {
    expect(job.artifacts.when).toBe("always");
    expect((job.artifacts.paths as string[]).map((p) => p.replace(/\/$/, ""))).toContain(reportDir);
  });

  it("publishes junit.xml as the job's test report", () => {
    expect((job.artifacts.reports as Yaml | undefined)?.junit).toBe(`${reportDir}/junit.xml`);
  });
});
