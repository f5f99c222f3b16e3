// Self-tests of the spec model: the catalog covers the page's tables, is consistent with the schemas and
// the state model, and every requirement and ambiguity entry is accounted for.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpecModel, PROFILES } from "../src/model/catalog.js";
import { schemas } from "../src/model/schemas.js";

const ROOT = join(import.meta.dirname, "..");
const PAGE = readFileSync(join(ROOT, "spec/interactions-api-operations.txt"), "utf8");
const FACTS = readFileSync(join(ROOT, "spec/gws-facts.md"), "utf8");
const fold = (text: string) => text.replace(/```/g, " ").replace(/\s+/g, " ");
const model = loadSpecModel();
const { catalog } = model;

/** The page's tables, read from the page itself: "The following operations are supported on X:" then rows. */
function pageTables(): { endpoints: string[]; operations: string[] } {
  const endpoints: string[] = [];
  const operations: string[] = [];
  let path = "";
  for (const line of PAGE.split("\n")) {
    const heading = /^The following operations are supported on \**([^*:]+)\**:/.exec(line);
    if (heading) path = heading[1]!.replace(/^\/?/, "/");
    const endpointRow = /^(GET|PUT)\t/.exec(line);
    if (endpointRow && path) endpoints.push(`${endpointRow[1]} ${path}${line.includes("fields=*") ? "?fields=*" : ""}`);
    const operationRow = /^(\w+)\tPOST\t/.exec(line);
    if (operationRow) operations.push(operationRow[1]!);
  }
  return { endpoints, operations };
}

describe("the operation catalog", () => {
  const tables = pageTables();

  it("has every operation of the page's table, and no other but the auxiliary ones", () => {
    expect(tables.operations).toHaveLength(11);
    const named = catalog.operations.filter((o) => !o.auxiliary).map((o) => o.title);
    expect(named.sort()).toEqual([...tables.operations].sort());
  });

  it("has every GET and PUT endpoint of the page's tables", () => {
    expect(tables.endpoints).toHaveLength(5);
    const listed = catalog.endpoints.map(
      (e) =>
        `${e.method} ${e.path.replace("/api/v2", "")}${
          e.query
            ? `?${Object.entries(e.query)
                .map(([k, v]) => `${k}=${v}`)
                .join("&")}`
            : ""
        }`,
    );
    expect(listed.sort()).toEqual([...tables.endpoints].sort());
  });

  it("names only schemas that exist", () => {
    const named = new Set<string>();
    for (const o of catalog.operations) {
      for (const p of PROFILES) {
        named.add(o.request[p]);
        o.response[p].success.forEach((s) => named.add(s));
        o.response[p].failure.forEach((s) => named.add(s));
      }
    }
    for (const e of catalog.endpoints) for (const p of PROFILES) e.response?.[p].success.forEach((s) => named.add(s));
    for (const p of PROFILES)
      Object.values(catalog.notificationSchemas[p])
        .flat()
        .forEach((s) => named.add(s));
    const missing = [...named].filter((s) => !schemas().has(s));
    expect(missing).toEqual([]);
  });

  it.each(catalog.operations.map((o) => [o.id, o] as const))(
    "%s: its request schemas accept its operationName only",
    (_id, o) => {
      for (const p of PROFILES) {
        const schema = schemas().files.find((f) => f.path === o.request[p])!.schema as unknown as {
          properties: { operationName: { const?: string; enum?: string[] } };
        };
        const names = schema.properties.operationName.const ?? schema.properties.operationName.enum;
        expect([names].flat()).toContain(o.operationName);
      }
    },
  );

  it.each(catalog.operations.map((o) => [o.id, o] as const))(
    "%s: is a capability of exactly the states it is valid in",
    (_id, o) => {
      const statesListing = Object.entries(catalog.states)
        .filter(([, s]) => s.capabilities.includes(o.operationName))
        .map(([name]) => name);
      expect(statesListing.sort()).toEqual([...o.validIn].sort());
    },
  );

  it("gives terminal and workbin states no capabilities", () => {
    for (const [name, s] of Object.entries(catalog.states)) {
      if (s.heldBy !== "agent") expect(s.capabilities, name).toEqual([]);
    }
  });

  it("uses gws's uniform envelope for every operation in the gws profile", () => {
    for (const o of catalog.operations) {
      expect(o.response.gws).toEqual({
        success: ["responses/gws-ok.json"],
        failure: ["responses/statuscode-error.json"],
      });
    }
  });

  it("routes the transfer target's invitation to the target and everything else to the actor", () => {
    for (const o of catalog.operations) {
      const toTarget = o.notifications.filter((n) => n.to === "target");
      expect(toTarget.length > 0, o.id).toBe(o.outcome.holder === "target");
    }
  });
});

describe("the requirements list", () => {
  const folded = { page: fold(PAGE), facts: fold(FACTS) };
  const referenced = new Set([...catalog.operations, ...catalog.endpoints].flatMap((o) => o.requirements));
  const pageRequirements = model.requirements.filter((r) => (r.source ?? "page") === "page");

  it.each(model.requirements.filter((r) => r.source !== "protocol").map((r) => [r.id, r] as const))(
    "%s quotes its source",
    (_id, r) => {
      expect(folded[r.source === "facts" ? "facts" : "page"]).toContain(r.quote);
    },
  );

  it("has unique ids", () => {
    const ids = model.requirements.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("is covered: each testable page requirement is cited by the catalog, each untestable one says why", () => {
    const uncovered = pageRequirements.filter((r) => r.testable && !referenced.has(r.id)).map((r) => r.id);
    expect(uncovered).toEqual([]);
    const unexplained = model.requirements.filter((r) => !r.testable && !r.reason).map((r) => r.id);
    expect(unexplained).toEqual([]);
  });

  it("is all the catalog cites", () => {
    const unknown = [...referenced].filter((id) => !model.requirements.some((r) => r.id === id));
    expect(unknown).toEqual([]);
  });

  // Issue 12: every expectation names its clause; a misspelt one would only surface when it breaks.
  it("holds every clause the suites and the harness name, and each facts and protocol clause is used", () => {
    const sources = [
      ...["suites", "src/suite"].flatMap((dir) =>
        readdirSync(join(ROOT, dir)).map((f) => readFileSync(join(ROOT, dir, f), "utf8")),
      ),
      readFileSync(join(ROOT, "schemas/catalog.json"), "utf8"),
    ].join("\n");
    const named = new Set([...sources.matchAll(/"((?:REQ|FACT|PROTO|AMB)-[A-Z0-9-]*[A-Z0-9])"/g)].map((m) => m[1]!));
    const known = new Set([...model.requirements.map((r) => r.id), ...model.ambiguities.map((a) => a.id)]);
    expect([...named].filter((id) => !known.has(id))).toEqual([]);
    expect(model.requirements.filter((r) => r.source && !named.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it("cites every section of the page", () => {
    const sections = [
      "Synchronous",
      "Accept",
      "Reject",
      "Cancel",
      "Complete",
      "PlaceInQueue",
      "UpdateUserData",
      "AttachUserData",
      "DeleteUserData",
      "PlaceInWorkbin",
      "GetWorkbinContent",
      "SingleStepTransfer",
    ];
    expect(new Set(pageRequirements.map((r) => r.section))).toEqual(new Set(sections));
  });
});

describe("the ambiguity register", () => {
  // The contradictions issue 2 names; each must have an entry with a decision per profile.
  const named = [
    "AMB-ENVELOPE",
    "AMB-EMPTY-200",
    "AMB-TRANSFER-TARGET",
    "AMB-DELETE-KEYS",
    "AMB-WORKBIN-OPS",
    "AMB-ERROR-HTTP-STATUS",
    "AMB-ADMIN-ROLE",
    "AMB-CANCEL-PRECONDITION",
    "AMB-NOTIFICATION-NAMES",
    "AMB-TRANSFER-NAME",
    "AMB-WORKBIN-CONTENT",
  ];

  it.each(named)("has an entry for %s decided for both profiles", (id) => {
    const entry = model.ambiguity(id);
    expect(entry.decision.seed.length).toBeGreaterThan(10);
    // gws either decides in its own words or explicitly keeps seed's decision.
    expect(entry.decision.gws).toMatch(/^Same as seed|^.{11,}/s);
  });

  it("has unique ids", () => {
    const ids = model.ambiguities.map((a) => a.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("is all the catalog cites, and names only catalog operations", () => {
    const cited = [...catalog.operations, ...catalog.endpoints].flatMap((o) => o.ambiguities);
    expect(cited.filter((id) => !model.ambiguities.some((a) => a.id === id))).toEqual([]);
    const ops = new Set(catalog.operations.map((o) => o.id));
    expect(model.ambiguities.flatMap((a) => a.affects.operations).filter((o) => !ops.has(o))).toEqual([]);
  });

  it("is cited, in text, only by ids it has", () => {
    const texts = JSON.stringify([model.requirements, catalog, model.ambiguities, schemas().files]);
    const mentioned = new Set(texts.match(/AMB-[A-Z0-9]+(?:-[A-Z0-9]+)*/g));
    expect([...mentioned].filter((id) => !model.ambiguities.some((a) => a.id === id))).toEqual([]);
  });
});

describe("the vendored spec", () => {
  // CI clones the project with shared/ beside it; a user's clone has only the vendored copies.
  const shared = join(ROOT, "..", "shared", "spec");
  it.skipIf(!existsSync(shared)).each(["interactions-api-operations.txt", "gws-facts.md"])(
    "spec/%s matches shared/spec",
    (name) => {
      expect(readFileSync(join(ROOT, "spec", name), "utf8")).toBe(readFileSync(join(shared, name), "utf8"));
    },
  );
});
