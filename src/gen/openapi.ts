// Generates docs/api/openapi.<profile>.json: the REST operations and endpoints of the catalog
// (schemas/catalog.json) as one OpenAPI 3.1 document per profile, with that profile's request and response
// schemas embedded from schemas/. Never edited by hand (test/generated.test.ts checks drift).
import type { Endpoint, Operation, ResponseSchemas } from "../generated/schema-types.js";
import { specModel, type Profile, type SpecModel } from "../model/catalog.js";
import { loadSchemaFiles, type SchemaFile } from "../model/schemas.js";
import { CSRF_HEADER } from "../reference/auth.js";
import { defaultReading } from "../reference/reading.js";
import {
  camel,
  ComponentSchemas,
  EXAMPLE_BASE_URL,
  documentInfo,
  securitySchemes,
  unique,
  type JsonObject,
} from "./api-common.js";

export const openApiFile = (profile: Profile) => `docs/api/openapi.${profile}.json`;

interface Context {
  model: SpecModel;
  profile: Profile;
  schemas: ComponentSchemas;
}

/** The schema of each path parameter the catalog's paths use. */
const PATH_PARAMETERS: Record<string, string> = { id: "common.json#/$defs/InteractionId" };
const CSRF_PARAMETER = { $ref: "#/components/parameters/csrfToken" };
const json = (schema: JsonObject) => ({ "application/json": { schema } });
const CSRF_TEXT =
  `Only where the server enables CSRF protection (features.csrf, AMB-CSRF): every GET answers ${CSRF_HEADER} with the ` +
  "token, which POST and PUT must send back; without it they are refused with HTTP 403 and change nothing.";

const cite = (label: string, ids: readonly string[]) => (ids.length > 0 ? `${label}: ${ids.join(", ")}.` : "");

/** A Markdown table; `|` in cells is escaped. */
function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The reference server's HTTP status per refusal, e.g. "409 (invalidState)". */
function referenceStatuses(): string {
  const byStatus = new Map<number, string[]>();
  for (const [refusal, status] of Object.entries(defaultReading("seed").httpStatus))
    byStatus.set(status, [...(byStatus.get(status) ?? []), refusal]);
  return [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, refusals]) => `${status} (${refusals.join(", ")})`)
    .join(", ");
}

/** 200 and the refusals; `bodies` are the response schemas of the catalog entries served here (none: undocumented). */
function responses(ctx: Context, bodies: ResponseSchemas[], unsafe: boolean, successNote: string): JsonObject {
  const failure = bodies.flatMap((b) => b.failure);
  const content = (paths: string[]) => (paths.length > 0 ? { content: json(ctx.schemas.union(paths)) } : {});
  const documented = bodies.length > 0 ? "" : " No response body is documented.";
  const empty = bodies.some((b) => b.emptySuccessAllowed)
    ? " Where the table says so, the body may be empty (AMB-EMPTY-200)."
    : "";
  const refusal =
    failure.length > 0 ? " A refusal may also answer HTTP 200 with the failure body (AMB-ERROR-HTTP-STATUS)." : "";
  return {
    "200": {
      description: `Success${successNote}.${documented}${empty}${refusal}`,
      ...content([...bodies.flatMap((b) => b.success), ...failure]),
    },
    ...(unsafe && {
      "403": {
        description:
          `Refused with HTTP 403: documented for a missing or invalid ${CSRF_HEADER} (AMB-CSRF); other ` +
          `refusals may use it too (see 4XX).${documented}`,
        ...content(failure),
      },
    }),
    "4XX": {
      description:
        "Refused, with any 4xx status (AMB-ERROR-HTTP-STATUS, AMB-AUTH-ERRORS); the statusCode of the failure " +
        `body is decided by AMB-ERROR-CODES. The reference server answers ${referenceStatuses()}.${documented}`,
      ...content(failure),
    },
  };
}

function pathParameters(ctx: Context, path: string): JsonObject {
  const parameters = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
    const schema = PATH_PARAMETERS[name!];
    if (!schema)
      throw new Error(`The catalog path ${path} has a parameter {${name}} with no schema in PATH_PARAMETERS.`);
    return { name, in: "path", required: true, schema: { $ref: ctx.schemas.ref(schema) } };
  });
  return parameters.length > 0 ? { parameters } : {};
}

function operationRow(ctx: Context, op: Operation): string[] {
  const response = op.response[ctx.profile];
  const names = (paths: string[]) =>
    unique(paths)
      .map((p) => ctx.schemas.name(p))
      .join(" or ");
  const marks = [op.feature && `feature ${op.feature}`, op.auxiliary && "auxiliary"].filter(Boolean);
  return [
    op.operationName + (marks.length > 0 ? ` (${marks.join(", ")})` : ""),
    ctx.schemas.name(op.request[ctx.profile]),
    names(response.success) + (response.emptySuccessAllowed ? " or an empty body (AMB-EMPTY-200)" : ""),
    names(response.failure),
    op.validIn.join(", "),
    op.notifications.map((n) => `${n.variant} to the ${n.to}${n.state ? ` (${n.state})` : ""}`).join("; "),
    op.section,
    op.requirements.join(", "),
    op.ambiguities.join(", "),
  ];
}

/** POST /api/v2/me/interactions/{id}: every operation of the catalog, told apart by operationName. */
function interactionOperations(ctx: Context): JsonObject {
  const ops = ctx.model.catalog.operations;
  const request = (op: Operation) => op.request[ctx.profile];
  const mapping = Object.fromEntries(ops.map((op) => [op.operationName, ctx.schemas.ref(request(op))]));
  return {
    operationId: "performInteractionOperation",
    summary: "An operation on an interaction, named by operationName",
    description: [
      "The operations supported on me/interactions/{id}: one POST whose JSON body names the operation in operationName. " +
        "Each row gives the request body, the success and failure bodies, the states the operation is valid in " +
        `(AMB-STATE-PRECONDITIONS), the notifications it causes on ${ctx.model.catalog.notificationChannel} (see the ` +
        "AsyncAPI document), and what it rests on. An operation marked with a feature is optional: a server without it " +
        "sets features.<name> false in the suite's configuration. An auxiliary operation is not in the page's table but " +
        "leads to another's precondition. An unparseable body or unknown operationName is refused as " +
        "AMB-UNPARSEABLE-REQUEST says.",
      table(
        [
          "operationName",
          "request",
          "success",
          "failure",
          "valid in",
          "notifications",
          "section",
          "requirements",
          "ambiguities",
        ],
        ops.map((op) => operationRow(ctx, op)),
      ),
    ].join("\n\n"),
    parameters: [CSRF_PARAMETER],
    requestBody: {
      required: true,
      content: json({
        oneOf: unique(ops.map(request)).map((p) => ({ $ref: ctx.schemas.ref(p) })),
        discriminator: { propertyName: "operationName", mapping },
      }),
    },
    responses: responses(
      ctx,
      ops.map((op) => op.response[ctx.profile]),
      true,
      ": the operation's success body (see the table)",
    ),
  };
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
  return {
    operationId: camel(group.map((e) => e.id).join("-or-")),
    summary: group.map((e) => e.title).join("; "),
    description: group.map((e) => endpointText(ctx, e)).join("\n\n"),
    ...(parameters.length > 0 && { parameters }),
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
  const body = {
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
    info: documentInfo(model, profile, "GWS Interactions API", "The REST operations of the GWS Interactions API", body),
    ...body,
  };
}
