// The suite's own traffic, judged by the API documents as Prism's validating proxy judges it (issue 22): one whole
// run per profile against the reference server, recording every request that reaches /api/v2/** (CometD's
// /api/v2/notifications and the provisioning hook are not in the OpenAPI documents). Each request is attributed to
// its check by the run's evidence (results.json) and judged by the profile's OpenAPI document: the path and method
// are there, the path and query parameters are declared and valid, and the body has a declared media type and
// validates against the requestBody schema. Undescribed requests are allowed only where they are meant: the
// bad-input family's checks, and the runner's one request outside any check listed below.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../src/gen/api-common.js";
import { generateOpenApi } from "../src/gen/openapi.js";
import type { CheckResult } from "../src/generated/schema-types.js";
import { PROFILES, type Profile } from "../src/model/catalog.js";
import { NOTIFICATIONS_PATH } from "../src/reference/notifier.js";
import { startReferenceServer } from "../src/reference/server.js";
import { configFor, runCli } from "./support/conformance.js";
import { requestJudge, type SentRequest } from "./support/openapi-requests.js";

/**
 * The family whose checks send undescribed requests on purpose (suites/bad-input-*.suite.ts and each operation's
 * missing and wrong-type parameter checks): bodies without operationName, of the wrong JSON type, not JSON, empty,
 * form-encoded, with unknown members or parameters. No check of another family sends one: their refusals
 * (permissions, foreign or unknown interactions, invalid states) are of well-formed requests, and this test fails
 * as soon as one does.
 */
const BAD_INPUT = "bad-input";

/** The runner's requests outside any check that no OpenAPI document describes, and why. */
const RUNNER_REQUESTS: Record<string, string> = {
  "GET /api/v2/diagnostics/version":
    "src/runner/provenance.ts reads the target's version into provenance.json from GWS's diagnostics resource, " +
    "which is not part of the Interactions API; any answer, 404 included, is accepted",
};

const inScope = (path: string) => path.startsWith("/api/v2/") && !path.startsWith(NOTIFICATIONS_PATH);
const line = (r: SentRequest) => `${r.method} ${r.url}`;

/** The request body's text as sent: the last argument of the exchange's curl line (--data-raw '...'). */
function sentBody(curl: string): string | undefined {
  return /--data-raw '((?:[^']|'\\'')*)'$/.exec(curl)?.[1]?.replace(/'\\''/g, "'");
}

/** Every in-scope request of every check, from its evidence. */
function checkRequests(checks: CheckResult[]): (SentRequest & { check: CheckResult })[] {
  return checks.flatMap((check) =>
    check.evidence.exchanges.flatMap((x) => {
      const { pathname, search } = new URL(x.url);
      if (!inScope(pathname)) return [];
      const contentType = Object.entries(x.requestHeaders).find(([k]) => k.toLowerCase() === "content-type")?.[1];
      return [{ check, method: x.method, url: pathname + search, contentType, body: sentBody(x.curl) }];
    }),
  );
}

/** What is left of `all` once each of `taken` is removed once (a multiset difference). */
function without(all: string[], taken: string[]): string[] {
  const left = [...all];
  for (const t of taken) {
    const i = left.indexOf(t);
    if (i >= 0) left.splice(i, 1);
  }
  return left;
}

/**
 * Runs the suite against the reference server (the explore family apart: its sequences run in contexts of their own,
 * whose requests are in no check's evidence; `explore` runs it alone), with every in-scope request the server
 * received, and each one's parsed body.
 */
async function recordedRun(profile: Profile, explore = false) {
  const reached: { line: string; hasBody: boolean }[] = [];
  const parsed: SentRequest[] = [];
  const server = await startReferenceServer({
    profile,
    // The raw server's event comes before any hook of the reference server's can refuse the request.
    configure: (app) => {
      app.server.on("request", ({ method, url, headers }: IncomingMessage) => {
        const hasBody = Number(headers["content-length"] ?? 0) > 0 || headers["transfer-encoding"] !== undefined;
        if (inScope(url!.split("?")[0]!)) reached.push({ line: `${method} ${url}`, hasBody });
      });
      app.addHook("preHandler", async (request) => {
        if (!inScope(request.url.split("?")[0]!)) return;
        const contentType = request.headers["content-type"];
        const body = request.body === undefined ? undefined : JSON.stringify(request.body);
        parsed.push({ method: request.method, url: request.url, contentType, body });
      });
    },
  });
  try {
    const config = { ...configFor(server), explore: { enabled: explore } };
    const run = await runCli(explore ? ["--only", "explore.*"] : [], config);
    if (!run.results) throw new Error(`The run wrote no results (exit ${run.exitCode}): ${run.stderr}`);
    return { reached, parsed, checks: run.results.checks };
  } finally {
    await server.close();
  }
}

describe.each(PROFILES)("the suite's own requests in the %s profile", (profile: Profile) => {
  it("are all described by the profile's OpenAPI document, but for the deliberate bad input", async () => {
    const { reached, checks } = await recordedRun(profile);
    const judge = requestJudge(generateOpenApi(profile));
    const sent = checkRequests(checks);
    // Every request a check recorded reached the server; the others are the runner's, sent without a body.
    expect(
      without(
        sent.map(line),
        reached.map((r) => r.line),
      ),
    ).toEqual([]);
    const outside = without(
      reached.map((r) => r.line),
      sent.map(line),
    );
    expect(reached.filter((r) => r.hasBody && outside.includes(r.line))).toEqual([]);

    const judged = sent.map((r) => ({ r, problems: judge(r) }));
    const undescribed = judged.filter((j) => j.problems.length > 0);
    const show = ({ r, problems }: (typeof judged)[number]) =>
      `${r.check.id}: ${line(r)} ${r.body?.slice(0, 200) ?? ""} (${problems.join("; ")})`;
    expect(undescribed.filter((j) => j.r.check.family !== BAD_INPUT).map(show)).toEqual([]);
    // Not vacuous: the judge flags the bad-input family's requests, of every kind of defect.
    const defects = undescribed.flatMap((j) => j.problems).join("\n");
    for (const defect of [/does not validate/, /is not JSON/, /Content-Type/, /requires a body/])
      expect(defects).toMatch(defect);
    // And it passes the rest: every operation of the document is exercised by a described request.
    const described = judged.filter((j) => j.problems.length === 0).map((j) => j.r.method);
    expect(new Set(described)).toEqual(new Set(["GET", "POST", "PUT"]));

    const runnerUndescribed = outside.filter((l) => {
      const [method, url] = l.split(" ") as [string, string];
      return judge({ method, url }).length > 0;
    });
    expect([...new Set(runnerUndescribed)].sort()).toEqual(Object.keys(RUNNER_REQUESTS).sort());
  }, 180_000);
});

describe.each(PROFILES)("the explorer's requests in the %s profile", (profile: Profile) => {
  it("are all described by the profile's OpenAPI document, corner-case userData included", async () => {
    const { parsed, checks } = await recordedRun(profile, true);
    expect(checks.map((c) => c.id)).toEqual(["explore.sequences"]);
    const judge = requestJudge(generateOpenApi(profile));
    const operations = parsed.filter((r) => r.method === "POST" && r.body?.includes("operationName"));
    expect(operations.length).toBeGreaterThan(50);
    const judged = parsed.filter((r) => !(line(r) in RUNNER_REQUESTS));
    expect(judged.flatMap((r) => judge(r).map((p) => `${line(r)} ${r.body?.slice(0, 200) ?? ""} (${p})`))).toEqual([]);
  }, 180_000);
});

describe("the request judge", () => {
  const doc = generateOpenApi("seed");
  const judge = requestJudge(doc);
  const json = (method: string, url: string, body: unknown): SentRequest => ({
    method,
    url,
    contentType: "application/json",
    body: JSON.stringify(body),
  });
  const put = json("PUT", "/api/v2/interactions/abc", { userData: { key: "value" } });

  it("passes the described requests, the PUT body the permissions check sends included", () => {
    expect(judge({ method: "GET", url: "/api/v2/me/interactions?fields=*" })).toEqual([]);
    expect(judge(json("POST", "/api/v2/me/interactions/abc", { operationName: "Accept" }))).toEqual([]);
    expect(judge(put)).toEqual([]);
    expect(judge({ method: "PUT", url: "/api/v2/interactions/abc" })).toEqual([]);
  });

  it.each<[string, SentRequest, RegExp]>([
    ["an unknown path", { method: "GET", url: "/api/v2/nowhere" }, /no path/],
    ["an invalid path parameter", { method: "GET", url: `/api/v2/interactions/${"x".repeat(257)}` }, /id is invalid/],
    ["an undocumented method", { method: "DELETE", url: "/api/v2/interactions/abc" }, /no DELETE/],
    ["an undeclared query parameter", { method: "GET", url: "/api/v2/interactions?x=1" }, /x is not declared/],
    ["an undeclared query value", { method: "GET", url: "/api/v2/me/interactions?fields=id" }, /fields=id is invalid/],
    ["a body where none is declared", json("GET", "/api/v2/interactions", {}), /declares none/],
    ["a body the schema refuses", json("POST", "/api/v2/me/interactions/abc", { operationName: 1 }), /validate/],
    ["no body where one is required", { method: "POST", url: "/api/v2/me/interactions/abc" }, /requires a body/],
    ["a body that is not JSON", { ...put, body: "{" }, /not JSON/],
    ["a media type not declared", { ...put, contentType: "text/plain" }, /Content-Type text\/plain/],
    ["a PUT userData that is not an object", json("PUT", "/api/v2/interactions/abc", { userData: 1 }), /validate/],
  ])("flags %s", (_what, request, problem) => {
    expect(judge(request).join("\n")).toMatch(problem);
  });

  it("flags the PUT body on a document without its requestBody (what Prism found before issue 22)", () => {
    const before = structuredClone(doc) as JsonObject;
    delete ((before.paths as JsonObject)["/api/v2/interactions/{id}"] as { put: JsonObject }).put.requestBody;
    expect(requestJudge(before)(put)).toEqual(["a body was sent; the operation declares none"]);
  });
});
