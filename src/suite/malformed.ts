// Helpers of the bad-input checks: which request parameters a profile's request schema requires, what a value
// of the wrong JSON type is for each, which envelopes a refusal may use, and how to tell "refused, changing
// nothing" from "accepted" without ever taking a 5xx or a missing answer for either.
import type { Operation } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { requestBody } from "../model/requests.js";
import { schemas } from "../model/schemas.js";
import type { CheckContext, Clause, RefusalRule } from "./check.js";
import type { HttpAnswer } from "./http.js";
import type { Snapshot } from "./scenario.js";

type JsonSchema = Record<string, unknown>;

const asSchema = (v: unknown): JsonSchema | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonSchema) : undefined;

/** The schema file at `path` under schemas/ (as listed by schemas().files). */
function schemaFile(path: string): JsonSchema {
  const file = schemas().files.find((f) => f.path === path);
  if (!file) throw new Error(`No schema at schemas/${path}.`);
  return file.schema;
}

/** Follows a $ref ("../common.json#/$defs/X" or "#/$defs/X") relative to the schema file `from`. */
function resolve(schema: JsonSchema, from: string): { schema: JsonSchema; from: string } {
  const ref = schema.$ref;
  if (typeof ref !== "string") return { schema, from };
  const [file, pointer = ""] = ref.split("#");
  const path = file ? new URL(file, `https://x/${from}`).pathname.slice(1) : from;
  let node: unknown = schemaFile(path);
  for (const key of pointer.split("/").filter(Boolean))
    node = asSchema(node)?.[key.replace(/~1/g, "/").replace(/~0/g, "~")];
  const target = asSchema(node);
  if (!target) throw new Error(`Cannot resolve ${ref} from schemas/${from}.`);
  return resolve(target, path);
}

/** A placeholder body of `op` in `profile`, only to learn which members the suite sends (values do not matter). */
function sampleBody(op: Operation, profile: Profile): Record<string, unknown> {
  return requestBody(op, profile, {
    queue: "q",
    workbin: "w",
    target: { id: "agent2", uri: "/users/agent2" },
    marker: "m",
  });
}

/**
 * The parameters (other than operationName) the profile's request schema requires of `op`: its `required`
 * members, and, where the schema requires one of several (oneOf/anyOf of `required`, e.g. gws Transfer's
 * userUri | targetUri | queueName), the one the suite sends.
 */
export function requiredParameters(op: Operation, profile: Profile): string[] {
  const schema = schemaFile(op.request[profile]);
  const sent = Object.keys(sampleBody(op, profile));
  const required = new Set<string>(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const branches = Array.isArray(schema[keyword]) ? (schema[keyword] as unknown[]) : [];
    for (const branch of branches) {
      for (const name of (asSchema(branch)?.required as string[] | undefined) ?? [])
        if (sent.includes(name)) required.add(name);
    }
  }
  required.delete("operationName");
  return [...required];
}

/** The JSON types the request schema allows for `param` of `op`. */
function typesOf(op: Operation, profile: Profile, param: string): string[] {
  const path = op.request[profile];
  const property = asSchema(asSchema(schemaFile(path).properties)?.[param]);
  if (!property) throw new Error(`schemas/${path} has no property ${param}.`);
  const { schema } = resolve(property, path);
  const type = schema.type;
  return Array.isArray(type) ? (type as string[]) : typeof type === "string" ? [type] : [];
}

/** A value of the wrong JSON type for `param`: a number where a string is expected, a string where an object or array is. */
export function wrongTypeValue(op: Operation, profile: Profile, param: string): unknown {
  const types = typesOf(op, profile, param);
  if (types.includes("string")) return 42;
  return "text";
}

/**
 * The failure envelopes a refusal of a request whose operation the server cannot know may use
 * (AMB-UNPARSEABLE-REQUEST): seed either of the page's, gws the statusCode one.
 */
export function unparseableFailures(profile: Profile): string[] {
  return profile === "seed"
    ? ["responses/status-error.json", "responses/statuscode-error.json"]
    : ["responses/statuscode-error.json"];
}

/** gws statusCodes for a body that is not a JSON object, as for any invalid parameter (AMB-UNPARSEABLE-REQUEST). */
export const NOT_AN_OBJECT_CODES = [1, 2, 8];

/** `body` as short JSON, for failure messages. */
export function shown(body: unknown, max = 140): string {
  const text = typeof body === "string" ? body : (JSON.stringify(body) ?? String(body));
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/** What came back, as a short phrase for failure messages. */
export function answered(answer: HttpAnswer): string {
  if (answer.status === 0) return answer.error ?? "no answer";
  return `HTTP ${answer.status}${answer.text ? ` ${shown(answer.text, 160)}` : " with an empty body"}`;
}

/** Key-order-independent JSON, so two snapshots (or notifications) compare by content. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/**
 * A refusal changes nothing: what the agent observes of the interaction is the same before and after. `clause`
 * says the refusal means the operation was not performed: the envelope's (its Failed output), or the one that
 * required the refusal when that is normative.
 */
export function expectUnchanged(
  t: CheckContext,
  before: Snapshot,
  after: Snapshot,
  what: string,
  clause: Clause,
): void {
  t.expect(
    clause,
    canonical(before) === canonical(after),
    () =>
      `The refused ${what} changed the interaction: before ${shown(before, 300)}, after ${shown(after, 300)} (a refusal changes nothing).`,
  );
}

/**
 * Where the sources allow either (AMB-REQUEST-EXTRA-PARAMS, AMB-BODY-LIMIT): an answer must come and not be a 5xx
 * (PROTO-HTTP-ANSWER, PROTO-HTTP-5XX); a 2xx without a failure envelope is an acceptance, anything else is judged
 * as a refusal. Says which it was.
 */
export function acceptedOrRefused(
  t: CheckContext,
  answer: HttpAnswer,
  rule: RefusalRule,
  what: string,
  because: string,
): "accepted" | "refused" {
  t.expect(
    "PROTO-HTTP-ANSWER",
    answer.status !== 0,
    () => `${what} got no answer within the request timeout (${answer.error}); ${because}, not silence.`,
  );
  t.expect(
    "PROTO-HTTP-5XX",
    answer.status < 500,
    () => `${what} answered ${answered(answer)}; a client's mistake must never be a 5xx.`,
  );
  const failed = rule.failure.some((p) => schemas().validate(p, answer.body).valid);
  if (answer.status >= 200 && answer.status <= 299 && !failed) {
    t.note(`${what} was accepted (HTTP ${answer.status}); ${because}.`);
    return "accepted";
  }
  t.expectRefusal(answer, rule, what);
  t.note(`${what} was refused (HTTP ${answer.status}); ${because}.`);
  return "refused";
}

/** Replaces the request body of the last recorded exchange by a summary (a megabyte has no place in the report). */
export function abbreviateLastExchange(t: CheckContext, summary: string): void {
  const last = t.evidence.exchanges.at(-1);
  if (!last) return;
  last.requestBody = summary;
  // curlLine puts the body last: "... --data-raw '<body>'".
  const at = last.curl.indexOf(" --data-raw ");
  if (at >= 0) last.curl = `${last.curl.slice(0, at)} --data-raw '${summary.replace(/'/g, `'\\''`)}'`;
}
