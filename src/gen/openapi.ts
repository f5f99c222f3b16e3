// Generates docs/api/openapi.<profile>.json: the REST operations and endpoints of the catalog
// (schemas/catalog.json) as one OpenAPI 3.1 document per profile, with that profile's request and response
// schemas embedded from schemas/. Never edited by hand (test/generated.test.ts checks drift).
import type { Endpoint } from "../generated/schema-types.js";
import { specModel, type Profile } from "../model/catalog.js";
import { loadSchemaFiles, type SchemaFile } from "../model/schemas.js";
import { CSRF_HEADER } from "../reference/auth.js";
import {
  camel,
  ComponentSchemas,
  EXAMPLE_BASE_URL,
  documentInfo,
  securitySchemes,
  unique,
  type JsonObject,
} from "./api-common.js";
import { interactionOperations } from "./openapi-interactions.js";
import { CSRF_PARAMETER, json, responses, type Context } from "./openapi-responses.js";

export const openApiFile = (profile: Profile) => `docs/api/openapi.${profile}.json`;

/** The schema of each path parameter the catalog's paths use. */
const PATH_PARAMETERS: Record<string, string> = { id: "common.json#/$defs/InteractionId" };
const CSRF_TEXT =
  `Only where the server enables CSRF protection (features.csrf, AMB-CSRF): every GET answers ${CSRF_HEADER} with the ` +
  "token, which POST and PUT must send back; without it they are refused with HTTP 403 and change nothing.";

/** Request bodies of catalog endpoints, by endpoint id: the catalog gives endpoints none, the page documents none. */
const ENDPOINT_BODIES: Record<string, (ctx: Context) => JsonObject> = {
  "put-interaction": (ctx) => ({
    required: false,
    description:
      "AMB-PUT-INTERACTION: no body is documented; the suite sends {userData} like UpdateUserData, and a server may " +
      "ignore it (the reference server takes it, and refuses a PUT without it).",
    content: json({
      type: "object",
      properties: { userData: { $ref: ctx.schemas.ref("common.json#/$defs/UserDataInput") } },
      required: ["userData"],
    }),
  }),
};

const cite = (label: string, ids: readonly string[]) => (ids.length > 0 ? `${label}: ${ids.join(", ")}.` : "");

function pathParameters(ctx: Context, path: string): JsonObject {
  const parameters = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
    const schema = PATH_PARAMETERS[name!];
    if (!schema)
      throw new Error(`The catalog path ${path} has a parameter {${name}} with no schema in PATH_PARAMETERS.`);
    return { name, in: "path", required: true, schema: { $ref: ctx.schemas.ref(schema) } };
  });
  return parameters.length > 0 ? { parameters } : {};
}

function queryParameters(group: Endpoint[]): JsonObject[] {
  return unique(group.flatMap((e) => Object.keys(e.query ?? {}))).map((name) => {
    const valueIn = (e: Endpoint) => e.query?.[name];
    return {
      name,
      in: "query",
      required: group.every((e) => valueIn(e) !== undefined),
      schema: { enum: unique(group.flatMap((e) => valueIn(e) ?? [])) },
      description: `${group.map((e) => `${valueIn(e) === undefined ? "without it" : `${name}=${valueIn(e)}`}: ${e.title}`).join("; ")}.`,
    };
  });
}

function endpointText(ctx: Context, e: Endpoint): string {
  const statements = e.requirements.map((id) => ctx.model.requirement(id).statement).join(" ");
  const query = e.query
    ? ` (${Object.entries(e.query)
        .map(([k, v]) => `${k}=${v}`)
        .join("&")})`
    : "";
  return [
    `**${e.title}**${query}: ${statements}`,
    `Roles: ${e.roles.join(" or ")}.`,
    e.feature
      ? `Optional feature ${e.feature}: a server without it sets features.${e.feature} false in the configuration.`
      : "",
    cite("Requirements", e.requirements),
    cite("Ambiguities", e.ambiguities),
  ]
    .filter(Boolean)
    .join(" ");
}

/** One HTTP operation serving the catalog endpoints that share its method and path (told apart by query). */
function endpointOperation(ctx: Context, group: Endpoint[]): JsonObject {
  const unsafe = group[0]!.method !== "GET";
  const parameters = [...queryParameters(group), ...(unsafe ? [CSRF_PARAMETER] : [])];
  const bodies = group.flatMap((e) => ENDPOINT_BODIES[e.id]?.(ctx) ?? []);
  if (bodies.length > 1) throw new Error(`${group.map((e) => e.id).join(" and ")} share a route: give it one body.`);
  return {
    operationId: camel(group.map((e) => e.id).join("-or-")),
    summary: group.map((e) => e.title).join("; "),
    description: group.map((e) => endpointText(ctx, e)).join("\n\n"),
    ...(parameters.length > 0 && { parameters }),
    ...(bodies.length > 0 && { requestBody: bodies[0] }),
    responses: responses(
      ctx,
      group.flatMap((e) => (e.response ? [e.response[ctx.profile]] : [])),
      unsafe,
      "",
    ),
  };
}

function groupByRoute(endpoints: Endpoint[]): Endpoint[][] {
  const groups = new Map<string, Endpoint[]>();
  for (const e of endpoints) {
    const route = `${e.method} ${e.path}`;
    groups.set(route, [...(groups.get(route) ?? []), e]);
  }
  return [...groups.values()];
}

/**
 * Tags every operation with the page's table that lists it ("The following operations are supported on
 * /me/interactions"), named by its path under /api/v2, and returns the tags, described, for the document's top level.
 */
function tagByTable(paths: Record<string, JsonObject>): JsonObject[] {
  return Object.entries(paths).map(([path, item]) => {
    const name = path.replace(/^\/api\/v2(?=\/)/, "");
    for (const [key, operation] of Object.entries(item)) {
      if (key !== "parameters") item[key] = { tags: [name], ...(operation as JsonObject) };
    }
    return { name, description: `The operations the spec page lists as supported on ${name}.` };
  });
}

export function generateOpenApi(profile: Profile, files: SchemaFile[] = loadSchemaFiles()): JsonObject {
  const model = specModel();
  const ctx: Context = { model, profile, schemas: new ComponentSchemas(files) };
  const { operations, endpoints } = model.catalog;
  const paths: Record<string, JsonObject> = {};
  const at = (path: string) => (paths[path] ??= pathParameters(ctx, path));
  at(operations[0].path).post = interactionOperations(ctx); // the catalog fixes one path for every operation
  for (const group of groupByRoute(endpoints)) {
    at(group[0]!.path)[group[0]!.method.toLowerCase()] = endpointOperation(ctx, group);
  }
  const tags = tagByTable(paths);
  const body = {
    tags,
    servers: [
      {
        url: "{baseUrl}",
        description: "A GWS server; the paths include /api/v2.",
        variables: {
          baseUrl: {
            default: EXAMPLE_BASE_URL,
            description: "Scheme, host and port (target.baseUrl in the suite's configuration).",
          },
        },
      },
    ],
    security: [{ basicAuth: [] }, { sessionCookie: [] }],
    paths,
    components: {
      schemas: ctx.schemas.schemas(),
      parameters: {
        csrfToken: {
          name: CSRF_HEADER,
          in: "header",
          required: false,
          schema: { type: "string" },
          description: CSRF_TEXT,
        },
      },
      securitySchemes: securitySchemes("apiKey"),
    },
  };
  return {
    openapi: "3.1.0",
    info: documentInfo(
      model,
      profile,
      "openapi",
      ["GWS Interactions API", "The REST operations of the GWS Interactions API"],
      body,
    ),
    ...body,
  };
}
