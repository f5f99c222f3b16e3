// Judges an HTTP request by an OpenAPI document as a validating proxy (Prism's) would: the path and method are in the
// document, the path and query parameters are declared and valid, and the body has a declared media type and
// validates against the operation's requestBody schema. Credentials and headers other than Content-Type are not
// judged.
import { Ajv2020 } from "ajv/dist/2020.js";
import type { JsonObject } from "../../src/gen/api-common.js";
import { withFormats } from "../../src/model/schemas.js";
import { ajvOptions, compiler } from "./api-docs.js";

export interface SentRequest {
  method: string;
  /** Path and query, as sent ("/api/v2/me/interactions?fields=*"). */
  url: string;
  contentType?: string;
  /** The body's text; undefined when none was sent. */
  body?: string;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  /** Where its schema is in the document. */
  schemaAt: string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
const templateRegExp = (template: string) =>
  new RegExp(`^${escapeRegExp(template).replace(/\{([^}]+)\}/g, "(?<$1>[^/]+)")}$`);

/** The problems the document finds with a request: none when it describes the request. */
export function requestJudge(doc: JsonObject): (request: SentRequest) => string[] {
  const schemaAt = compiler(withFormats(new Ajv2020(ajvOptions)), doc, ["components", "paths"]);
  const paths = doc.paths as Record<string, JsonObject>;
  const routes = Object.keys(paths).map((template) => ({ template, pattern: templateRegExp(template) }));

  const declared = (template: string, method: string): Parameter[] => {
    const at = (keys: string[]): Parameter[] => {
      const list = keys.reduce<unknown>((n, k) => (n as JsonObject | undefined)?.[k], doc) as JsonObject[] | undefined;
      return (list ?? []).map((p, i) => {
        const ref = typeof p.$ref === "string" ? p.$ref.slice(2).split("/") : undefined;
        const param = ref ? (ref.reduce<unknown>((n, k) => (n as JsonObject)[k], doc) as JsonObject) : p;
        return {
          name: param.name as string,
          in: param.in as string,
          required: param.required as boolean | undefined,
          schemaAt: [...(ref ?? [...keys, String(i)]), "schema"],
        };
      });
    };
    return [...at(["paths", template, "parameters"]), ...at(["paths", template, method, "parameters"])];
  };

  return (request) => {
    const url = new URL(request.url, "http://target.invalid");
    const route = routes.find((r) => r.pattern.test(url.pathname));
    if (!route) return [`no path of the document matches ${url.pathname}`];
    const method = request.method.toLowerCase();
    const operation = paths[route.template]![method] as JsonObject | undefined;
    if (!operation) return [`${route.template} has no ${request.method} operation`];
    const problems: string[] = [];
    const params = declared(route.template, method);
    const valid = (p: Parameter, value: string) => schemaAt(...p.schemaAt)(value);
    const pathValues = route.pattern.exec(url.pathname)!.groups ?? {};
    for (const p of params.filter((p) => p.in === "path")) {
      if (!valid(p, decodeURIComponent(pathValues[p.name] ?? ""))) problems.push(`path parameter ${p.name} is invalid`);
    }
    const query = params.filter((p) => p.in === "query");
    for (const [name, value] of url.searchParams) {
      const p = query.find((q) => q.name === name);
      if (!p) problems.push(`query parameter ${name} is not declared`);
      else if (!valid(p, value)) problems.push(`query parameter ${name}=${value} is invalid`);
    }
    for (const p of query.filter((q) => q.required && !url.searchParams.has(q.name)))
      problems.push(`required query parameter ${p.name} is missing`);
    problems.push(...bodyProblems(request, operation, route.template, method, schemaAt));
    return problems;
  };
}

function bodyProblems(
  request: SentRequest,
  operation: JsonObject,
  template: string,
  method: string,
  schemaAt: ReturnType<typeof compiler>,
): string[] {
  const requestBody = operation.requestBody as { required?: boolean; content: JsonObject } | undefined;
  if (request.body === undefined || request.body === "") {
    return requestBody?.required ? ["the operation requires a body; none was sent"] : [];
  }
  if (!requestBody) return ["a body was sent; the operation declares none"];
  const media = request.contentType?.split(";")[0]!.trim().toLowerCase() ?? "";
  if (!(media in requestBody.content))
    return [`Content-Type ${media || "(none)"} is not one of ${Object.keys(requestBody.content).join(", ")}`];
  let data: unknown;
  try {
    data = JSON.parse(request.body);
  } catch {
    return ["the body is not JSON"];
  }
  const validate = schemaAt("paths", template, method, "requestBody", "content", media, "schema");
  return validate(data) ? [] : [`the body does not validate against the requestBody schema`];
}
